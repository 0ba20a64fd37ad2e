import { createHash } from 'node:crypto';
import {
  AuthenticationError,
  ConflictError,
  NotFoundError,
  PermissionDeniedError,
  UnprocessableEntityError,
} from '@zhengwu/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantRow } from '../src/db/schema';
import { startTestPlatform, type TestPlatform } from './harness';
import { auditEvents, call, captureLogs } from './identity-helpers';
import { insertTenant } from './tenants-fixture';

const DAY_MS = 86_400_000;

let platform: TestPlatform;
let logs: string[];
let zhejiang: TenantRow;
let hangzhou: TenantRow;
let jiangsu: TenantRow;

beforeAll(async () => {
  // Everything the logger writes is captured (at trace level) and searched for secrets.
  platform = await startTestPlatform({ ZW_LOG_LEVEL: 'trace' });
  logs = captureLogs(platform.app);
  zhejiang = await insertTenant(platform.db, 'zhejiang');
  hangzhou = await insertTenant(platform.db, 'hangzhou', zhejiang);
  jiangsu = await insertTenant(platform.db, 'jiangsu');
}, 60_000);
afterAll(() => platform?.close());

const countTokens = async () =>
  Number(
    (
      await platform.db
        .selectFrom('tokens')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('createToken', () => {
  it('issues a zw_ secret once, stores only its SHA-256, and answers no-store', async () => {
    const res = await call(platform, platform.adminToken, 'POST', '/v1/tokens', {
      name: 'etax-ci-deploy',
      tenantId: hangzhou.id,
      role: 'developer',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const token = res.body as { id: string; secret: string; prefix: string; expiresAt: string };
    expect(res.headers.get('location')).toBe(`/v1/tokens/${token.id}`);
    expect(token.secret).toMatch(/^zw_[A-Za-z0-9_-]{43}$/); // 256 bits
    expect(token.prefix).toBe(token.secret.slice(3, 11));
    expect(res.body).toMatchObject({
      name: 'etax-ci-deploy',
      tenantId: hangzhou.id,
      role: 'developer',
      lastUsedAt: null,
      revokedAt: null,
    });
    // Default lifetime: 90 days.
    const lifetime = Date.parse(token.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(90 * DAY_MS - 60_000);
    expect(lifetime).toBeLessThanOrEqual(90 * DAY_MS);

    const row = await platform.db
      .selectFrom('tokens')
      .selectAll()
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(createHash('sha256').update(token.secret).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token.secret);
    expect(JSON.stringify(row)).not.toContain(token.secret.slice(11));

    // Later reads never show the secret again.
    const read = await platform.admin.tokens.retrieve(token.id);
    expect(read).not.toHaveProperty('secret');
    expect(read.id).toBe(token.id);

    // The secret authenticates as the token.
    const me = await platform.clientWith(token.secret).tokens.whoami();
    expect(me).toEqual({
      id: token.id,
      type: 'token',
      name: 'etax-ci-deploy',
      tenantId: hangzhou.id,
      roles: [{ tenantId: hangzhou.id, role: 'developer' }],
      tokenId: token.id,
    });
    const used = await platform.admin.tokens.retrieve(token.id);
    expect(used.lastUsedAt).toMatch(/:00\.000Z$/); // to the minute
  });

  it('takes expiresAt or expiresInDays, never both, at most 366 days ahead', async () => {
    const inDays = await platform.admin.tokens.create({
      name: 'short',
      tenantId: hangzhou.id,
      role: 'auditor',
      expiresInDays: 1,
    });
    expect(Date.parse(inDays.expiresAt) - Date.now()).toBeLessThanOrEqual(DAY_MS);
    const at = new Date(Date.now() + 30 * DAY_MS).toISOString();
    const explicit = await platform.admin.tokens.create({
      name: 'explicit',
      tenantId: hangzhou.id,
      role: 'tenant-admin',
      expiresAt: at,
    });
    expect(explicit.expiresAt).toBe(at);

    const before = await countTokens();
    const refused = [
      { expiresAt: at, expiresInDays: 30, path: '/body/expiresInDays' },
      { expiresAt: new Date(Date.now() - 1000).toISOString(), path: '/body/expiresAt' },
      { expiresAt: new Date(Date.now() + 367 * DAY_MS).toISOString(), path: '/body/expiresAt' },
      { expiresInDays: 367, path: '/body/expiresInDays' },
      { expiresInDays: 0, path: '/body/expiresInDays' },
    ];
    for (const { path, ...expiry } of refused) {
      const res = await call(platform, platform.adminToken, 'POST', '/v1/tokens', {
        name: 'bad-expiry',
        tenantId: hangzhou.id,
        role: 'developer',
        ...expiry,
      });
      expect(res.status, JSON.stringify(expiry)).toBe(422);
      expect(res.body).toMatchObject({ code: 'validation_failed' });
      expect((res.body.errors as { path: string }[]).map((e) => e.path)).toContain(path);
    }
    expect(await countTokens()).toBe(before);
  });

  it('never gives a token one of the three administrator roles', async () => {
    const before = await countTokens();
    for (const role of ['platform-admin', 'security-admin', 'audit-admin']) {
      const error = await platform.admin.tokens
        .create({ name: 'admin', tenantId: zhejiang.id, role: role as 'developer' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnprocessableEntityError);
      expect((error as UnprocessableEntityError).problem?.errors?.[0]?.path).toBe('/body/role');
    }
    expect(await countTokens()).toBe(before);
  });

  it('refuses malformed JSON and unknown fields with problem+json, creating nothing', async () => {
    const before = await countTokens();
    const malformed = await call(
      platform,
      platform.adminToken,
      'POST',
      '/v1/tokens',
      '{"name": "x", "tenantId": ',
    );
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(malformed.body).toMatchObject({ code: 'invalid_json', status: 400 });

    const unknown = await call(platform, platform.adminToken, 'POST', '/v1/tokens', {
      name: 'x',
      tenantId: hangzhou.id,
      role: 'developer',
      scopes: ['all'],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: '/body/scopes', message: 'unknown field', code: 'additionalProperties' }],
    });

    const wrongType = await call(platform, platform.adminToken, 'POST', '/v1/tokens', {
      name: 'x',
      tenantId: hangzhou.id,
      role: 'developer',
      expiresInDays: '30',
    });
    expect(wrongType.status).toBe(422);
    expect((wrongType.body.errors as { path: string }[])[0]!.path).toBe('/body/expiresInDays');

    const noTenant = await call(platform, platform.adminToken, 'POST', '/v1/tokens', {
      name: 'x',
      tenantId: 'ten_00000000000000000000',
      role: 'developer',
    });
    expect(noTenant.status).toBe(422);
    expect(noTenant.body).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: '/body/tenantId' }],
    });
    expect(await countTokens()).toBe(before);
  });
});

describe('token authentication', () => {
  it('answers 401 unauthenticated without a token or with an unknown one', async () => {
    const missing = await call(platform, undefined, 'GET', '/v1/me');
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ code: 'unauthenticated' });
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="zhengwu"');
    const unknown = await call(platform, `zw_${'A'.repeat(43)}`, 'GET', '/v1/me');
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ code: 'unauthenticated' });
    expect(unknown.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });

  it('refuses a revoked token on its next request (401 token_revoked)', async () => {
    const token = await platform.admin.tokens.create({
      name: 'to-revoke',
      tenantId: hangzhou.id,
      role: 'developer',
    });
    const client = platform.clientWith(token.secret);
    expect((await client.tokens.whoami()).tokenId).toBe(token.id);

    const revoked = await platform.admin.tokens.revoke(token.id);
    expect(revoked.revokedAt).not.toBeNull();
    const error = await client.tokens.whoami().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe('token_revoked');

    // Revoking again changes nothing and answers the same.
    const again = await platform.admin.tokens.revoke(token.id);
    expect(again.revokedAt).toBe(revoked.revokedAt);

    const events = (await auditEvents(platform, 'token.revoke')).filter(
      (e) => e.target?.id === token.id,
    );
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ outcome: 'success', tenant_id: hangzhou.id });
  });

  it('refuses an expired token (401 token_expired)', async () => {
    const token = await platform.admin.tokens.create({
      name: 'to-expire',
      tenantId: hangzhou.id,
      role: 'developer',
      expiresInDays: 1,
    });
    // Let time pass: the token expired a second ago.
    await platform.db
      .updateTable('tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', token.id)
      .execute();
    const res = await call(platform, token.secret, 'GET', '/v1/me');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'token_expired' });
    expect(res.body.detail).toContain(token.id);
  });
});

describe('who may see and manage tokens', () => {
  let tenantAdmin: string;
  let auditor: string;
  let developer: string;
  let jiangsuAdmin: string;
  let jiangsuToken: string;

  beforeAll(async () => {
    const make = async (tenantId: string, role: 'tenant-admin' | 'developer' | 'auditor') =>
      (await platform.admin.tokens.create({ name: `${role}-token`, tenantId, role })).secret;
    tenantAdmin = await make(zhejiang.id, 'tenant-admin');
    auditor = await make(zhejiang.id, 'auditor');
    developer = await make(hangzhou.id, 'developer');
    jiangsuAdmin = await make(jiangsu.id, 'tenant-admin');
    jiangsuToken = (
      await platform.admin.tokens.create({ name: 'js', tenantId: jiangsu.id, role: 'developer' })
    ).id;
  });

  it('lets no token create tokens: tokens never carry security-admin', async () => {
    const before = await countTokens();
    const error = await platform
      .clientWith(tenantAdmin)
      .tokens.create({ name: 'child', tenantId: hangzhou.id, role: 'developer' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect((error as PermissionDeniedError).code).toBe('forbidden');
    expect((error as PermissionDeniedError).problem?.detail).toMatch(/never another token/);
    const own = await platform
      .clientWith(developer)
      .tokens.create({ name: 'self', tenantId: hangzhou.id, role: 'developer' })
      .catch((e: unknown) => e);
    expect(own).toBeInstanceOf(PermissionDeniedError);
    expect(await countTokens()).toBe(before);
    // The refusal is audited with its reason.
    const refusals = (await auditEvents(platform, 'token.create')).filter(
      (e) => e.outcome === 'denied',
    );
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    expect(refusals.at(-1)).toMatchObject({ reason: 'forbidden', tenant_id: hangzhou.id });
  });

  it('gives 404, never 403, on another tenant’s tokens and refuses to create there', async () => {
    const tokenOfB = await call(platform, tenantAdmin, 'GET', `/v1/tokens/${jiangsuToken}`);
    expect(tokenOfB.status).toBe(404);
    expect(tokenOfB.body).toMatchObject({ code: 'not_found' });
    const revokeB = await call(platform, tenantAdmin, 'DELETE', `/v1/tokens/${jiangsuToken}`);
    expect(revokeB.status).toBe(404);
    const membersOfB = await call(platform, auditor, 'GET', `/v1/tenants/${jiangsu.id}/members`);
    expect(membersOfB.status).toBe(404);
    const createInB = await call(platform, jiangsuAdmin, 'POST', '/v1/tokens', {
      name: 'x',
      tenantId: zhejiang.id,
      role: 'developer',
    });
    expect(createInB.status).toBe(422);
    expect(createInB.body).toMatchObject({ errors: [{ path: '/body/tenantId' }] });
    // The system token is nobody's to read.
    const system = await platform.db
      .selectFrom('tokens')
      .select('id')
      .where('system', '=', true)
      .executeTakeFirstOrThrow();
    await expect(platform.admin.tokens.retrieve(system.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(platform.admin.tokens.revoke(system.id)).rejects.toBeInstanceOf(NotFoundError);
    // A child's developer does not see its parent's tokens.
    const parents = await platform.admin.tokens
      .list({ tenantId: zhejiang.id })
      .toArray({ max: 1000 });
    const res = await call(platform, developer, 'GET', `/v1/tokens/${parents[0]!.id}`);
    expect(res.status).toBe(404);
  });

  it('lets an auditor list and read its subtree’s tokens, but not revoke them', async () => {
    const listed = await platform.clientWith(auditor).tokens.list().toArray({ max: 1000 });
    const tenants = new Set(listed.map((t) => t.tenantId));
    expect([...tenants].sort()).toEqual([zhejiang.id, hangzhou.id].sort());
    const one = listed.find((t) => t.tenantId === hangzhou.id)!;
    expect((await platform.clientWith(auditor).tokens.retrieve(one.id)).id).toBe(one.id);
    const error = await platform
      .clientWith(auditor)
      .tokens.revoke(one.id)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect((await platform.admin.tokens.retrieve(one.id)).revokedAt).toBeNull();
  });

  it('answers 403 to roles that may not read tokens, on tenants they can see', async () => {
    const list = await call(platform, developer, 'GET', '/v1/tokens');
    expect(list.status).toBe(403);
    const { data } = await platform.admin.tokens.list({ tenantId: hangzhou.id, limit: 1 });
    const read = await call(platform, developer, 'GET', `/v1/tokens/${data[0]!.id}`);
    expect(read.status).toBe(403);
    expect(read.body).toMatchObject({ code: 'forbidden' });
  });
});

describe('listTokens', () => {
  it('pages newest first, binds cursors to filters, hides revoked and system tokens', async () => {
    const tenant = await insertTenant(platform.db, 'paging', zhejiang);
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      made.push(
        (
          await platform.admin.tokens.create({
            name: `t${i}`,
            tenantId: tenant.id,
            role: 'developer',
          })
        ).id,
      );
    }
    await platform.admin.tokens.revoke(made[0]!);
    const page = await platform.admin.tokens.list({ tenantId: tenant.id, limit: 2 });
    expect(page.data.map((t) => t.id)).toEqual([made[4], made[3]]);
    expect(page.nextCursor).toEqual(expect.any(String));
    const all = await platform.admin.tokens
      .list({ tenantId: tenant.id, limit: 2 })
      .toArray({ max: 1000 });
    expect(all.map((t) => t.id)).toEqual([made[4], made[3], made[2], made[1]]);
    const withRevoked = await platform.admin.tokens
      .list({ tenantId: tenant.id, includeRevoked: true })
      .toArray({ max: 1000 });
    expect(withRevoked.map((t) => t.id)).toEqual([...made].reverse());

    const otherFilter = await call(
      platform,
      platform.adminToken,
      'GET',
      `/v1/tokens?includeRevoked=true&tenantId=${tenant.id}&cursor=${page.nextCursor}`,
    );
    expect(otherFilter.status).toBe(400);
    expect(otherFilter.body).toMatchObject({ code: 'bad_request' });

    const everything = await platform.admin.tokens
      .list({ includeRevoked: true })
      .toArray({ max: 1000 });
    const ids = new Set(everything.map((t) => t.id));
    const system = await platform.db
      .selectFrom('tokens')
      .select('id')
      .where('system', '=', true)
      .execute();
    expect(system.some((s) => ids.has(s.id))).toBe(false);
  });
});

describe('getCurrentPrincipal', () => {
  it('reports the bootstrap token as platform-admin platform-wide', async () => {
    const me = await platform.admin.tokens.whoami();
    expect(me.type).toBe('token');
    expect(me.tenantId).toBeNull();
    expect(me.tokenId).toBe(me.id);
    expect(me.roles).toEqual([{ tenantId: null, role: 'platform-admin' }]);
  });
});

describe('secrets', () => {
  it('are not kept for idempotent replays: a retried createToken learns the token id, not the secret', async () => {
    const body = { name: 'replayed', tenantId: hangzhou.id, role: 'developer' as const };
    const first = await platform.admin.tokens.create(body, { idempotencyKey: 'create-token-once' });
    const again = await platform.admin.tokens
      .create(body, { idempotencyKey: 'create-token-once' })
      .catch((e: unknown) => e as ConflictError);
    expect(again).toBeInstanceOf(ConflictError);
    expect((again as ConflictError).code).toBe('invalid_state');
    expect((again as ConflictError).problem?.detail).toContain(first.id);
    expect((again as ConflictError).headers?.get('idempotency-replayed')).toBe('true');
    const stored = await platform.db
      .selectFrom('idempotency_keys')
      .select(['body', 'headers'])
      .execute();
    expect(JSON.stringify(stored)).not.toContain(first.secret);
    expect(JSON.stringify(stored)).not.toContain(first.secret.slice(3));
  });

  it('never appear in audit events or in the log output', async () => {
    const token = await platform.admin.tokens.create({
      name: 'secret-hunt',
      tenantId: hangzhou.id,
      role: 'developer',
    });
    await platform.clientWith(token.secret).tokens.whoami();
    await call(platform, token.secret, 'POST', '/v1/tokens', { name: 'x' });
    await platform.admin.tokens.revoke(token.id);
    await call(platform, token.secret, 'GET', '/v1/me'); // 401 token_revoked

    const events = await platform.db.selectFrom('audit_events').selectAll().execute();
    const created = events.find(
      (e) => e.action === 'token.create' && e.target?.id === token.id && e.outcome === 'success',
    );
    expect(created).toBeDefined();
    const revokedUse = events.find(
      (e) => e.action === 'auth.failure' && e.principal.id === token.id,
    );
    expect(revokedUse).toMatchObject({ reason: 'token_revoked', outcome: 'denied' });

    const random = token.secret.slice(3);
    const audit = JSON.stringify(events);
    expect(audit).not.toContain(random);
    expect(audit).not.toContain(random.slice(8)); // only the 8-character prefix is public
    for (const admin of [platform.adminToken.slice(3)]) expect(audit).not.toContain(admin);

    expect(logs.length).toBeGreaterThan(10); // the logger did write (trace level)
    const output = logs.join('');
    expect(output).toContain('/v1/tokens');
    expect(output).not.toContain(random);
    expect(output).not.toContain(random.slice(8));
    expect(output).not.toContain(platform.adminToken.slice(3));
  });
});
