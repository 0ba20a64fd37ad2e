import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Schemas } from '@zhengwu/openapi';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Db } from '../src/db/database';
import {
  type Amounts,
  type QuotaDelta,
  QuotaExceededError,
  release,
  reserve,
} from '../src/tenancy/quota';
import { startTestPlatform, type TestPlatform } from './harness';

/**
 * Quota enforcement under contention: 100 allocations at once, each in its own transaction
 * on its own pooled connection, against one limit. Exactly `limit` may succeed.
 */

const CONCURRENT = 100;
/** Connections of this test's own pool: enough that dozens of transactions really overlap. */
const POOL = 40;

let platform: TestPlatform;
let db: Db;
let province: Schemas['Tenant'];
const none = { instances: null, apps: null, memoryMb: null, storageMb: null, replicas: null };

/** The platform's state database, for a second pool of our own. */
async function stateDatabaseUrl(p: TestPlatform): Promise<string> {
  const { config } = p.context;
  if (config.databaseUrl) return config.databaseUrl;
  const { rows } = await sql<{ port: number; name: string }>`
    SELECT inet_server_port() AS port, current_database() AS name`.execute(p.db);
  const password = (await readFile(join(config.dataDir, 'postgres-password'), 'utf8')).trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${rows[0]!.port}/${rows[0]!.name}`;
}

const create = (name: string, parentId: string | null, level: Schemas['Tenant']['level']) =>
  platform.admin.tenants.create({ name, displayName: { zh: name, en: name }, parentId, level });

/** Runs `reserve` for each tenant at once, each in its own transaction; tallies the outcomes. */
async function race(tenantIds: string[], delta: QuotaDelta) {
  const defaults = platform.context.config.defaultQuota;
  // Everyone starts together: each transaction waits on a barrier before it allocates.
  let open!: () => void;
  const barrier = new Promise<void>((resolve) => {
    open = resolve;
  });
  const started = Date.now();
  const attempts = tenantIds.map((tenantId) =>
    db.transaction().execute(async (trx) => {
      await sql`SELECT 1`.execute(trx); // the connection and its transaction are taken
      await barrier;
      return reserve(trx, tenantId, delta, defaults);
    }),
  );
  setTimeout(open, 200);
  const results = await Promise.allSettled(attempts);
  const ms = Date.now() - started - 200;
  const refused = results.filter((r) => r.status === 'rejected').map((r) => r.reason as unknown);
  return {
    succeeded: results.filter((r) => r.status === 'fulfilled').length,
    refused,
    other: refused.filter((e) => !(e instanceof QuotaExceededError)),
    ms,
  };
}

const usageOf = async (tenantId: string, includeDescendants = true): Promise<Amounts> =>
  (await platform.admin.tenants.getUsage(tenantId, { includeDescendants })).used;

beforeAll(async () => {
  platform = await startTestPlatform();
  db = connect(await stateDatabaseUrl(platform), POOL);
  province = await create('anhui', null, 'province');
  // Room for every test below (the default, 50 instances, would be shared by all of them).
  await platform.admin.tenants.setQuota(province.id, { ...none, instances: 1000, apps: 1000 });
}, 60_000);
afterAll(async () => {
  await db?.destroy();
  await platform?.close();
});

describe(`${CONCURRENT} concurrent reservations`, () => {
  it('never overshoot a limit on the tenant itself', async () => {
    const LIMIT = 37;
    const city = await create('hefei', province.id, 'city');
    await platform.admin.tenants.setQuota(city.id, { ...none, instances: LIMIT });
    const run = await race(Array(CONCURRENT).fill(city.id), { instances: 1, memoryMb: 256 });
    console.info(
      `limit on the tenant: ${run.succeeded} of ${CONCURRENT} reserved, ${run.refused.length} quota_exceeded, ${run.ms} ms`,
    );
    expect(run.other).toEqual([]);
    expect(run.succeeded).toBe(LIMIT);
    expect(run.refused).toHaveLength(CONCURRENT - LIMIT);
    for (const error of run.refused as QuotaExceededError[]) {
      expect(error).toMatchObject({
        status: 422,
        code: 'quota_exceeded',
        holderId: city.id,
        resource: 'instances',
        used: LIMIT,
        limit: LIMIT,
      });
    }
    expect(await usageOf(city.id)).toMatchObject({ instances: LIMIT, memoryMb: LIMIT * 256 });
  });

  it('never overshoot an ancestor’s limit shared by sibling tenants', async () => {
    const LIMIT = 41;
    const city = await create('wuhu', province.id, 'city');
    await platform.admin.tenants.setQuota(city.id, { ...none, instances: LIMIT });
    const districts = [
      await create('jinghu', city.id, 'district'),
      await create('yijiang', city.id, 'district'),
      await create('jiujiang', city.id, 'district'),
    ];
    const town = await create('fanchang', districts[2]!.id, 'township');
    const targets = [...districts, town];
    const run = await race(
      Array.from({ length: CONCURRENT }, (_, i) => targets[i % targets.length]!.id),
      { instances: 1 },
    );
    console.info(
      `limit on an ancestor: ${run.succeeded} of ${CONCURRENT} reserved across ${targets.length} descendants, ${run.refused.length} quota_exceeded, ${run.ms} ms`,
    );
    expect(run.other).toEqual([]);
    expect(run.succeeded).toBe(LIMIT);
    for (const error of run.refused as QuotaExceededError[]) {
      expect(error.holderId).toBe(city.id);
      expect(error.used).toBe(LIMIT);
    }
    expect((await usageOf(city.id)).instances).toBe(LIMIT);
    let own = 0;
    for (const t of targets) own += (await usageOf(t.id, false)).instances;
    expect(own).toBe(LIMIT);
  });

  it('never overshoot the platform default of a province without limits', async () => {
    const root = await create('jiangxi', null, 'province');
    const city = await create('nanchang', root.id, 'city');
    // Default replicas: 200. Five replicas at a time: exactly 40 of 100 fit.
    const run = await race(
      Array.from({ length: CONCURRENT }, (_, i) => (i % 2 ? city.id : root.id)),
      { replicas: 5 },
    );
    expect(run.other).toEqual([]);
    expect(run.succeeded).toBe(200 / 5);
    expect((await usageOf(root.id)).replicas).toBe(200);
  });

  it('give a name to exactly one of many concurrent creates (the rest 409)', async () => {
    const city = await create('bengbu', province.id, 'city');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => create('longzihu', city.id, 'district')),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({
        status: 409,
        code: 'already_exists',
      });
    }
  });

  it('never leave an orphan when a parent is deleted while children are created', async () => {
    const outcomes = { deleteFirst: 0, createFirst: 0 };
    for (let round = 0; round < 10; round++) {
      const city = await create(`huainan-${round}`, province.id, 'city');
      const [deleted, child] = await Promise.allSettled([
        platform.admin.tenants.delete(city.id),
        create('tianjiaan', city.id, 'district'),
      ]);
      if (deleted.status === 'fulfilled') {
        // The delete came first: the create found no parent.
        outcomes.deleteFirst++;
        expect(child).toMatchObject({ status: 'rejected', reason: { status: 422 } });
      } else {
        // The create came first: the delete saw the child.
        outcomes.createFirst++;
        expect(deleted.reason).toMatchObject({ status: 409, code: 'not_empty' });
        expect(child.status).toBe('fulfilled');
      }
    }
    console.info(`delete vs. create of a child, 10 rounds: ${JSON.stringify(outcomes)}`);
    const { rows } = await sql`SELECT count(*)::int AS n FROM tenants c
      WHERE c.parent_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM tenants p WHERE p.id = c.parent_id)`.execute(db);
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('interleave reservations and releases at every depth without deadlock or drift', async () => {
    const city = await create('anqing', province.id, 'city');
    await platform.admin.tenants.setQuota(city.id, { ...none, apps: 30 });
    const district = await create('yingjiang', city.id, 'district');
    const town = await create('dalong', district.id, 'township');
    const sibling = await create('daguan', city.id, 'district');
    const tree = [city, district, town, sibling];
    // Seed each tenant with the 5 apps it gives back below (20 in all).
    for (const t of tree) {
      await db
        .transaction()
        .execute((trx) => reserve(trx, t.id, { apps: 5 }, platform.context.config.defaultQuota));
    }
    const defaults = platform.context.config.defaultQuota;
    const ops = Array.from({ length: CONCURRENT }, (_, i) => {
      const t = tree[i % tree.length]!;
      return i % 5 === 0
        ? db.transaction().execute(async (trx) => ({
            op: 'release' as const,
            usage: await release(trx, t.id, { apps: 1 }),
          }))
        : db.transaction().execute(async (trx) => ({
            op: 'reserve' as const,
            usage: await reserve(trx, t.id, { apps: 1 }, defaults),
          }));
    });
    const results = await Promise.allSettled(ops);
    const failures = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
    expect(failures.filter((e) => !(e instanceof QuotaExceededError))).toEqual([]);
    const reserved = results.filter(
      (r) => r.status === 'fulfilled' && r.value.op === 'reserve',
    ).length;
    const released = results.filter(
      (r) => r.status === 'fulfilled' && r.value.op === 'release',
    ).length;
    expect(released).toBe(CONCURRENT / 5);
    const total = (await usageOf(city.id)).apps;
    expect(total).toBe(20 + reserved - released);
    expect(total).toBeLessThanOrEqual(30);
    expect(reserved).toBeGreaterThanOrEqual(10);
  });
});
