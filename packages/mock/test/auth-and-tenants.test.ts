import { AuthenticationError, PermissionDeniedError } from '@zhengwu/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MOCK_ADMIN_ID, MOCK_TENANT_ID } from '../src/index';
import { brisk, setup } from './helpers';

const { client, clientWith, platform } = setup({ operationSteps: 0 });

afterEach(() => {
  vi.useRealTimers();
});

/** A second province with a developer token of its own. */
async function jiangsu() {
  const tenant = await client.tenants.create({
    name: 'jiangsu',
    displayName: { zh: '江苏省', en: 'Jiangsu Province' },
    parentId: null,
    level: 'province',
    regionCode: '320000',
  });
  const token = await client.tokens.create({
    name: 'js-ci',
    tenantId: tenant.id,
    role: 'developer',
  });
  return { tenant, token, client: clientWith(token.secret) };
}

describe('authentication', () => {
  it('needs a bearer token on /v1 and /metrics, not on the probes', async () => {
    const anonymous = clientWith(null);
    const error = await Promise.resolve(anonymous.instances.list()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: 'unauthenticated' });
    expect((error as AuthenticationError).headers?.get('www-authenticate')).toMatch(
      /^Bearer realm="zhengwu"/,
    );
    await expect(anonymous.health.metrics()).rejects.toMatchObject({ status: 401 });
    await expect(clientWith('zw_wrong').tokens.whoami()).rejects.toMatchObject({
      code: 'unauthenticated',
    });
    expect(await anonymous.health.check()).toMatchObject({ status: 'ok' });
    expect(await anonymous.health.ready()).toMatchObject({ status: 'ready' });
    expect(await client.health.metrics()).toMatch(
      /zhengwu_http_requests_total\{operation="getHealth",status="200"\} 1/,
    );
  });

  it('tells who is calling', async () => {
    expect(await client.tokens.whoami()).toEqual({
      id: MOCK_ADMIN_ID,
      type: 'user',
      name: expect.any(String),
      tenantId: MOCK_TENANT_ID,
      roles: [{ tenantId: MOCK_TENANT_ID, role: 'platform-admin' }],
    });
  });

  it('accepts a created token until it is revoked (401 token_revoked)', async () => {
    const token = await client.tokens.create({
      name: 'ci',
      tenantId: MOCK_TENANT_ID,
      role: 'developer',
      expiresInDays: 30,
    });
    expect(token.secret).toMatch(/^zw_[A-Za-z0-9_-]{40,}$/);
    expect(token.prefix).toBe(token.secret.slice(3, 11));
    const ci = clientWith(token.secret);
    expect(await ci.tokens.whoami()).toMatchObject({
      id: token.id,
      type: 'token',
      tokenId: token.id,
      roles: [{ role: 'developer' }],
    });
    expect((await client.tokens.retrieve(token.id)).lastUsedAt).toMatch(/:00Z$/);
    await client.tokens.revoke(token.id);
    await expect(ci.tokens.whoami()).rejects.toMatchObject({ status: 401, code: 'token_revoked' });
    expect((await client.tokens.list()).data).toHaveLength(0);
    expect((await client.tokens.list({ includeRevoked: true })).data).toHaveLength(1);
  });

  it('refuses an expired token (401 token_expired)', async () => {
    const token = await client.tokens.create({
      name: 'short',
      tenantId: MOCK_TENANT_ID,
      role: 'auditor',
      expiresInDays: 1,
    });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2 * 86_400_000);
    await expect(clientWith(token.secret).tokens.whoami()).rejects.toMatchObject({
      code: 'token_expired',
    });
  });

  it('checks token expiry input', async () => {
    await expect(
      client.tokens.create({
        name: 'x',
        tenantId: MOCK_TENANT_ID,
        role: 'developer',
        expiresInDays: 5,
        expiresAt: '2099-01-01T00:00:00Z',
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      client.tokens.create({
        name: 'x',
        tenantId: MOCK_TENANT_ID,
        role: 'developer',
        expiresAt: '2020-01-01T00:00:00Z',
      }),
    ).rejects.toMatchObject({ problem: { errors: [{ path: '/body/expiresAt' }] } });
  });

  it('holds tokens to their role (403 forbidden)', async () => {
    const dev = await client.tokens.create({
      name: 'dev',
      tenantId: MOCK_TENANT_ID,
      role: 'developer',
    });
    const auditor = await client.tokens.create({
      name: 'aud',
      tenantId: MOCK_TENANT_ID,
      role: 'auditor',
    });
    await expect(clientWith(dev.secret).auditEvents.list()).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
    await expect(clientWith(auditor.secret).apps.create({ name: 'nope' })).rejects.toMatchObject({
      status: 403,
      code: 'forbidden',
    });
    expect((await clientWith(auditor.secret).auditEvents.list({ limit: 1 })).data).toHaveLength(1);
    expect((await clientWith(dev.secret).apps.create({ name: 'yes' })).tenantId).toBe(
      MOCK_TENANT_ID,
    );
  });
});

describe('tenants', () => {
  it('hides another tenant’s resources (404) and lists only your own', async () => {
    const ours = await client.instances.create({ name: 'zj-db', service: 'postgresql', plan: 's' });
    const js = await jiangsu();
    await expect(js.client.instances.retrieve(ours.id)).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    });
    await expect(js.client.tenants.retrieve(MOCK_TENANT_ID)).rejects.toMatchObject({ status: 404 });
    await expect(
      js.client.bindings.create({ instanceId: ours.id, name: 'steal' }),
    ).rejects.toMatchObject({
      status: 422,
      problem: { errors: [{ path: '/body/instanceId' }] },
    });
    const theirs = await js.client.instances.create({
      name: 'js-db',
      service: 'mysql',
      plan: 'dev',
    });
    expect(theirs.tenantId).toBe(js.tenant.id);
    expect((await js.client.instances.list()).data.map((i) => i.id)).toEqual([theirs.id]);
    expect((await js.client.tenants.list()).data.map((t) => t.id)).toEqual([js.tenant.id]);
    // The platform administrator sees both.
    expect((await client.instances.list()).data).toHaveLength(2);
  });

  it('refuses an instance beyond the effective quota (422 quota_exceeded)', async () => {
    const city = await client.tenants.create({
      name: 'hangzhou',
      displayName: { zh: '杭州市', en: 'Hangzhou' },
      parentId: MOCK_TENANT_ID,
      level: 'city',
      quota: { instances: 1, apps: null, memoryMb: null, storageMb: null, replicas: null },
    });
    expect(city.path).toEqual([MOCK_TENANT_ID]);
    const quota = await client.tenants.getQuota(city.id);
    expect(quota.limits.instances).toBe(1);
    expect(quota.effective).toMatchObject({ instances: 1, apps: 20 });
    await client.instances.create({
      tenantId: city.id,
      name: 'one',
      service: 'redis',
      plan: 'dev',
    });
    await expect(
      client.instances.create({ tenantId: city.id, name: 'two', service: 'redis', plan: 'dev' }),
    ).rejects.toMatchObject({
      status: 422,
      code: 'quota_exceeded',
    });
    const usage = await client.tenants.getUsage(city.id);
    expect(usage).toMatchObject({
      used: { instances: 1 },
      byService: [{ serviceId: 'redis', instances: 1 }],
    });
    expect((await client.tenants.getUsage(MOCK_TENANT_ID)).used.instances).toBe(1);
    await expect(
      client.tenants.setQuota(city.id, {
        instances: 999,
        apps: null,
        memoryMb: null,
        storageMb: null,
        replicas: null,
      }),
    ).rejects.toMatchObject({ code: 'quota_exceeded' });
    await expect(client.tenants.delete(city.id)).rejects.toMatchObject({
      status: 409,
      code: 'not_empty',
    });
  });

  it('keeps the tree and separation of duties', async () => {
    await expect(
      client.tenants.create({
        name: 'xx',
        displayName: { zh: '某', en: 'X' },
        parentId: MOCK_TENANT_ID,
        level: 'province',
      }),
    ).rejects.toMatchObject({ problem: { errors: [{ path: '/body/level' }] } });
    const member = await client.tenants.members.add(MOCK_TENANT_ID, {
      principal: { type: 'user', id: 'zhao.min@zj.gov.cn' },
      role: 'audit-admin',
      displayName: '赵敏',
    });
    expect(member.createdBy).toBe(MOCK_ADMIN_ID);
    await expect(
      client.tenants.members.update(MOCK_TENANT_ID, member.id, { role: 'security-admin' }),
    ).resolves.toMatchObject({
      role: 'security-admin',
    });
    const city = await client.tenants.create({
      name: 'ningbo',
      displayName: { zh: '宁波市', en: 'Ningbo' },
      parentId: MOCK_TENANT_ID,
      level: 'city',
    });
    await expect(
      client.tenants.members.add(city.id, {
        principal: { type: 'user', id: 'zhao.min@zj.gov.cn' },
        role: 'audit-admin',
      }),
    ).rejects.toMatchObject({ status: 403, code: 'separation_of_duties' });
    const updated = await client.tenants.update(city.id, { labels: { budget: 'cz-1' } });
    expect(updated.labels).toEqual({ budget: 'cz-1' });
    expect((await client.tenants.update(city.id, { labels: { budget: null } })).labels).toEqual({});
    await client.tenants.delete(city.id);
    await expect(client.tenants.retrieve(city.id)).rejects.toMatchObject({ status: 404 });
    expect(brisk).toBeDefined();
    expect(platform.state.tenants.size).toBe(1);
  });
});
