import { afterEach, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './harness';
import { insertToken } from './tokens-fixture';

/**
 * `/metrics` reports the platform's state as an operator alerts on it: engine pools (live
 * instances, capacity, up) and the operation queue (depth by type and state, the age of the
 * oldest operation waiting for a worker).
 */
let platform: TestPlatform | undefined;
afterEach(async () => {
  await platform?.close();
  platform = undefined;
});

async function scrape(p: TestPlatform): Promise<string> {
  const res = await fetch(`${p.url}/metrics`, {
    headers: { authorization: `Bearer ${p.adminToken}` },
  });
  expect(res.status).toBe(200);
  return res.text();
}

async function developer(p: TestPlatform, name: string) {
  const tenant = await p.admin.tenants.create({
    parentId: null,
    name,
    displayName: { zh: '指标', en: 'metrics' },
    level: 'province',
  });
  return {
    tenantId: tenant.id,
    dev: p.clientWith(await insertToken(p.db, tenant.id, 'developer')),
  };
}

it('counts the live instances of each pool against its capacity, and whether it is up', async () => {
  platform = await startTestPlatform(
    { ZW_EMBEDDED_ENGINES: 'mqtt', ZW_MQTT_PORT: '0', ZW_POOL_CAPACITY: '7' },
    { operations: { pollMs: 50 } },
  );
  const { tenantId, dev } = await developer(platform, 'metrics-pools');
  const pool = { pool: 'mqtt-embedded', service: 'mqtt' };
  const series = (name: string) => `${name}{pool="${pool.pool}",service="${pool.service}"}`;
  expect(await scrape(platform)).toContain(`${series('zhengwu_pool_instances')} 0`);
  const created = await dev.instances.create({
    tenantId,
    name: 'iot',
    service: 'mqtt',
    plan: 'dev',
  } as never);
  await dev.instances.waitUntilReady(created.id, { minDelay: 50, maxWaitTime: 30_000 });
  const text = await scrape(platform);
  expect(text).toContain(`${series('zhengwu_pool_instances')} 1`);
  expect(text).toContain(`${series('zhengwu_pool_capacity')} 7`);
  expect(text).toContain(`${series('zhengwu_pool_up')} 1`);
  await dev.raw.DELETE('/v1/instances/{instanceId}', {
    params: { path: { instanceId: created.id }, query: { force: true } },
  });
  await dev.instances.waitUntilDeleted(created.id, { minDelay: 50, maxWaitTime: 30_000 });
  expect(await scrape(platform)).toContain(`${series('zhengwu_pool_instances')} 0`);
}, 60_000);

it('shows the operation queue: what waits, by type, and for how long', async () => {
  // No workers: the provisioning stays pending.
  platform = await startTestPlatform({
    ZW_EMBEDDED_ENGINES: 'mqtt',
    ZW_MQTT_PORT: '0',
    ZW_OPERATION_WORKERS: '0',
  });
  const { tenantId, dev } = await developer(platform, 'metrics-queue');
  expect(await scrape(platform)).toMatch(/^zhengwu_operations_oldest_pending_seconds 0$/m);
  const created = await dev.instances.create({
    tenantId,
    name: 'waits',
    service: 'mqtt',
    plan: 'dev',
  } as never);
  await new Promise((r) => setTimeout(r, 1100));
  const text = await scrape(platform);
  expect(text).toContain('zhengwu_operations{type="instance.provision",state="pending"} 1');
  const age = Number(/^zhengwu_operations_oldest_pending_seconds (\S+)$/m.exec(text)?.[1]);
  expect(age).toBeGreaterThanOrEqual(1);
  expect(age).toBeLessThan(30);
  await dev.operations.cancel(created.lastOperation!.id);
  const after = await scrape(platform);
  expect(after).not.toContain('zhengwu_operations{type="instance.provision"');
  expect(after).toMatch(/^zhengwu_operations_oldest_pending_seconds 0$/m);
}, 60_000);
