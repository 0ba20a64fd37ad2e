import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../harness';
import { insertToken } from '../tokens-fixture';

// A provisioning canceled before any worker took it: no worker will ever run its cleanup, so
// the cancel itself fails the instance and gives its quota back (a platform with no workers
// keeps the operation pending).
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({
    ZW_EMBEDDED_ENGINES: 'mqtt',
    ZW_MQTT_PORT: '0',
    ZW_OPERATION_WORKERS: '0',
  });
}, 120_000);
afterAll(() => platform?.close());

it('cancels a pending provisioning: the instance fails and its quota is free again', async () => {
  const tenant = await platform.admin.tenants.create({
    parentId: null,
    name: 'cancel-pending',
    displayName: { zh: '取消', en: 'cancel' },
    level: 'province',
    quota: { instances: 1, apps: null, memoryMb: null, storageMb: null, replicas: null },
  });
  const dev = platform.clientWith(await insertToken(platform.db, tenant.id, 'developer'));
  const created = await dev.instances.create({
    tenantId: tenant.id,
    name: 'never',
    service: 'mqtt',
    plan: 'dev',
  } as never);
  expect(created.state).toBe('provisioning');
  expect((await dev.tenants.getUsage(tenant.id)).used.instances).toBe(1);

  const canceled = await dev.operations.cancel(created.lastOperation!.id);
  expect(canceled.state).toBe('canceled');
  expect((await dev.instances.retrieve(created.id)).state).toBe('failed');
  expect((await dev.tenants.getUsage(tenant.id)).used.instances).toBe(0);
  // The freed quota takes the next instance.
  const next = await dev.instances.create({
    tenantId: tenant.id,
    name: 'next',
    service: 'mqtt',
    plan: 'dev',
  } as never);
  expect(next.state).toBe('provisioning');
});
