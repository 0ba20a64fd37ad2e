import { readFile } from 'node:fs/promises';
import type { Zhengwu } from '@zhengwu/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../harness';
import { insertToken } from '../tokens-fixture';
import { fixtureTarball, getVia } from './fixture';

/** A rollback is a release like any other: it must fit the quota before it goes live. */
let platform: TestPlatform;
let dev: Zhengwu;

beforeAll(async () => {
  platform = await startTestPlatform(
    {},
    { operations: { pollMs: 50, backoff: { baseMs: 100, maxMs: 300, jitter: false } } },
  );
}, 120_000);
afterAll(() => platform?.close(), 60_000);

const manifest = (name: string, memoryMb: number) => ({
  apiVersion: 'zhengwu.gov.cn/v1',
  kind: 'App',
  metadata: { name },
  processes: {
    web: {
      command: 'node server.js',
      memoryMb,
      health: { readiness: { httpGet: { path: '/readyz' } } },
    },
  },
});

async function deployed(appId: string, version: string, name: string, memoryMb: number) {
  const source = await readFile(await fixtureTarball(version));
  const release = await dev.apps.deploy(appId, {
    source,
    manifest: manifest(name, memoryMb) as never,
  });
  for (let i = 0; i < 600; i++) {
    const r = await dev.apps.releases.retrieve(appId, release.id);
    if (['succeeded', 'failed', 'superseded'].includes(r.state)) return r;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('release did not finish');
}

it('refuses a rollback to a release that no longer fits the quota; what runs stays', async () => {
  const tenant = await platform.admin.tenants.create({
    parentId: null,
    name: 'rollback-quota',
    displayName: { zh: '回滚配额', en: 'rollback quota' },
    level: 'province',
  });
  await platform.admin.tenants.setQuota(tenant.id, {
    instances: null,
    apps: null,
    storageMb: null,
    replicas: null,
    memoryMb: 300,
  });
  dev = platform.clientWith(await insertToken(platform.db, tenant.id, 'developer'));
  const one = await dev.apps.create({ tenantId: tenant.id, name: 'one' });
  const big = await deployed(one.id, '1-big', 'one', 256);
  expect(big.state).toBe('succeeded');
  expect((await deployed(one.id, '2-small', 'one', 128)).state).toBe('succeeded');
  const two = await dev.apps.create({ tenantId: tenant.id, name: 'two' });
  expect((await deployed(two.id, 'two', 'two', 128)).state).toBe('succeeded');

  // 256 + 128 MB > 300 MB: refused before a release exists.
  await expect(dev.apps.rollback(one.id, { releaseId: big.id })).rejects.toMatchObject({
    status: 422,
    code: 'quota_exceeded',
  });
  const after = await dev.apps.retrieve(one.id);
  expect(after.processes.map((p) => p.memoryMb)).toEqual([128]);
  expect((await getVia(platform.url, '/apps/rollback-quota/one/')).body).toBe('hello v2-small');
  expect(await dev.tenants.getUsage(tenant.id)).toMatchObject({ used: { memoryMb: 256 } });
}, 120_000);
