/**
 * Provisioning through the API, against the raw SQL it runs, on this machine's PostgreSQL.
 *
 * 1. Provision + bind of a PostgreSQL instance end to end (SDK: create → ready → bind →
 *    ready), against `rawProvisionAndBind` (CREATE ROLE + CREATE DATABASE + grants + login
 *    role straight through `pg`) in the same run. Target: median ratio ≤ 1.5×.
 * 2. 100 concurrent provisions across 10 tenants whose quota allows 8 instances each:
 *    p50/p99 time to ready, and proof that no tenant went over its quota.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { APIError, Zhengwu } from '@zhengwu/sdk';
import { PostgresBroker } from '../../packages/platform/src/brokers/postgresql';
import { rawProvisionAndBind } from '../../packages/platform/src/brokers/postgresql/raw-baseline';
import { loadConfig } from '../../packages/platform/src/config';
import { startPlatform } from '../../packages/platform/src/platform';

const ADMIN_URL = process.env.ZW_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const FAST_POLL = { minDelay: 5, maxDelay: 20, maxWaitTime: 120_000 };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

const dataDir = await mkdtemp(join(tmpdir(), 'zw-bench-provision-'));
const platform = await startPlatform(
  loadConfig({
    ZW_PORT: '0',
    ZW_DATA_DIR: dataDir,
    ZW_LOG_LEVEL: 'silent',
    ZW_EMBEDDED_ENGINES: 'none',
    ZW_OPERATION_WORKERS: '16',
  }),
  {
    brokers: [
      new PostgresBroker({ adminUrl: ADMIN_URL, pool: 'postgresql-bench', capacity: 10_000 }),
    ],
  },
);
const admin = new Zhengwu({ baseUrl: platform.url, token: platform.adminToken!, maxRetries: 0 });
const text = { zh: '压测', en: 'bench' };

try {
  const home = await admin.tenants.create({
    parentId: null,
    name: 'bench',
    displayName: text,
    level: 'province',
  });

  // 1. One provision + bind at a time, against the raw SQL.
  const api: number[] = [];
  const raw: number[] = [];
  for (let round = 0; round < ROUNDS + 1; round++) {
    const started = performance.now();
    const created = await admin.instances.create({
      tenantId: home.id,
      name: `one-${round}`,
      service: 'postgresql',
      plan: 'dev',
    });
    await admin.instances.waitUntilReady(created.id, FAST_POLL);
    const binding = await admin.bindings.create({ instanceId: created.id, name: 'app' });
    await admin.bindings.waitUntilReady(binding.id, FAST_POLL);
    const elapsed = performance.now() - started;
    const baseline = await rawProvisionAndBind(ADMIN_URL);
    if (round > 0) {
      // Round 0 warms connections and caches on both sides.
      api.push(elapsed);
      raw.push(baseline);
    }
    await admin.instances.delete(created.id, { force: true });
    await admin.instances.waitUntilDeleted(created.id, FAST_POLL);
  }

  // 2. 100 concurrent provisions across 10 tenants, 8 allowed each.
  const tenants = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      admin.tenants.create({
        parentId: null,
        name: `bench-${i}`,
        displayName: text,
        level: 'province',
      }),
    ),
  );
  for (const t of tenants) {
    await admin.tenants.setQuota(t.id, {
      instances: 8,
      apps: null,
      memoryMb: null,
      storageMb: null,
      replicas: null,
    });
  }
  const started = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: 100 }, async (_, i) => {
      const tenant = tenants[i % 10]!;
      const t0 = performance.now();
      try {
        const created = await admin.instances.create({
          tenantId: tenant.id,
          name: `c-${i}`,
          service: 'postgresql',
          plan: 'dev',
        });
        await admin.instances.waitUntilReady(created.id, FAST_POLL);
        return { ok: true as const, id: created.id, ms: performance.now() - t0 };
      } catch (error) {
        if (error instanceof APIError && error.code === 'quota_exceeded')
          return { ok: false as const };
        throw error;
      }
    }),
  );
  const wall = performance.now() - started;
  const ready = outcomes.filter((o) => o.ok);
  const times = ready.map((o) => o.ms);
  let overshoot = 0;
  for (const t of tenants) {
    const { used, limits } = await admin.tenants.getUsage(t.id);
    const live = (await admin.instances.list({ tenantId: t.id, limit: 100 })).data.length;
    if (used.instances > (limits.instances ?? 0) || live > 8) overshoot++;
  }
  await Promise.all(
    ready.map(async (o) => {
      await admin.instances.delete(o.id);
      await admin.instances.waitUntilDeleted(o.id, FAST_POLL);
    }),
  );

  const ratio = median(api) / median(raw);
  console.log(
    `\nPostgreSQL provisioning through the API (Node ${process.version}, ${ROUNDS} rounds)\n`,
  );
  console.log('| run | median ms | min–max ms |');
  console.log('| --- | ---: | ---: |');
  console.log(
    `| raw SQL (CREATE ROLE + DATABASE + grants + login role) | ${median(raw).toFixed(1)} | ${Math.min(...raw).toFixed(1)}–${Math.max(...raw).toFixed(1)} |`,
  );
  console.log(
    `| API: create → ready → bind → ready | ${median(api).toFixed(1)} | ${Math.min(...api).toFixed(1)}–${Math.max(...api).toFixed(1)} |`,
  );
  console.log(`\nprovision + bind = ${ratio.toFixed(2)}× raw SQL (target ≤ 1.5×)`);
  console.log(
    `100 concurrent provisions over 10 tenants (quota 8 each): ${ready.length} ready, ${100 - ready.length} refused (quota_exceeded); ` +
      `p50 ${percentile(times, 50).toFixed(0)} ms, p99 ${percentile(times, 99).toFixed(0)} ms, wall ${wall.toFixed(0)} ms; ` +
      `tenants over quota: ${overshoot}`,
  );
  if (overshoot > 0 || ready.length !== 80) process.exitCode = 1;
} finally {
  await platform.stop();
  await rm(dataDir, { recursive: true, force: true });
}
