import type { Schemas } from '@zhengwu/openapi';
import { NotFoundError, type Zhengwu } from '@zhengwu/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret, newTokenSecret, prefixOf } from '../src/auth/secrets';
import { newId } from '../src/ids';
import { event } from './durability-helpers';
import { startTestPlatform, type TestPlatform } from './harness';
import { call } from './identity-helpers';
import { insertToken } from './tokens-fixture';

/**
 * The audit events of a deleted tenant: readable to the auditors whose subtree it was in
 * (and platform-wide audit roles), never to another province's.
 */

type Tenant = Schemas['Tenant'];

let platform: TestPlatform;
let zhejiang: Tenant;
let jiangsu: Tenant;
let nanjing: Tenant;
let zhejiangAuditorToken: string;
let zhejiangAuditor: Zhengwu;
let jiangsuAuditor: Zhengwu;
/** The events about nanjing written before and by its delete, by the platform itself. */
let nanjingEvents: string[];

const text = (zh: string, en: string) => ({ zh, en });

beforeAll(async () => {
  platform = await startTestPlatform();
  const admin = platform.admin;
  zhejiang = await admin.tenants.create({
    name: 'zhejiang',
    displayName: text('浙江省', 'Zhejiang Province'),
    parentId: null,
    level: 'province',
  });
  jiangsu = await admin.tenants.create({
    name: 'jiangsu',
    displayName: text('江苏省', 'Jiangsu Province'),
    parentId: null,
    level: 'province',
  });
  nanjing = await admin.tenants.create({
    name: 'nanjing',
    displayName: text('南京市', 'Nanjing'),
    parentId: jiangsu.id,
    level: 'city',
  });
  // A platform-level event: a province auditor keeps seeing those.
  await platform.context.audit.append(platform.db, event({ action: 'auth.failure' }));
  zhejiangAuditorToken = await insertToken(platform.db, zhejiang.id, 'auditor');
  zhejiangAuditor = platform.clientWith(zhejiangAuditorToken);
  jiangsuAuditor = platform.clientWith(await insertToken(platform.db, jiangsu.id, 'auditor'));
  await admin.tokens.create({ name: 'nj-ci', tenantId: nanjing.id, role: 'developer' });

  const before = await zhejiangAuditor.auditEvents.list().toArray({ max: 1000 });
  expect(before.some((e) => e.tenantId === nanjing.id)).toBe(false);

  await admin.tenants.delete(nanjing.id);
  nanjingEvents = (
    await platform.db
      .selectFrom('audit_events')
      .select('id')
      .where('tenant_id', '=', nanjing.id)
      .orderBy('sequence')
      .execute()
  ).map((e) => e.id);
}, 60_000);
afterAll(() => platform?.close());

describe('audit events of a deleted tenant', () => {
  it('are not shown to an auditor of another province (list, filters, by id)', async () => {
    expect(nanjingEvents.length).toBeGreaterThanOrEqual(3); // create, token.create, delete
    const seen = await zhejiangAuditor.auditEvents.list().toArray({ max: 1000 });
    expect(seen.filter((e) => e.tenantId === nanjing.id)).toEqual([]);
    expect(seen.some((e) => e.tenantId === null)).toBe(true); // still a province auditor
    const filtered = await zhejiangAuditor.auditEvents
      .list({ tenantId: nanjing.id })
      .toArray({ max: 1000 });
    expect(filtered).toEqual([]);
    for (const action of ['tenant.create', 'token.create', 'tenant.delete'] as const) {
      const byAction = await zhejiangAuditor.auditEvents.list({ action }).toArray({ max: 1000 });
      expect(byAction.filter((e) => e.tenantId === nanjing.id)).toEqual([]);
    }
    for (const id of nanjingEvents) {
      await expect(zhejiangAuditor.auditEvents.retrieve(id)).rejects.toBeInstanceOf(NotFoundError);
      const raw = await call(platform, zhejiangAuditorToken, 'GET', `/v1/audit-events/${id}`);
      expect(raw.status).toBe(404);
    }
  });

  it('stay readable to the auditors of its former ancestors and to platform-wide ones', async () => {
    const seen = await jiangsuAuditor.auditEvents
      .list({ tenantId: nanjing.id })
      .toArray({ max: 1000 });
    expect(seen.map((e) => e.id).sort()).toEqual([...nanjingEvents].sort());
    expect(new Set(seen.map((e) => e.action))).toEqual(
      new Set(['tenant.create', 'token.create', 'tenant.delete']),
    );
    for (const id of nanjingEvents) {
      expect((await jiangsuAuditor.auditEvents.retrieve(id)).tenantId).toBe(nanjing.id);
    }

    const platformWide = await insertPlatformAuditor();
    const all = await platformWide.auditEvents
      .list({ tenantId: nanjing.id })
      .toArray({ max: 1000 });
    expect(all.map((e) => e.id).sort()).toEqual([...nanjingEvents].sort());
  });

  it('stay readable to a city auditor for a district deleted under it', async () => {
    const suzhou = await platform.admin.tenants.create({
      name: 'suzhou',
      displayName: text('苏州市', 'Suzhou'),
      parentId: jiangsu.id,
      level: 'city',
    });
    const gusu = await platform.admin.tenants.create({
      name: 'gusu',
      displayName: text('姑苏区', 'Gusu District'),
      parentId: suzhou.id,
      level: 'district',
    });
    const suzhouAuditor = platform.clientWith(await insertToken(platform.db, suzhou.id, 'auditor'));
    await platform.admin.tenants.delete(gusu.id);
    const seen = await suzhouAuditor.auditEvents.list({ tenantId: gusu.id }).toArray({ max: 100 });
    expect(seen.map((e) => e.action).sort()).toEqual(['tenant.create', 'tenant.delete']);
    const deleted = seen.find((e) => e.action === 'tenant.delete')!;
    expect((await suzhouAuditor.auditEvents.retrieve(deleted.id)).tenantId).toBe(gusu.id);
    await expect(zhejiangAuditor.auditEvents.retrieve(deleted.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('naming a tenant nobody owns (never existed, or deleted unrecorded) are platform-level', async () => {
    // A probe at an id no tenant ever had: no subtree owns the event, so it is the platform's
    // (province auditors read platform-level events) — unlike a recorded deleted tenant's.
    const appended = await platform.context.audit.append(
      platform.db,
      event({ tenantId: 'ten_neverExisted00000000', action: 'tenant.update' }),
    );
    for (const province of [zhejiangAuditor, jiangsuAuditor]) {
      expect((await province.auditEvents.retrieve(appended.id)).tenantId).toBe(
        'ten_neverExisted00000000',
      );
    }
    // Below a province, an auditor reads its subtree only.
    const ningbo = await platform.admin.tenants.create({
      name: 'ningbo',
      displayName: text('宁波市', 'Ningbo'),
      parentId: zhejiang.id,
      level: 'city',
    });
    const cityAuditor = platform.clientWith(await insertToken(platform.db, ningbo.id, 'auditor'));
    await expect(cityAuditor.auditEvents.retrieve(appended.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const platformWide = await insertPlatformAuditor();
    expect((await platformWide.auditEvents.retrieve(appended.id)).id).toBe(appended.id);
  });
});

/**
 * An auditor token with no tenant: a platform-wide audit role (a tenantless token must be a
 * `system` one; no route makes such a token, hence the direct insert).
 */
async function insertPlatformAuditor(): Promise<Zhengwu> {
  const secret = newTokenSecret();
  await platform.db
    .insertInto('tokens')
    .values({
      id: newId('tok'),
      name: 'platform auditor',
      tenant_id: null,
      role: 'auditor',
      system: true,
      prefix: prefixOf(secret),
      secret_hash: hashSecret(secret),
      expires_at: new Date(Date.now() + 86_400_000),
      created_by: 'test',
    })
    .execute();
  return platform.clientWith(secret);
}
