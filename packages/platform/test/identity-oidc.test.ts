import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oidcVerifier } from '../src/auth/oidc';
import type { TenantRow } from '../src/db/schema';
import { ProblemError } from '../src/http/problems';
import { startTestPlatform, type TestPlatform } from './harness';
import { auditEvents, call } from './identity-helpers';
import { AUDIENCE, startIssuer, type TestIssuer } from './identity-issuer';
import { insertTenant } from './tenants-fixture';

let issuer: TestIssuer;
let platform: TestPlatform;
let guangdong: TenantRow;
let shenzhen: TenantRow;

beforeAll(async () => {
  issuer = await startIssuer();
  // No ZW_OIDC_JWKS_URL: the JWKS is found through the issuer's discovery document.
  platform = await startTestPlatform({ ZW_OIDC_ISSUER: issuer.issuer, ZW_OIDC_AUDIENCE: AUDIENCE });
  guangdong = await insertTenant(platform.db, 'guangdong');
  shenzhen = await insertTenant(platform.db, 'shenzhen', guangdong);
  await platform.admin.tenants.members.add(shenzhen.id, {
    principal: { type: 'oidc', id: 'dev-sz' },
    role: 'developer',
  });
  await platform.admin.tenants.members.add(guangdong.id, {
    principal: { type: 'user', id: 'chen@gd.gov.cn' },
    role: 'auditor',
  });
}, 60_000);
afterAll(async () => {
  await platform?.close();
  await issuer?.close();
});

const me = (credential: string) => call(platform, credential, 'GET', '/v1/me');

describe('OIDC bearer tokens', () => {
  it('accepts a valid token and maps its subject to its memberships', async () => {
    const jwt = await issuer.sign({ sub: 'dev-sz', name: '张三' });
    const res = await me(jwt);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: 'dev-sz',
      type: 'oidc',
      name: '张三',
      tenantId: shenzhen.id,
      roles: [{ tenantId: shenzhen.id, role: 'developer' }],
    });
    expect(issuer.hits.get('/.well-known/openid-configuration')).toBe(1);
    expect(issuer.hits.get('/jwks')).toBe(1);
    // Keys are cached: a second token costs no fetch.
    await me(await issuer.sign({ sub: 'dev-sz' }));
    expect(issuer.hits.get('/jwks')).toBe(1);
    // What the subject can do follows from its roles.
    const members = await platform
      .clientWith(jwt)
      .tenants.members.list(shenzhen.id)
      .toArray({ max: 10 });
    expect(members.map((m) => m.principal.id)).toContain('dev-sz');
  });

  it('adds the memberships of a verified e-mail, and only of a verified one', async () => {
    const verified = await me(
      await issuer.sign({ sub: 'dev-sz', email: 'Chen@GD.gov.cn', email_verified: true }),
    );
    expect((verified.body.roles as unknown[]).length).toBe(2);
    expect(verified.body.roles).toEqual(
      expect.arrayContaining([
        { tenantId: shenzhen.id, role: 'developer' },
        { tenantId: guangdong.id, role: 'auditor' },
      ]),
    );
    const unverified = await me(
      await issuer.sign({ sub: 'dev-sz', email: 'chen@gd.gov.cn', email_verified: false }),
    );
    expect(unverified.body.roles).toEqual([{ tenantId: shenzhen.id, role: 'developer' }]);
  });

  it('authenticates a subject without memberships, who then sees nothing', async () => {
    const jwt = await issuer.sign({
      sub: 'stranger',
      email: 'who@nowhere.cn',
      email_verified: true,
    });
    const res = await me(jwt);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'stranger', type: 'oidc', tenantId: null, roles: [] });
    expect(res.body).not.toHaveProperty('tokenId');
    expect((await call(platform, jwt, 'GET', `/v1/tenants/${shenzhen.id}/members`)).status).toBe(
      404,
    );
    expect((await call(platform, jwt, 'GET', '/v1/tokens')).status).toBe(403);
    expect(
      (
        await call(platform, jwt, 'POST', '/v1/tokens', {
          name: 'x',
          tenantId: shenzhen.id,
          role: 'developer',
        })
      ).status,
    ).toBe(422);
  });

  it('refuses expired, wrongly addressed, forged and unknown-key tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    const other = await generateKeyPair('ES256');
    const cases: [string, string, string][] = [
      [
        'expired',
        await issuer.sign({ sub: 'dev-sz', iat: now - 600, exp: now - 120 }),
        'token_expired',
      ],
      [
        'wrong audience',
        await issuer.sign({ sub: 'dev-sz', aud: 'another-api' }),
        'unauthenticated',
      ],
      [
        'wrong issuer',
        await issuer.sign({ sub: 'dev-sz', iss: 'https://idp.example.cn' }),
        'unauthenticated',
      ],
      [
        'bad signature (another key, same kid)',
        await issuer.sign({ sub: 'dev-sz' }, { key: other.privateKey }),
        'unauthenticated',
      ],
      [
        'unknown kid',
        await issuer.sign({ sub: 'dev-sz' }, { kid: 'rotated-away' }),
        'unauthenticated',
      ],
      ['no sub', await issuer.sign({}), 'unauthenticated'],
      ['not yet valid', await issuer.sign({ sub: 'dev-sz', nbf: now + 600 }), 'unauthenticated'],
    ];
    // A shared-secret (HS256) token and an unsigned one are never accepted.
    const hs = await new SignJWT({ sub: 'dev-sz' })
      .setProtectedHeader({ alg: 'HS256', kid: issuer.kid })
      .setIssuer(issuer.issuer)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a-shared-secret-of-sufficient-length!'));
    cases.push(['HS256', hs, 'unauthenticated']);
    const [header, payload] = (await issuer.sign({ sub: 'dev-sz' })).split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    cases.push(['alg none', none, 'unauthenticated']);
    cases.push([
      'tampered payload',
      `${header}.${Buffer.from(JSON.stringify({ sub: 'root', iss: issuer.issuer, aud: AUDIENCE, exp: now + 300 })).toString('base64url')}.${(await issuer.sign({ sub: 'dev-sz' })).split('.')[2]}`,
      'unauthenticated',
    ]);

    for (const [what, jwt, code] of cases) {
      const res = await me(jwt);
      expect(res.status, what).toBe(401);
      expect(res.body, what).toMatchObject({ code });
      expect(res.headers.get('www-authenticate'), what).toMatch(/error="invalid_token"/);
    }
    const failures = (await auditEvents(platform, 'auth.failure')).slice(-cases.length);
    expect(failures.map((e) => e.reason)).toEqual(cases.map(([, , code]) => code));
    expect(failures.every((e) => e.outcome === 'denied')).toBe(true);
    // A JWT is a secret too: none is written to the audit log.
    const audit = JSON.stringify(
      await platform.db.selectFrom('audit_events').selectAll().execute(),
    );
    for (const [, jwt] of cases) expect(audit).not.toContain(jwt.split('.')[2] || jwt);
  });

  it('accepts a token expired by less than the clock tolerance', async () => {
    const skewed = await issuer.sign({
      sub: 'dev-sz',
      iat: Math.floor(Date.now() / 1000) - 100,
      exp: Math.floor(Date.now() / 1000) - 10,
    });
    expect((await me(skewed)).status).toBe(200);
  });

  it('drops all administrator roles when subject and e-mail hold different ones', async () => {
    // The audit-admin first: once a security-admin holds Shenzhen, its members are theirs.
    await platform.admin.tenants.members.add(shenzhen.id, {
      principal: { type: 'user', id: 'two-hats@gd.gov.cn' },
      role: 'audit-admin',
    });
    await platform.admin.tenants.members.add(shenzhen.id, {
      principal: { type: 'oidc', id: 'two-hats' },
      role: 'security-admin',
    });
    const res = await me(
      await issuer.sign({ sub: 'two-hats', email: 'two-hats@gd.gov.cn', email_verified: true }),
    );
    expect(res.body.roles).toEqual([]);
    const alone = await me(await issuer.sign({ sub: 'two-hats' }));
    expect(alone.body.roles).toEqual([{ tenantId: shenzhen.id, role: 'security-admin' }]);
  });
});

describe('the verifier', () => {
  it('uses an explicit JWKS URL without discovery', async () => {
    const before = issuer.hits.get('/.well-known/openid-configuration');
    const verify = oidcVerifier(platform.db, {
      issuer: issuer.issuer,
      audience: AUDIENCE,
      jwksUrl: issuer.jwksUrl,
    });
    const principal = await verify(await issuer.sign({ sub: 'dev-sz' }));
    expect(principal).toMatchObject({ id: 'dev-sz', type: 'oidc' });
    expect(issuer.hits.get('/.well-known/openid-configuration')).toBe(before);
  });

  it('answers 503 unavailable (not 401) when the provider can’t be reached, then recovers', async () => {
    const down = oidcVerifier(platform.db, {
      issuer: 'http://127.0.0.1:9',
      audience: AUDIENCE,
      jwksUrl: undefined,
    });
    const error = await down(await issuer.sign({ sub: 'dev-sz' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).code).toBe('unavailable');
    expect((error as ProblemError).headers).toMatchObject({ 'retry-after': '5' });
    const badJwks = oidcVerifier(platform.db, {
      issuer: issuer.issuer,
      audience: AUDIENCE,
      jwksUrl: `${issuer.issuer}/missing`,
    });
    const jwksError = await badJwks(await issuer.sign({ sub: 'dev-sz' })).catch((e: unknown) => e);
    expect((jwksError as ProblemError).code).toBe('unavailable');
  });
});
