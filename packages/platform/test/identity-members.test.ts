import { ConflictError, NotFoundError, PermissionDeniedError, type Zhengwu } from '@zhengwu/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantRow } from '../src/db/schema';
import { startTestPlatform, type TestPlatform } from './harness';
import { auditEvents, call } from './identity-helpers';
import { AUDIENCE, startIssuer, type TestIssuer } from './identity-issuer';
import { insertTenant } from './tenants-fixture';

let issuer: TestIssuer;
let platform: TestPlatform;
let zhejiang: TenantRow;
let hangzhou: TenantRow;
let xihu: TenantRow;
let jiangsu: TenantRow;
/** `oidc:sec-zj`, security-admin on Zhejiang, with the verified e-mail sec@zj.gov.cn. */
let secJwt: string;
let sec: Zhengwu;

const jwtFor = (sub: string, email?: string) =>
  issuer.sign({ sub, ...(email && { email, email_verified: true }) }, { expiresIn: '30m' });

const countMembers = async () =>
  Number(
    (
      await platform.db
        .selectFrom('members')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  issuer = await startIssuer();
  platform = await startTestPlatform({
    ZW_OIDC_ISSUER: issuer.issuer,
    ZW_OIDC_AUDIENCE: AUDIENCE,
  });
  zhejiang = await insertTenant(platform.db, 'zhejiang');
  hangzhou = await insertTenant(platform.db, 'hangzhou', zhejiang);
  xihu = await insertTenant(platform.db, 'xihu', hangzhou);
  jiangsu = await insertTenant(platform.db, 'jiangsu');
  // On a fresh platform only the bootstrap token can appoint the first security-admin.
  await platform.admin.tenants.members.add(zhejiang.id, {
    principal: { type: 'oidc', id: 'sec-zj' },
    displayName: '赵敏',
    role: 'security-admin',
  });
  secJwt = await jwtFor('sec-zj', 'sec@zj.gov.cn');
  sec = platform.clientWith(secJwt);
}, 60_000);
afterAll(async () => {
  await platform?.close();
  await issuer?.close();
});

describe('a security-admin (OIDC subject) manages members of its subtree', () => {
  it('adds, reads, lists, changes and removes a member', async () => {
    const res = await call(platform, secJwt, 'POST', `/v1/tenants/${hangzhou.id}/members`, {
      principal: { type: 'user', id: 'Li.Wei@HZ-Tax.gov.cn' },
      displayName: '李伟',
      role: 'developer',
    });
    expect(res.status).toBe(201);
    const member = res.body as { id: string };
    expect(res.headers.get('location')).toBe(`/v1/tenants/${hangzhou.id}/members/${member.id}`);
    expect(res.body).toMatchObject({
      tenantId: hangzhou.id,
      principal: { type: 'user', id: 'li.wei@hz-tax.gov.cn' },
      displayName: '李伟',
      role: 'developer',
      createdBy: 'sec-zj',
    });
    expect(await sec.tenants.members.retrieve(hangzhou.id, member.id)).toEqual(res.body);
    const listed = await sec.tenants.members.list(hangzhou.id).toArray({ max: 100 });
    expect(listed.map((m) => m.id)).toContain(member.id);
    // Only members bound directly to the tenant: Zhejiang's security-admin isn't listed here.
    expect(listed.every((m) => m.tenantId === hangzhou.id)).toBe(true);

    const updated = await sec.tenants.members.update(hangzhou.id, member.id, { role: 'auditor' });
    expect(updated.role).toBe('auditor');
    await sec.tenants.members.remove(hangzhou.id, member.id);
    await expect(sec.tenants.members.retrieve(hangzhou.id, member.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const actions = (await auditEvents(platform, 'member.add'))
      .concat(await auditEvents(platform, 'member.update'))
      .concat(await auditEvents(platform, 'member.remove'))
      .filter((e) => e.target?.id === member.id && e.outcome === 'success');
    expect(actions.map((e) => e.action).sort()).toEqual([
      'member.add',
      'member.remove',
      'member.update',
    ]);
    expect(actions.every((e) => e.principal.id === 'sec-zj')).toBe(true);
  });

  it('pages members newest first with cursors bound to the tenant', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (
          await sec.tenants.members.add(xihu.id, {
            principal: { type: 'oidc', id: `pager-${i}` },
            role: 'developer',
          })
        ).id,
      );
    }
    const first = await sec.tenants.members.list(xihu.id, { limit: 2 });
    expect(first.data.map((m) => m.id)).toEqual([ids[2], ids[1]]);
    const all = await sec.tenants.members.list(xihu.id, { limit: 2 }).toArray({ max: 10 });
    expect(all.map((m) => m.id)).toEqual([...ids].reverse());
    const elsewhere = await call(
      platform,
      secJwt,
      'GET',
      `/v1/tenants/${hangzhou.id}/members?cursor=${first.nextCursor}`,
    );
    expect(elsewhere.status).toBe(400);
  });

  it('keeps one member per principal per tenant (409 already_exists)', async () => {
    const body = { principal: { type: 'oidc' as const, id: 'dup-1' }, role: 'developer' as const };
    await sec.tenants.members.add(hangzhou.id, body);
    const before = await countMembers();
    const res = await call(platform, secJwt, 'POST', `/v1/tenants/${hangzhou.id}/members`, {
      ...body,
      role: 'auditor',
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'already_exists' });
    expect(res.headers.get('x-should-retry')).toBe('false');
    expect(await countMembers()).toBe(before);
    // The same principal on another tenant is a separate member.
    await sec.tenants.members.add(xihu.id, body);
  });

  it('revokes tokens in its subtree, but issues none: tokens come from their role’s duty', async () => {
    // 三权分立: a token is a credential in its issuer's hands, so the security-admin (who
    // decides who holds which role) issues none; members of the role's duty do.
    for (const role of ['developer', 'tenant-admin', 'auditor'] as const) {
      const res = await call(platform, secJwt, 'POST', '/v1/tokens', {
        name: `hz-${role}`,
        tenantId: hangzhou.id,
        role,
      });
      expect(res.status).toBe(403);
      expect(String(res.body.detail)).toMatch(role === 'auditor' ? /audit-admin/ : /tenant-admin/);
    }
    await sec.tenants.members.add(zhejiang.id, {
      principal: { type: 'oidc', id: 'ops-zj' },
      role: 'tenant-admin',
    });
    await sec.tenants.members.add(zhejiang.id, {
      principal: { type: 'oidc', id: 'aud-zj' },
      role: 'audit-admin',
    });
    const ops = platform.clientWith(await jwtFor('ops-zj'));
    const aud = platform.clientWith(await jwtFor('aud-zj'));
    const token = await ops.tokens.create({
      name: 'hz-ci',
      tenantId: hangzhou.id,
      role: 'developer',
    });
    expect(token.createdBy).toBe('ops-zj');
    const audit = await aud.tokens.create({
      name: 'hz-audit',
      tenantId: hangzhou.id,
      role: 'auditor',
    });
    expect(audit.role).toBe('auditor');
    // Each duty only its own roles.
    await expect(
      ops.tokens.create({ name: 'x', tenantId: hangzhou.id, role: 'auditor' }),
    ).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(
      aud.tokens.create({ name: 'x', tenantId: hangzhou.id, role: 'developer' }),
    ).rejects.toBeInstanceOf(PermissionDeniedError);
    // Any of them may be revoked by the security-admin.
    expect((await sec.tokens.revoke(token.id)).revokedAt).not.toBeNull();
    expect((await sec.tokens.revoke(audit.id)).revokedAt).not.toBeNull();
    const outside = await call(platform, await jwtFor('ops-zj'), 'POST', '/v1/tokens', {
      name: 'js',
      tenantId: jiangsu.id,
      role: 'developer',
    });
    expect(outside.status).toBe(422);
  });
});

describe('三权分立 (separation of duties)', () => {
  it('refuses a second administrator role for the same principal, anywhere', async () => {
    await platform.admin.tenants.members.add(jiangsu.id, {
      principal: { type: 'user', id: 'wang@js.gov.cn' },
      role: 'platform-admin',
    });
    const before = await countMembers();
    for (const role of ['security-admin', 'audit-admin'] as const) {
      const res = await call(platform, secJwt, 'POST', `/v1/tenants/${hangzhou.id}/members`, {
        principal: { type: 'user', id: 'WANG@js.gov.cn' },
        role,
      });
      expect(res.status, role).toBe(403);
      expect(res.body).toMatchObject({ code: 'separation_of_duties' });
      expect(res.body.detail).toMatch(/already holds platform-admin/);
    }
    expect(await countMembers()).toBe(before);

    // The same administrator role on another tenant is fine, and so is a non-admin role …
    const dev = await sec.tenants.members.add(hangzhou.id, {
      principal: { type: 'user', id: 'wang@js.gov.cn' },
      role: 'developer',
    });
    const again = await sec.tenants.members.add(xihu.id, {
      principal: { type: 'user', id: 'wang@js.gov.cn' },
      role: 'platform-admin',
    });
    expect(again.role).toBe('platform-admin');
    // … but turning that member into another administrator is not.
    const error = await sec.tenants.members
      .update(hangzhou.id, dev.id, { role: 'audit-admin' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect((error as PermissionDeniedError).code).toBe('separation_of_duties');
    expect((await sec.tenants.members.retrieve(hangzhou.id, dev.id)).role).toBe('developer');

    const refusals = (await auditEvents(platform, 'member.update')).filter(
      (e) => e.outcome === 'denied',
    );
    expect(refusals.at(-1)).toMatchObject({
      reason: 'separation_of_duties',
      tenant_id: hangzhou.id,
      target: { type: 'member', id: dev.id },
    });
  });

  it('does not let a security-admin change its own membership', async () => {
    const own = (await platform.admin.tenants.members.list(zhejiang.id).toArray({ max: 100 })).find(
      (m) => m.principal.id === 'sec-zj',
    );
    expect(own?.role).toBe('security-admin');
    const before = await countMembers();
    const attempts = [
      call(platform, secJwt, 'POST', `/v1/tenants/${hangzhou.id}/members`, {
        principal: { type: 'oidc', id: 'sec-zj' },
        role: 'developer',
      }),
      // Its verified e-mail is the same person.
      call(platform, secJwt, 'POST', `/v1/tenants/${hangzhou.id}/members`, {
        principal: { type: 'user', id: 'sec@zj.gov.cn' },
        role: 'tenant-admin',
      }),
      call(platform, secJwt, 'PATCH', `/v1/tenants/${zhejiang.id}/members/${own!.id}`, {
        role: 'platform-admin',
      }),
      call(platform, secJwt, 'DELETE', `/v1/tenants/${zhejiang.id}/members/${own!.id}`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'separation_of_duties' });
    }
    expect(await countMembers()).toBe(before);
    expect((await sec.tenants.members.retrieve(zhejiang.id, own!.id)).role).toBe('security-admin');
  });

  it('holds under concurrent grants: one principal ends with one administrator role', async () => {
    const tenants = await Promise.all(
      Array.from({ length: 8 }, (_, i) => insertTenant(platform.db, `race-${i}`, zhejiang)),
    );
    const roles = ['platform-admin', 'security-admin', 'audit-admin'] as const;
    const results = await Promise.all(
      tenants.map((t, i) =>
        call(platform, secJwt, 'POST', `/v1/tenants/${t.id}/members`, {
          principal: { type: 'oidc', id: 'racer' },
          role: roles[i % 3],
        }),
      ),
    );
    expect(results.every((r) => r.status === 201 || r.status === 403)).toBe(true);
    const held = await platform.db
      .selectFrom('members')
      .select('role')
      .where('principal_id', '=', 'racer')
      .execute();
    expect(new Set(held.map((m) => m.role)).size).toBe(1);
    expect(held.length).toBe(results.filter((r) => r.status === 201).length);
  });

  it('is also a database rule that no code path can bypass', async () => {
    const insert = platform.db
      .insertInto('members')
      .values({
        id: 'mem_00000000000000000001',
        tenant_id: jiangsu.id,
        principal_type: 'user',
        principal_id: 'wang@js.gov.cn',
        display_name: null,
        role: 'audit-admin',
        created_by: 'test',
      })
      .execute();
    await expect(insert).rejects.toThrow(/separation of duties/);
    const tokenInsert = platform.db
      .insertInto('tokens')
      .values({
        id: 'tok_00000000000000000001',
        name: 'admin',
        tenant_id: jiangsu.id,
        role: 'security-admin',
        prefix: 'AAAAAAAA',
        secret_hash: 'x',
        expires_at: new Date(Date.now() + 1000),
        created_by: 'test',
      })
      .execute();
    await expect(tokenInsert).rejects.toThrow(/tokens_no_admin_role/);
  });

  it('hands identity over: the bootstrap token stops administering a subtree with a security-admin', async () => {
    const admin = platform.adminToken;
    const membersBefore = await countMembers();
    const tokensBefore = await platform.db.selectFrom('tokens').select('id').execute();
    // Zhejiang has its security-admin (beforeAll): below it, nothing more for the bootstrap token.
    const refused = [
      await call(platform, admin, 'POST', '/v1/tokens', {
        name: 'self-audit',
        tenantId: hangzhou.id,
        role: 'auditor',
      }),
      await call(platform, admin, 'POST', `/v1/tenants/${xihu.id}/members`, {
        principal: { type: 'user', id: 'audit@zj.gov.cn' },
        role: 'audit-admin',
      }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'forbidden' });
      expect(String(res.body.detail)).toMatch(/三权分立|separation of duties/);
    }
    const [secMember] = await platform.admin.tenants.members.list(zhejiang.id).toArray({ max: 1 });
    const removal = await call(
      platform,
      admin,
      'DELETE',
      `/v1/tenants/${zhejiang.id}/members/${secMember!.id}`,
    );
    expect(removal.status).toBe(403);
    expect(await countMembers()).toBe(membersBefore);
    expect(await platform.db.selectFrom('tokens').select('id').execute()).toHaveLength(
      tokensBefore.length,
    );
    const refusals = (await auditEvents(platform, 'token.create')).filter(
      (e) => e.outcome === 'denied' && e.tenant_id === hangzhou.id,
    );
    expect(refusals.length).toBeGreaterThan(0);
    // Operational tokens remain the bootstrap token's (the system administrator's duty);
    // Jiangsu, with no security-admin, stays wholly in its care.
    const operational = await call(platform, admin, 'POST', '/v1/tokens', {
      name: 'hz-ci',
      tenantId: hangzhou.id,
      role: 'developer',
    });
    expect(operational.status).toBe(201);
    const jiangsuToken = await call(platform, admin, 'POST', '/v1/tokens', {
      name: 'js-dev',
      tenantId: jiangsu.id,
      role: 'developer',
    });
    expect(jiangsuToken.status).toBe(201);
  });

  it('hands over a whole province tree, so the bootstrap token can’t act above a security-admin', async () => {
    const anhui = await insertTenant(platform.db, 'anhui');
    const hefei = await insertTenant(platform.db, 'hefei', anhui);
    await platform.admin.tenants.members.add(hefei.id, {
      principal: { type: 'oidc', id: 'sec-hf' },
      role: 'security-admin',
    });
    const admin = platform.adminToken;
    const above = [
      // An auditor token on the province would read the city's audit log.
      await call(platform, admin, 'POST', '/v1/tokens', {
        name: 'province-audit',
        tenantId: anhui.id,
        role: 'auditor',
      }),
      // A security-admin of its choosing on the province would overrule the city's.
      await call(platform, admin, 'POST', `/v1/tenants/${anhui.id}/members`, {
        principal: { type: 'oidc', id: 'ops-alice' },
        role: 'security-admin',
      }),
    ];
    expect(above.map((r) => r.status)).toEqual([403, 403]);
  });
});

describe('granting what you may not grant', () => {
  let taJwt: string;
  let taToken: string;

  beforeAll(async () => {
    await sec.tenants.members.add(hangzhou.id, {
      principal: { type: 'oidc', id: 'ta-hz' },
      role: 'tenant-admin',
    });
    taJwt = await jwtFor('ta-hz');
    taToken = (
      await platform
        .clientWith(taJwt)
        .tokens.create({ name: 'hz-admin', tenantId: hangzhou.id, role: 'tenant-admin' })
    ).secret;
  });

  it('refuses a tenant-admin granting platform-admin, with a clear problem, changing nothing', async () => {
    const before = await countMembers();
    for (const credential of [taJwt, taToken]) {
      const res = await call(platform, credential, 'POST', `/v1/tenants/${hangzhou.id}/members`, {
        principal: { type: 'user', id: 'friend@hz.gov.cn' },
        role: 'platform-admin',
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'forbidden', status: 403 });
      expect(res.body.detail).toMatch(/platform-admin/);
      expect(res.body.detail).toMatch(/needs the security-admin role/);
      expect(res.body.detail).toMatch(/you hold tenant-admin/);
    }
    // Nor may it promote itself or anybody else.
    const [own] = (await sec.tenants.members.list(hangzhou.id).toArray({ max: 100 })).filter(
      (m) => m.principal.id === 'ta-hz',
    );
    const promote = await call(
      platform,
      taJwt,
      'PATCH',
      `/v1/tenants/${hangzhou.id}/members/${own!.id}`,
      { role: 'platform-admin' },
    );
    expect(promote.status).toBe(403);
    expect(await countMembers()).toBe(before);
    expect((await sec.tenants.members.retrieve(hangzhou.id, own!.id)).role).toBe('tenant-admin');
    const denied = (await auditEvents(platform, 'member.add')).filter(
      (e) => e.outcome === 'denied' && e.reason === 'forbidden',
    );
    expect(denied.length).toBeGreaterThanOrEqual(2);
    expect(denied.at(-1)).toMatchObject({ tenant_id: hangzhou.id });
  });

  it('lets any role read members, and hides other tenants’ members (404)', async () => {
    const ta = platform.clientWith(taJwt);
    const listed = await ta.tenants.members.list(hangzhou.id).toArray({ max: 100 });
    expect(listed.length).toBeGreaterThan(0);
    // Xihu is in its subtree; Zhejiang (the parent) and Jiangsu are not.
    await ta.tenants.members.list(xihu.id).toArray({ max: 100 });
    for (const tenant of [zhejiang, jiangsu]) {
      const res = await call(platform, taToken, 'GET', `/v1/tenants/${tenant.id}/members`);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'not_found' });
    }
    const [zjMember] = await sec.tenants.members.list(zhejiang.id).toArray({ max: 1 });
    expect(
      (await call(platform, taToken, 'GET', `/v1/tenants/${zhejiang.id}/members/${zjMember!.id}`))
        .status,
    ).toBe(404);
    // A member id under the wrong tenant is not found either.
    expect(
      (await call(platform, taToken, 'GET', `/v1/tenants/${hangzhou.id}/members/${zjMember!.id}`))
        .status,
    ).toBe(404);
    // Sec (Zhejiang) can't see Jiangsu's members nor change them.
    const [jsMember] = await platform.admin.tenants.members.list(jiangsu.id).toArray({ max: 1 });
    const res = await call(
      platform,
      secJwt,
      'DELETE',
      `/v1/tenants/${jiangsu.id}/members/${jsMember!.id}`,
    );
    expect(res.status).toBe(404);
  });

  it('takes a removed membership away on the next request', async () => {
    const ta = platform.clientWith(taJwt);
    expect((await ta.tokens.whoami()).roles).toEqual([
      { tenantId: hangzhou.id, role: 'tenant-admin' },
    ]);
    const [own] = (await sec.tenants.members.list(hangzhou.id).toArray({ max: 100 })).filter(
      (m) => m.principal.id === 'ta-hz',
    );
    await sec.tenants.members.remove(hangzhou.id, own!.id);
    const me = await ta.tokens.whoami();
    expect(me).toMatchObject({ id: 'ta-hz', type: 'oidc', tenantId: null, roles: [] });
    await expect(ta.tenants.members.list(hangzhou.id).toArray({ max: 1 })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('bad input on addMember', () => {
  it('answers malformed JSON, unknown fields and bad principals with problem+json, changing nothing', async () => {
    const before = await countMembers();
    const path = `/v1/tenants/${hangzhou.id}/members`;
    const malformed = await call(platform, secJwt, 'POST', path, '{"principal": {');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: 'invalid_json' });

    const cases: [unknown, string][] = [
      [
        { principal: { type: 'user', id: 'a@b.cn' }, role: 'developer', colour: 'red' },
        '/body/colour',
      ],
      [
        { principal: { type: 'user', id: 'a@b.cn', tenant: 'x' }, role: 'developer' },
        '/body/principal/tenant',
      ],
      [
        { principal: { type: 'user', id: 'not-an-email' }, role: 'developer' },
        '/body/principal/id',
      ],
      [{ principal: { type: 'token', id: 'tok_x' }, role: 'developer' }, '/body/principal/type'],
      [{ principal: { type: 'user', id: 'a@b.cn' }, role: 'root' }, '/body/role'],
      [{ principal: { type: 'user', id: 'a@b.cn' } }, '/body/role'],
    ];
    for (const [body, pointer] of cases) {
      const res = await call(platform, secJwt, 'POST', path, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'validation_failed' });
      expect((res.body.errors as { path: string }[]).map((e) => e.path)).toContain(pointer);
    }
    const unknownPatch = await call(
      platform,
      secJwt,
      'PATCH',
      `/v1/tenants/${hangzhou.id}/members/mem_00000000000000000000`,
      { role: 'developer', displayName: 'x' },
    );
    expect(unknownPatch.status).toBe(422);
    expect(await countMembers()).toBe(before);
  });

  it('answers 409 for a duplicate through the SDK', async () => {
    const body = { principal: { type: 'oidc' as const, id: 'dup-2' }, role: 'auditor' as const };
    await sec.tenants.members.add(xihu.id, body);
    await expect(sec.tenants.members.add(xihu.id, body)).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('三权分立 by duty: tenant-admin is the system duty', () => {
  it('refuses one principal roles of two duties, tenant-admin included (handler and database)', async () => {
    const x = { type: 'oidc' as const, id: 'two-duties' };
    await sec.tenants.members.add(zhejiang.id, { principal: x, role: 'audit-admin' });
    const res = await call(platform, secJwt, 'POST', `/v1/tenants/${hangzhou.id}/members`, {
      principal: x,
      role: 'tenant-admin',
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'separation_of_duties' });
    const insert = platform.db
      .insertInto('members')
      .values({
        id: 'mem_00000000000000000002',
        tenant_id: hangzhou.id,
        principal_type: 'oidc',
        principal_id: 'two-duties',
        display_name: null,
        role: 'tenant-admin',
        created_by: 'test',
      })
      .execute();
    await expect(insert).rejects.toThrow(/separation of duties/);
  });

  it('strips a session whose subject and e-mail hold two duties, so it issues nothing', async () => {
    // Signed in without its e-mail, the security-admin gives that e-mail tenant-admin…
    const withoutEmail = await jwtFor('sec-zj');
    const added = await call(platform, withoutEmail, 'POST', `/v1/tenants/${zhejiang.id}/members`, {
      principal: { type: 'user', id: 'sec@zj.gov.cn' },
      role: 'tenant-admin',
    });
    expect(added.status).toBe(201);
    try {
      // …but a session with both keeps neither duty: no operational token for it.
      const me = await call(platform, secJwt, 'GET', '/v1/me');
      expect((me.body.roles as { role: string }[]).map((r) => r.role)).not.toContain(
        'tenant-admin',
      );
      const issued = await call(platform, secJwt, 'POST', '/v1/tokens', {
        name: 'mine',
        tenantId: hangzhou.id,
        role: 'developer',
      });
      // With no role left on it, the tenant is not even visible to it.
      expect(issued.status).toBe(422);
    } finally {
      await call(
        platform,
        withoutEmail,
        'DELETE',
        `/v1/tenants/${zhejiang.id}/members/${(added.body as { id: string }).id}`,
      );
    }
  });

  it('lets a token read other tokens only as an auditor, and a refused revoke tells nothing', async () => {
    await sec.tenants.members.add(hangzhou.id, {
      principal: { type: 'oidc', id: 'ops-hz' },
      role: 'tenant-admin',
    });
    const ta = platform.clientWith(await jwtFor('ops-hz'));
    const taToken = await ta.tokens.create({
      name: 'hz-ops',
      tenantId: hangzhou.id,
      role: 'tenant-admin',
    });
    expect((await call(platform, taToken.secret, 'GET', '/v1/tokens')).status).toBe(403);
    const developer = await ta.tokens.create({
      name: 'hz-dev',
      tenantId: hangzhou.id,
      role: 'developer',
    });
    const refused = await call(platform, developer.secret, 'DELETE', `/v1/tokens/${taToken.id}`);
    expect(refused.status).toBe(403);
    expect(String(refused.body.detail)).not.toMatch(/tenant-admin token/);
  });
});
