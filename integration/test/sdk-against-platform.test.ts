import {
  AuthenticationError,
  ConflictError,
  NotFoundError,
  PermissionDeniedError,
  UnprocessableEntityError,
  type Zhengwu,
} from '@zhengwu/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformForSdk } from './platform';

let it_: Awaited<ReturnType<typeof startPlatformForSdk>>;
let admin: Zhengwu;
let provinceId: string;

beforeAll(async () => {
  it_ = await startPlatformForSdk();
  admin = it_.admin;
  const province = await admin.tenants.create({
    name: 'zhejiang',
    displayName: { zh: '浙江省', en: 'Zhejiang' },
    parentId: null,
    level: 'province',
  });
  provinceId = province.id;
}, 60_000);
afterAll(() => it_?.close());

describe('the SDK against the real platform', () => {
  it('maps real problems to typed errors with code and request id', async () => {
    const notFound = await admin.tenants
      .retrieve('ten_00000000000000000000')
      .catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect((notFound as NotFoundError).code).toBe('not_found');
    expect((notFound as NotFoundError).requestId).toMatch(/^req_/);

    const invalid = await admin.tenants
      .create({
        name: 'Bad Name',
        displayName: { zh: '坏', en: 'bad' },
        parentId: provinceId,
        level: 'city',
      })
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(UnprocessableEntityError);
    expect((invalid as UnprocessableEntityError).problem?.errors?.[0]?.path).toBe('/body/name');

    const anonymous = await it_
      .client('zw_not_a_real_token_000000000000000000000000')
      .tokens.whoami()
      .catch((e: unknown) => e);
    expect(anonymous).toBeInstanceOf(AuthenticationError);
  });

  it('retries a create with the same Idempotency-Key: the platform applies it once', async () => {
    const body = {
      name: 'hangzhou',
      displayName: { zh: '杭州市', en: 'Hangzhou' },
      parentId: provinceId,
      level: 'city' as const,
    };
    const first = await admin.raw.POST('/v1/tenants', { body, idempotencyKey: 'create-hangzhou' });
    const again = await admin.raw.POST('/v1/tenants', { body, idempotencyKey: 'create-hangzhou' });
    expect(again.data.id).toBe(first.data.id);
    expect(again.response.headers.get('idempotency-replayed')).toBe('true');
    // Same key, other body: refused, nothing created.
    const other = await admin.tenants
      .create({ ...body, name: 'ningbo' }, { idempotencyKey: 'create-hangzhou' })
      .catch((e: unknown) => e);
    expect(other).toBeInstanceOf(UnprocessableEntityError);
    expect((other as UnprocessableEntityError).code).toBe('idempotency_key_reused');
    // A second create with a fresh key hits the unique name: 409, and the SDK does not retry it.
    const duplicate = await admin.tenants.create(body).catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(ConflictError);
    expect((duplicate as ConflictError).headers?.get('x-should-retry')).toBe('false');
  });

  it('walks real pages and honours scoping: a developer token sees only its tenant', async () => {
    for (let i = 0; i < 7; i++) {
      await admin.tenants.create({
        name: `city-${i}`,
        displayName: { zh: `城市${i}`, en: `City ${i}` },
        parentId: provinceId,
        level: 'city',
      });
    }
    const pages = [];
    for await (const page of admin.tenants.list({ parentId: provinceId, limit: 3 }).pages())
      pages.push(page.data.length);
    expect(pages.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(8);
    expect(pages.length).toBeGreaterThanOrEqual(3);

    const city = (await admin.tenants.list({ parentId: provinceId }).toArray({ max: 100 })).find(
      (t) => t.name === 'city-0',
    )!;
    // The platform-admin bootstrap token issues a developer token for the city.
    const token = await admin.tokens.create({
      name: 'dev',
      tenantId: city.id,
      role: 'developer',
      expiresInDays: 1,
    });
    const dev = it_.client(token.secret, { maxRetries: 0 });
    const me = await dev.tokens.whoami();
    expect(me.roles).toEqual([{ tenantId: city.id, role: 'developer' }]);
    const visible = await dev.tenants.list().toArray({ max: 100 });
    expect(visible.map((t) => t.id)).toEqual([city.id]);
    await expect(dev.tenants.retrieve(provinceId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      dev.tenants.setQuota(city.id, {
        instances: 1,
        apps: 1,
        memoryMb: 1,
        storageMb: 1,
        replicas: 1,
      }),
    ).rejects.toBeInstanceOf(PermissionDeniedError);
    const usage = await dev.tenants.getUsage(city.id);
    expect(usage.used.instances).toBe(0);

    await admin.tokens.revoke(token.id);
    const revoked = await dev.tokens.whoami().catch((e: unknown) => e);
    expect(revoked).toBeInstanceOf(AuthenticationError);
    expect((revoked as AuthenticationError).code).toBe('token_revoked');
  });

  it('reads and verifies the audit chain with an auditor token', async () => {
    const { secret } = await admin.tokens.create({
      name: 'auditor',
      tenantId: provinceId,
      role: 'auditor',
      expiresInDays: 1,
    });
    const auditor = it_.client(secret);
    const report = await auditor.auditEvents.verify();
    expect(report).toMatchObject({ valid: true, algorithm: 'HMAC-SM3', firstBroken: null });
    expect(report.checked).toBeGreaterThan(5);
    const actions = new Set<string>();
    for await (const event of auditor.auditEvents.list({ tenantId: provinceId }))
      actions.add(event.action);
    expect([...actions]).toEqual(expect.arrayContaining(['tenant.create', 'token.create']));
  });
});
