import type { Schemas } from '@zhengwu/openapi';
import {
  APIError,
  BadRequestError,
  ConflictError,
  NotFoundError,
  PermissionDeniedError,
  UnprocessableEntityError,
  type Zhengwu,
} from '@zhengwu/sdk';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/ids';
import { release, reserve } from '../src/tenancy/quota';
import { startTestPlatform, type TestPlatform } from './harness';
import { insertTenant } from './tenants-fixture';
import { insertToken } from './tokens-fixture';

type Tenant = Schemas['Tenant'];

let platform: TestPlatform;
let admin: Zhengwu;
/** zhejiang (province) → hangzhou, ningbo (cities) → xihu (district of hangzhou) → lingyin (township). */
let zhejiang: Tenant;
let hangzhou: Tenant;
let ningbo: Tenant;
let xihu: Tenant;
let lingyin: Tenant;
/** tenant-admin on hangzhou; developer on ningbo. */
let hangzhouAdmin: Zhengwu;
let ningboDev: Zhengwu;

const text = (zh: string, en: string) => ({ zh, en });

/** What an SDK call was refused with: status and problem code. */
async function refusal(call: Promise<unknown>): Promise<{ status: unknown; code: unknown }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof APIError) return { status: error.status, code: error.code };
    throw error;
  }
  throw new Error('the call was expected to fail');
}

/** Waits for something the platform writes after the response (the app's own audit events). */
async function eventually<T>(probe: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const tenantCount = async () =>
  Number(
    (
      await platform.db
        .selectFrom('tenants')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  platform = await startTestPlatform({ ZW_DEFAULT_QUOTA_INSTANCES: '40' });
  admin = platform.admin;
  zhejiang = await admin.tenants.create({
    name: 'zhejiang',
    displayName: text('浙江省', 'Zhejiang Province'),
    parentId: null,
    level: 'province',
    regionCode: '330000',
  });
  hangzhou = await admin.tenants.create({
    name: 'hangzhou',
    displayName: text('杭州市', 'Hangzhou'),
    parentId: zhejiang.id,
    level: 'city',
    regionCode: '330100',
    labels: { classification: 'internal' },
  });
  ningbo = await admin.tenants.create({
    name: 'ningbo',
    displayName: text('宁波市', 'Ningbo'),
    parentId: zhejiang.id,
    level: 'city',
  });
  hangzhouAdmin = platform.clientWith(await insertToken(platform.db, hangzhou.id, 'tenant-admin'));
  ningboDev = platform.clientWith(await insertToken(platform.db, ningbo.id, 'developer'));
  xihu = await hangzhouAdmin.tenants.create({
    name: 'xihu',
    displayName: text('西湖区', 'Xihu District'),
    parentId: hangzhou.id,
    level: 'district',
  });
  lingyin = await hangzhouAdmin.tenants.create({
    name: 'lingyin',
    displayName: text('灵隐街道', 'Lingyin Subdistrict'),
    parentId: xihu.id,
    level: 'township',
  });
}, 60_000);
afterAll(() => platform?.close());

describe('the tenant tree', () => {
  it('creates province → city → district → township with root-first paths', async () => {
    expect(zhejiang).toMatchObject({ parentId: null, path: [], level: 'province' });
    expect(hangzhou).toMatchObject({
      parentId: zhejiang.id,
      path: [zhejiang.id],
      level: 'city',
      regionCode: '330100',
      labels: { classification: 'internal' },
    });
    expect(lingyin).toMatchObject({
      parentId: xihu.id,
      path: [zhejiang.id, hangzhou.id, xihu.id],
      level: 'township',
      regionCode: null,
      labels: {},
    });
    expect(lingyin.id).toMatch(/^ten_[0-9A-Za-z]{16,32}$/);
    expect(await admin.tenants.retrieve(lingyin.id)).toEqual(lingyin);
    // Location of the new tenant.
    const res = await fetch(`${platform.url}/v1/tenants`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${platform.adminToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        name: 'shaoxing',
        displayName: text('绍兴市', 'Shaoxing'),
        parentId: zhejiang.id,
        level: 'city',
      }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Tenant;
    expect(res.headers.get('location')).toBe(`/v1/tenants/${created.id}`);
    await admin.tenants.delete(created.id);
  });

  it('refuses levels that do not descend by exactly one (422)', async () => {
    const before = await tenantCount();
    const cases: [string | null, Tenant['level'], string][] = [
      [null, 'city', '/body/level'], // a root must be a province
      [zhejiang.id, 'province', '/body/level'],
      [zhejiang.id, 'district', '/body/level'], // skipping the city level
      [hangzhou.id, 'township', '/body/level'],
      [lingyin.id, 'township', '/body/parentId'], // nothing below a township
    ];
    for (const [parentId, level, path] of cases) {
      const error = await admin.tenants
        .create({ name: 'wrong-level', displayName: text('错', 'Wrong'), parentId, level })
        .catch((e: unknown) => e);
      expect(error, `${level} under ${parentId}`).toBeInstanceOf(UnprocessableEntityError);
      expect((error as UnprocessableEntityError).code).toBe('validation_failed');
      expect((error as UnprocessableEntityError).problem?.errors?.[0]?.path).toBe(path);
    }
    expect(await tenantCount()).toBe(before);
  });

  it('keeps names unique among siblings (409 already_exists), not across parents', async () => {
    const dup = await admin.tenants
      .create({
        name: 'hangzhou',
        displayName: text('杭州', 'Dup'),
        parentId: zhejiang.id,
        level: 'city',
      })
      .catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ConflictError);
    expect((dup as ConflictError).code).toBe('already_exists');
    expect((dup as ConflictError).headers?.get('x-should-retry')).toBe('false');
    expect(
      await refusal(
        admin.tenants.create({
          name: 'zhejiang',
          displayName: text('浙江', 'Dup'),
          parentId: null,
          level: 'province',
        }),
      ),
    ).toEqual({ status: 409, code: 'already_exists' });
    // The same name under another parent is fine.
    const otherXihu = await admin.tenants.create({
      name: 'xihu',
      displayName: text('西湖', 'Xihu of Ningbo'),
      parentId: ningbo.id,
      level: 'district',
    });
    expect(otherXihu.parentId).toBe(ningbo.id);
    await admin.tenants.delete(otherXihu.id);
  });

  it('merges label patches and replaces the display name', async () => {
    const updated = await hangzhouAdmin.tenants.update(hangzhou.id, {
      labels: { system: 'etax', classification: null },
    });
    expect(updated.labels).toEqual({ system: 'etax' });
    expect(updated.displayName).toEqual(hangzhou.displayName);
    const renamed = await hangzhouAdmin.tenants.update(hangzhou.id, {
      displayName: text('杭州市人民政府', 'Hangzhou Municipal Government'),
      labels: { owner: 'ops' },
    });
    expect(renamed.labels).toEqual({ system: 'etax', owner: 'ops' });
    expect(renamed.displayName.en).toBe('Hangzhou Municipal Government');
    expect(Date.parse(renamed.updatedAt)).toBeGreaterThanOrEqual(Date.parse(hangzhou.updatedAt));
    expect(renamed.createdAt).toBe(hangzhou.createdAt);
  });

  it('lists tenants exactly as it returns them one by one', async () => {
    const listed = await platform.admin.tenants.list({ limit: 200 }).toArray({ max: 1000 });
    expect(listed.length).toBeGreaterThanOrEqual(4);
    expect(listed.some((t) => t.path.length >= 2)).toBe(true);
    expect(listed.some((t) => Object.keys(t.labels).length > 0)).toBe(true);
    for (const tenant of listed) {
      expect(tenant).toEqual(await platform.admin.tenants.retrieve(tenant.id));
    }
  });
});

describe('isolation and roles', () => {
  it('lists exactly the caller’s subtrees, newest first', async () => {
    const asAdmin = await admin.tenants.list().toArray({ max: 200 });
    for (const t of [zhejiang, hangzhou, ningbo, xihu, lingyin]) {
      expect(asAdmin.map((x) => x.id)).toContain(t.id);
    }
    const times = asAdmin.map((t) => Date.parse(t.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const asHangzhou = (await hangzhouAdmin.tenants.list().toArray({ max: 200 })).map((t) => t.id);
    expect(asHangzhou.sort()).toEqual([hangzhou.id, xihu.id, lingyin.id].sort());
    const asNingbo = (await ningboDev.tenants.list().toArray({ max: 200 })).map((t) => t.id);
    expect(asNingbo).toContain(ningbo.id);
    expect(asNingbo).not.toContain(zhejiang.id);
    expect(asNingbo).not.toContain(hangzhou.id);
    expect(asNingbo).not.toContain(lingyin.id);
    // Filters don't widen the scope.
    const cities = await ningboDev.tenants.list({ parentId: zhejiang.id }).toArray({ max: 50 });
    expect(cities.map((t) => t.id)).toEqual([ningbo.id]);
    const districts = await admin.tenants.list({ level: 'district' }).toArray({ max: 50 });
    expect(districts.every((t) => t.level === 'district')).toBe(true);
    expect(districts.map((t) => t.id)).toContain(xihu.id);
  });

  it('pages with keyset cursors bound to their filters', async () => {
    const made: Tenant[] = [];
    for (let i = 0; i < 5; i++) {
      made.push(
        await admin.tenants.create({
          name: `district-${i}`,
          displayName: text(`区${i}`, `District ${i}`),
          parentId: ningbo.id,
          level: 'district',
        }),
      );
    }
    const first = await admin.tenants.list({ parentId: ningbo.id, limit: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await admin.tenants.list({
      parentId: ningbo.id,
      limit: 2,
      cursor: first.nextCursor!,
    });
    expect(second.data).toHaveLength(2);
    const third = await admin.tenants.list({
      parentId: ningbo.id,
      limit: 2,
      cursor: second.nextCursor!,
    });
    expect(third.data).toHaveLength(1);
    expect(third.nextCursor).toBeNull();
    const all = [...first.data, ...second.data, ...third.data];
    // Every child once, newest first.
    expect(all.map((t) => t.id).sort()).toEqual(made.map((t) => t.id).sort());
    const times = all.map((t) => Date.parse(t.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // A cursor is bound to its filters.
    await expect(
      admin.tenants.list({ level: 'district', limit: 2, cursor: first.nextCursor! }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      admin.tenants.list({ parentId: ningbo.id, cursor: 'bm90LWEtY3Vyc29y' }),
    ).rejects.toBeInstanceOf(BadRequestError);
    for (const t of made) await admin.tenants.delete(t.id);
  });

  it('pages rows that share one timestamp (written with now()) exactly once', async () => {
    // Five districts in one statement: one transaction, one now(), microsecond precision.
    const ids = Array.from({ length: 5 }, () => newId('ten'));
    await sql`INSERT INTO tenants (id, name, display_name, parent_id, path, level)
              SELECT id, 'same-time-' || n, '{"zh":"同","en":"Same"}'::jsonb, ${hangzhou.id},
                     ARRAY[${zhejiang.id}, ${hangzhou.id}, id], 'district'
                FROM unnest(${ids}::text[]) WITH ORDINALITY AS t(id, n)`.execute(platform.db);
    const seen: string[] = [];
    for await (const page of admin.tenants.list({ level: 'district', limit: 2 }).pages()) {
      seen.push(...page.data.map((t) => t.id));
    }
    expect(seen.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
    expect(new Set(seen).size).toBe(seen.length);
    await sql`DELETE FROM tenants WHERE id = ANY(${ids}::text[])`.execute(platform.db);
  });

  it('answers 404 for a tenant outside the caller’s subtrees, on every operation', async () => {
    const limits = { instances: 1, apps: 1, memoryMb: 1, storageMb: 1, replicas: 1 };
    for (const foreign of [ningbo.id, zhejiang.id]) {
      const calls: [string, () => Promise<unknown>][] = [
        ['get', () => hangzhouAdmin.tenants.retrieve(foreign)],
        ['update', () => hangzhouAdmin.tenants.update(foreign, { labels: { x: 'y' } })],
        ['delete', () => hangzhouAdmin.tenants.delete(foreign)],
        ['getQuota', () => hangzhouAdmin.tenants.getQuota(foreign)],
        ['setQuota', () => hangzhouAdmin.tenants.setQuota(foreign, limits)],
        ['getUsage', () => hangzhouAdmin.tenants.getUsage(foreign)],
      ];
      for (const [what, call] of calls) {
        expect(await refusal(call()), `${what} ${foreign}`).toEqual({
          status: 404,
          code: 'not_found',
        });
      }
    }
    // Same answer as for an id that does not exist at all.
    await expect(
      hangzhouAdmin.tenants.retrieve('ten_000000000000000000000'),
    ).rejects.toBeInstanceOf(NotFoundError);
    // A parent the caller can't see is "no such parent", not a 403.
    const error = await hangzhouAdmin.tenants
      .create({
        name: 'sneaky',
        displayName: text('潜', 'Sneaky'),
        parentId: ningbo.id,
        level: 'district',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect((error as UnprocessableEntityError).problem?.errors?.[0]?.path).toBe('/body/parentId');
    // Nothing changed.
    expect((await admin.tenants.retrieve(ningbo.id)).labels).toEqual({});
  });

  it('answers 403 where the tenant is visible but the role is not enough', async () => {
    // Only a platform-wide platform-admin creates provinces.
    expect(
      await refusal(
        hangzhouAdmin.tenants.create({
          name: 'jiangsu',
          displayName: text('江苏省', 'Jiangsu'),
          parentId: null,
          level: 'province',
        }),
      ),
    ).toEqual({ status: 403, code: 'forbidden' });
    // A tenant-admin can't set its own tenant's quota, nor delete its own tenant …
    const limits = { instances: 5, apps: null, memoryMb: null, storageMb: null, replicas: null };
    await expect(hangzhouAdmin.tenants.setQuota(hangzhou.id, limits)).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
    expect(await refusal(hangzhouAdmin.tenants.delete(hangzhou.id))).toEqual({
      status: 403,
      code: 'forbidden',
    });
    // … but it can below it.
    const quota = await hangzhouAdmin.tenants.setQuota(xihu.id, limits);
    expect(quota.limits.instances).toBe(5);
    await hangzhouAdmin.tenants.setQuota(xihu.id, { ...limits, instances: null });
    // A developer reads but doesn't administer.
    expect((await ningboDev.tenants.getQuota(ningbo.id)).tenantId).toBe(ningbo.id);
    expect((await ningboDev.tenants.getUsage(ningbo.id)).tenantId).toBe(ningbo.id);
    for (const call of [
      () => ningboDev.tenants.update(ningbo.id, { labels: { a: 'b' } }),
      () =>
        ningboDev.tenants.create({
          name: 'beilun',
          displayName: text('北仑区', 'Beilun'),
          parentId: ningbo.id,
          level: 'district',
        }),
      () => ningboDev.tenants.setQuota(ningbo.id, limits),
      () => ningboDev.tenants.delete(ningbo.id),
    ]) {
      expect(await refusal(call())).toEqual({ status: 403, code: 'forbidden' });
    }
    expect((await admin.tenants.retrieve(ningbo.id)).labels).toEqual({});
  });
});

describe('quotas and usage', () => {
  const none = { instances: null, apps: null, memoryMb: null, storageMb: null, replicas: null };

  it('inherits limits down the tree; a root without limits gets the platform defaults', async () => {
    const root = await admin.tenants.getQuota(zhejiang.id);
    expect(root).toEqual({
      tenantId: zhejiang.id,
      limits: none,
      // ZW_DEFAULT_QUOTA_INSTANCES=40 for this platform; the rest are the built-in defaults.
      effective: { instances: 40, apps: 50, memoryMb: 65536, storageMb: 1048576, replicas: 200 },
    });
    // A platform-admin may set a province above the defaults.
    await admin.tenants.setQuota(zhejiang.id, { ...none, instances: 100, memoryMb: 131072 });
    await admin.tenants.setQuota(hangzhou.id, { ...none, instances: 20 });
    const city = await admin.tenants.getQuota(hangzhou.id);
    expect(city.limits).toEqual({ ...none, instances: 20 });
    expect(city.effective).toEqual({
      instances: 20,
      apps: 50,
      memoryMb: 131072,
      storageMb: 1048576,
      replicas: 200,
    });
    // The township inherits through the district.
    expect((await hangzhouAdmin.tenants.getQuota(lingyin.id)).effective.instances).toBe(20);
    expect((await admin.tenants.getQuota(ningbo.id)).effective.instances).toBe(100);
  });

  it('refuses a child limit above the parent’s effective limit (422 quota_exceeded)', async () => {
    const error = await hangzhouAdmin.tenants
      .setQuota(xihu.id, { ...none, instances: 21, apps: 51 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect((error as UnprocessableEntityError).code).toBe('quota_exceeded');
    expect((error as UnprocessableEntityError).problem?.errors?.map((e) => e.path)).toEqual([
      '/body/instances',
      '/body/apps',
    ]);
    expect((await admin.tenants.getQuota(xihu.id)).limits).toEqual(none);
    // The same rule for an initial quota at creation; nothing is created.
    const before = await tenantCount();
    await expect(
      hangzhouAdmin.tenants.create({
        name: 'gongshu',
        displayName: text('拱墅区', 'Gongshu'),
        parentId: hangzhou.id,
        level: 'district',
        quota: { ...none, instances: 25 },
      }),
    ).rejects.toMatchObject({ status: 422, code: 'quota_exceeded' });
    expect(await tenantCount()).toBe(before);
    const gongshu = await hangzhouAdmin.tenants.create({
      name: 'gongshu',
      displayName: text('拱墅区', 'Gongshu'),
      parentId: hangzhou.id,
      level: 'district',
      quota: { ...none, instances: 8 },
    });
    expect(await admin.tenants.getQuota(gongshu.id)).toMatchObject({
      limits: { instances: 8 },
      effective: { instances: 8 },
    });
    // Lowering a parent below a child's own limit is allowed; the child's effective limit
    // is then the parent's (the tightest on its path).
    await admin.tenants.setQuota(hangzhou.id, { ...none, instances: 6 });
    expect((await admin.tenants.getQuota(gongshu.id)).effective.instances).toBe(6);
    await admin.tenants.setQuota(hangzhou.id, { ...none, instances: 20 });
    await admin.tenants.delete(gongshu.id);
  });

  it('aggregates usage over the subtree, or the tenant alone', async () => {
    const defaults = platform.context.config.defaultQuota;
    await platform.db.transaction().execute(async (trx) => {
      await reserve(trx, hangzhou.id, { instances: 1, memoryMb: 1024 }, defaults);
    });
    await platform.db.transaction().execute(async (trx) => {
      await reserve(trx, xihu.id, { instances: 3, storageMb: 10240, apps: 1 }, defaults);
    });
    await platform.db.transaction().execute(async (trx) => {
      await reserve(trx, lingyin.id, { instances: 2, replicas: 4, memoryMb: 2048 }, defaults);
    });
    await platform.db.transaction().execute(async (trx) => {
      await reserve(trx, ningbo.id, { apps: 2 }, defaults);
    });
    const city = await hangzhouAdmin.tenants.getUsage(hangzhou.id);
    expect(city).toMatchObject({
      tenantId: hangzhou.id,
      includesDescendants: true,
      used: { instances: 6, apps: 1, memoryMb: 3072, storageMb: 10240, replicas: 4 },
      limits: { instances: 20, apps: 50, memoryMb: 131072 },
      byService: [], // reservations alone, no instances
    });
    expect(Date.parse(city.asOf)).toBeGreaterThan(Date.now() - 60_000);
    const alone = await hangzhouAdmin.tenants.getUsage(hangzhou.id, {
      includeDescendants: false,
    });
    expect(alone.includesDescendants).toBe(false);
    expect(alone.used).toEqual({
      instances: 1,
      apps: 0,
      memoryMb: 1024,
      storageMb: 0,
      replicas: 0,
    });
    expect((await admin.tenants.getUsage(zhejiang.id)).used).toEqual({
      instances: 6,
      apps: 3,
      memoryMb: 3072,
      storageMb: 10240,
      replicas: 4,
    });
    expect((await hangzhouAdmin.tenants.getUsage(lingyin.id)).used.instances).toBe(2);
  });

  it('breaks usage down by service: the instances that hold quota, over the subtree or not', async () => {
    const province = await insertTenant(platform.db, 'by-service');
    const city = await insertTenant(platform.db, 'by-service-city', province);
    const rows: [string, string, { instances: number; storageMb: number } | null][] = [
      [province.id, 'postgresql', { instances: 1, storageMb: 1024 }],
      [province.id, 'postgresql', { instances: 1, storageMb: 5120 }],
      [province.id, 'redis', { instances: 1, storageMb: 0 }],
      [province.id, 'mysql', null], // deleted: its quota was released
      [city.id, 'postgresql', { instances: 1, storageMb: 2048 }],
      [city.id, 'object-storage', { instances: 1, storageMb: 10240 }],
    ];
    for (const [i, [tenantId, service, reserved]] of rows.entries()) {
      await platform.db
        .insertInto('instances')
        .values({
          id: `ins_byService00000000000${i}`,
          tenant_id: tenantId,
          name: `svc-${i}`,
          service,
          plan: 'dev',
          parameters: '{}',
          labels: '{}',
          state: reserved ? 'ready' : 'deleted',
          pool: null,
          dashboard_url: null,
          last_operation_id: null,
          reserved: reserved && JSON.stringify(reserved),
        })
        .execute();
    }
    expect((await admin.tenants.getUsage(province.id)).byService).toEqual([
      { serviceId: 'object-storage', instances: 1, storageMb: 10240 },
      { serviceId: 'postgresql', instances: 3, storageMb: 8192 },
      { serviceId: 'redis', instances: 1, storageMb: 0 },
    ]);
    const alone = await admin.tenants.getUsage(province.id, { includeDescendants: false });
    expect(alone.byService).toEqual([
      { serviceId: 'postgresql', instances: 2, storageMb: 6144 },
      { serviceId: 'redis', instances: 1, storageMb: 0 },
    ]);
    expect((await admin.tenants.getUsage(city.id)).byService).toEqual([
      { serviceId: 'object-storage', instances: 1, storageMb: 10240 },
      { serviceId: 'postgresql', instances: 1, storageMb: 2048 },
    ]);
    await platform.db.deleteFrom('instances').where('id', 'like', 'ins_byService%').execute();
  });

  it('enforces every limit on the path, each over its own subtree', async () => {
    const defaults = platform.context.config.defaultQuota;
    // hangzhou allows 20 instances and its subtree uses 6: the township gets 14 more, not 15.
    const attempt = (n: number) =>
      platform.db
        .transaction()
        .execute((trx) => reserve(trx, lingyin.id, { instances: n }, defaults));
    await expect(attempt(15)).rejects.toMatchObject({
      code: 'quota_exceeded',
      status: 422,
      holderId: hangzhou.id,
      resource: 'instances',
      used: 6,
      requested: 15,
      limit: 20,
    });
    expect((await attempt(14)).instances).toBe(16);
    await expect(attempt(1)).rejects.toMatchObject({ code: 'quota_exceeded' });
    await platform.db.transaction().execute((trx) => release(trx, lingyin.id, { instances: 14 }));
    // Releasing more than is used is a bookkeeping bug, not a silent clamp.
    await expect(
      platform.db.transaction().execute((trx) => release(trx, lingyin.id, { instances: 3 })),
    ).rejects.toThrow(/cannot give back/);
    expect((await admin.tenants.getUsage(hangzhou.id)).used.instances).toBe(6);
  });

  it('copes with tenants written without quota and usage rows', async () => {
    // As other tests' fixtures insert them: a bare `tenants` row.
    const id = newId('ten');
    await platform.db
      .insertInto('tenants')
      .values({
        id,
        name: 'bare',
        display_name: JSON.stringify(text('裸', 'Bare')),
        parent_id: ningbo.id,
        path: [zhejiang.id, ningbo.id, id],
        level: 'district',
        region_code: null,
        labels: JSON.stringify({}),
      })
      .execute();
    expect((await admin.tenants.getQuota(id)).limits).toEqual(none);
    expect((await admin.tenants.getUsage(id)).used.instances).toBe(0);
    const defaults = platform.context.config.defaultQuota;
    const used = await platform.db
      .transaction()
      .execute((trx) => reserve(trx, id, { instances: 2 }, defaults));
    expect(used.instances).toBe(2);
    expect((await admin.tenants.setQuota(id, { ...none, instances: 3 })).effective.instances).toBe(
      3,
    );
    await platform.db.transaction().execute((trx) => release(trx, id, { instances: 2 }));
    await admin.tenants.delete(id);
  });

  it('deletes only empty tenants (409 not_empty)', async () => {
    expect(await refusal(hangzhouAdmin.tenants.delete(xihu.id))).toEqual({
      status: 409,
      code: 'not_empty',
    });
    // lingyin has no children but still uses quota.
    const error = await hangzhouAdmin.tenants.delete(lingyin.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).problem?.detail).toMatch(/still uses 2 instances/);
    await platform.db
      .transaction()
      .execute((trx) => release(trx, lingyin.id, { instances: 2, replicas: 4, memoryMb: 2048 }));
    const doomedToken = await insertToken(platform.db, lingyin.id, 'developer');
    await hangzhouAdmin.tenants.delete(lingyin.id);
    await expect(admin.tenants.retrieve(lingyin.id)).rejects.toBeInstanceOf(NotFoundError);
    // Its tokens went with it.
    await expect(platform.clientWith(doomedToken).tenants.list()).rejects.toMatchObject({
      status: 401,
    });
    const rows = await platform.db
      .selectFrom('quotas')
      .select('tenant_id')
      .where('tenant_id', '=', lingyin.id)
      .execute();
    expect(rows).toEqual([]);
  });
});

describe('bad input on createTenant', () => {
  const post = (body: string, contentType = 'application/json') =>
    fetch(`${platform.url}/v1/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform.adminToken}`, 'content-type': contentType },
      body,
    });
  const valid = () => ({
    name: 'wenzhou',
    displayName: { zh: '温州市', en: 'Wenzhou' },
    parentId: zhejiang.id,
    level: 'city',
  });

  it('answers problem+json and creates nothing', async () => {
    const before = await tenantCount();

    const malformed = await post('{"name": "wenzhou", ');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await malformed.json()).toMatchObject({ code: 'invalid_json', status: 400 });

    const unknown = await post(JSON.stringify({ ...valid(), colour: 'red' }));
    expect(unknown.status).toBe(422);
    const unknownBody = (await unknown.json()) as Schemas['Problem'];
    expect(unknownBody.code).toBe('validation_failed');
    expect(unknownBody.errors).toContainEqual(
      expect.objectContaining({ path: '/body/colour', message: 'unknown field' }),
    );

    const unknownNested = await post(
      JSON.stringify({ ...valid(), displayName: { zh: '温州', en: 'Wenzhou', fr: 'Wenzhou' } }),
    );
    expect(unknownNested.status).toBe(422);

    const wrongTypes = await post(
      JSON.stringify({ ...valid(), name: 42, level: 'county', labels: ['x'] }),
    );
    expect(wrongTypes.status).toBe(422);
    const paths = ((await wrongTypes.json()) as Schemas['Problem']).errors!.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/body/name', '/body/level', '/body/labels']));

    const missing = await post(JSON.stringify({ name: 'wenzhou', level: 'city' }));
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as Schemas['Problem']).errors!.map((e) => e.path)).toEqual(
      expect.arrayContaining(['/body/displayName', '/body/parentId']),
    );

    const badName = await post(JSON.stringify({ ...valid(), name: 'Wen Zhou' }));
    expect(badName.status).toBe(422);

    const negativeQuota = await post(
      JSON.stringify({
        ...valid(),
        quota: { instances: -1, apps: null, memoryMb: null, storageMb: null, replicas: null },
      }),
    );
    expect(negativeQuota.status).toBe(422);

    const notJson = await post('name=wenzhou', 'application/x-www-form-urlencoded');
    expect(notJson.status).toBe(415);
    expect(await notJson.json()).toMatchObject({ code: 'unsupported_media_type' });

    expect(await tenantCount()).toBe(before);
  });

  it('rejects an empty patch and a malformed id', async () => {
    await expect(admin.tenants.update(hangzhou.id, {})).rejects.toBeInstanceOf(
      UnprocessableEntityError,
    );
    await expect(admin.tenants.retrieve('not-a-tenant-id')).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      admin.tenants.getUsage(hangzhou.id, { includeDescendants: 'maybe' as unknown as boolean }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });
});

describe('audit', () => {
  const eventsOn = (targetId: string) =>
    platform.db
      .selectFrom('audit_events')
      .selectAll()
      .where(sql<boolean>`target->>'id' = ${targetId}`)
      .orderBy('sequence')
      .execute();

  it('records each mutation, in its transaction, with tenant and target', async () => {
    const tenant = await hangzhouAdmin.tenants.create({
      name: 'binjiang',
      displayName: text('滨江区', 'Binjiang'),
      parentId: hangzhou.id,
      level: 'district',
    });
    await hangzhouAdmin.tenants.update(tenant.id, { labels: { a: 'b' } });
    await hangzhouAdmin.tenants.setQuota(tenant.id, {
      instances: 2,
      apps: null,
      memoryMb: null,
      storageMb: null,
      replicas: null,
    });
    await hangzhouAdmin.tenants.delete(tenant.id);
    const events = await eventsOn(tenant.id);
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ['tenant.create', 'success'],
      ['tenant.update', 'success'],
      ['tenant.quota.set', 'success'],
      ['tenant.delete', 'success'],
    ]);
    const me = await platform.db
      .selectFrom('tokens')
      .select('id')
      .where('tenant_id', '=', hangzhou.id)
      .where('role', '=', 'tenant-admin')
      .executeTakeFirstOrThrow();
    for (const e of events) {
      expect(e.tenant_id).toBe(tenant.id);
      expect(e.target).toEqual({ type: 'tenant', id: tenant.id });
      expect(e.principal).toMatchObject({ type: 'token', id: me.id });
      expect(e.request_id).toMatch(/\S/);
    }
    // Reads are not audited.
    await hangzhouAdmin.tenants.retrieve(hangzhou.id);
    expect(await eventsOn(tenant.id)).toHaveLength(4);
  });

  it('records refusals as denied, without a success event', async () => {
    await refusal(hangzhouAdmin.tenants.update(ningbo.id, { labels: { x: 'y' } }));
    const denied = await eventually(async () => {
      const events = await eventsOn(ningbo.id);
      return events.find((e) => e.action === 'tenant.update');
    });
    expect(denied).toMatchObject({ outcome: 'denied', tenant_id: ningbo.id, reason: 'not_found' });

    const deniedQuotaSets = async () =>
      (await eventsOn(hangzhou.id)).filter(
        (e) => e.action === 'tenant.quota.set' && e.outcome === 'denied',
      );
    const before = (await deniedQuotaSets()).length;
    await refusal(
      hangzhouAdmin.tenants.setQuota(hangzhou.id, {
        instances: 1,
        apps: null,
        memoryMb: null,
        storageMb: null,
        replicas: null,
      }),
    );
    const forbidden = await eventually(async () => (await deniedQuotaSets())[before]);
    expect(forbidden).toMatchObject({ tenant_id: hangzhou.id, reason: 'forbidden' });
    // The quota was not changed.
    expect((await admin.tenants.getQuota(hangzhou.id)).limits.instances).toBe(20);
  });
});
