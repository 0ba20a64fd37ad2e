import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefaultQuota } from '../../src/config';
import type { Db } from '../../src/db/database';
import { ProblemError } from '../../src/http/problems';
import {
  listScalingEvents,
  pruneScalingEvents,
  recordScalingChange,
  recordScalingEvent,
} from '../../src/scaling/events';
import { checkManualReplicas, policyBounds } from '../../src/scaling/policies';
import { holdOf, replicaHold, syncReplicaHold } from '../../src/scaling/replica-hold';
import { scalingDb } from '../../src/scaling/tables';
import { SERVERS, serverAvailable } from '../brokers/servers';
import { createStateDb, insertApp, type StateDb } from './state-db';

/** The quota hold of policy and schedule maximums, and the scaling history, on PostgreSQL. */
const available = await serverAvailable('PostgreSQL', SERVERS.postgresql, 5432);

const DEFAULTS: DefaultQuota = {
  instances: 100,
  apps: 100,
  memoryMb: 1_000_000,
  storageMb: 1_000_000,
  replicas: 1_000,
};

let state: StateDb;
let db: Db;

async function usageReplicas(tenantId: string) {
  const row = await db
    .selectFrom('usage')
    .select('replicas')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return row.replicas;
}

async function refusal(call: Promise<unknown>): Promise<ProblemError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error('expected a problem');
}

describe('hold arithmetic', () => {
  it('holds per process the highest of replicas, policy and schedule maximums', () => {
    expect(holdOf({ web: 2, worker: 1 }, null, [])).toBe(3);
    expect(holdOf({ web: 2, worker: 1 }, { process: 'web', maxReplicas: 8 }, [])).toBe(9);
    expect(
      holdOf({ web: 2, worker: 1 }, { process: 'web', maxReplicas: 8 }, [
        { process: 'web', maxReplicas: 12 },
        { process: 'web', maxReplicas: 4 },
        { process: 'cron', maxReplicas: 2 },
      ]),
    ).toBe(15);
    expect(holdOf({ web: 20 }, { process: 'web', maxReplicas: 8 }, [])).toBe(20);
  });
});

describe.runIf(available)('scaling state on PostgreSQL', () => {
  beforeAll(async () => {
    state = await createStateDb();
    db = state.db;
  });
  afterAll(async () => {
    await state?.drop();
  });

  it('moves the app’s replicas hold within the tenant quota', async () => {
    const { appId, tenantId } = await insertApp(db, { web: 2 }, { replicasLimit: 10 });
    const app = { id: appId, tenant_id: tenantId };
    const sync = (overrides: Parameters<typeof syncReplicaHold>[3]) =>
      db.transaction().execute((trx) => syncReplicaHold(trx, DEFAULTS, app, overrides));

    expect(await sync({ policy: { process: 'web', maxReplicas: 8 } })).toBe(8);
    expect(await usageReplicas(tenantId)).toBe(8);
    const over = await refusal(sync({ policy: { process: 'web', maxReplicas: 12 } }));
    expect(over.code).toBe('quota_exceeded');
    // Refused: nothing moved.
    expect(await usageReplicas(tenantId)).toBe(8);
    // A schedule for another process counts on top: 8 + 3 > 10.
    const both = await refusal(
      sync({
        policy: { process: 'web', maxReplicas: 8 },
        schedules: [{ process: 'worker', maxReplicas: 3 }],
      }),
    );
    expect(both.code).toBe('quota_exceeded');
    expect(await sync({ policy: null })).toBe(2);
    expect(await usageReplicas(tenantId)).toBe(2);
    const row = await db
      .selectFrom('apps')
      .select('reserved')
      .where('id', '=', appId)
      .executeTakeFirstOrThrow();
    expect(row.reserved?.replicas).toBe(2);
  });

  it('reads the stored policy and schedules into the hold, and checks manual replicas', async () => {
    const { appId, tenantId } = await insertApp(db, { web: 3, worker: 1 });
    await scalingDb(db)
      .insertInto('scaling_policies')
      .values({
        app_id: appId,
        tenant_id: tenantId,
        enabled: true,
        process: 'web',
        min_replicas: 2,
        max_replicas: 6,
        target_metric: 'requestsPerSecond',
        target_value: 50,
        scale_up_seconds: 60,
        scale_down_seconds: 300,
      })
      .execute();
    expect(await replicaHold(db, appId)).toBe(7);
    expect(await replicaHold(db, appId, { replicas: { worker: 4 } })).toBe(10);
    expect(await policyBounds(db, appId, 'web')).toEqual({ min: 2, max: 6 });
    expect(await policyBounds(db, appId, 'worker')).toBeNull();
    await checkManualReplicas(db, appId, [
      { type: 'web', replicas: 6 },
      { type: 'worker', replicas: 50 },
    ]);
    const outside = await refusal(
      checkManualReplicas(db, appId, [
        { type: 'worker', replicas: 2 },
        { type: 'web', replicas: 7 },
      ]),
    );
    expect(outside.code).toBe('validation_failed');
    expect(outside.errors).toEqual([
      expect.objectContaining({ path: '/body/processes/1/replicas', code: 'autoscalingBounds' }),
    ]);
    // A disabled policy does not bind manual replicas.
    await scalingDb(db)
      .updateTable('scaling_policies')
      .set({ enabled: false })
      .where('app_id', '=', appId)
      .execute();
    expect(await policyBounds(db, appId, 'web')).toBeNull();
  });

  it('lists the history newest first, by process, page by page, and prunes after 90 days', async () => {
    const { appId, tenantId } = await insertApp(db, { web: 1, worker: 1 });
    // Ten days ago: before the manual event below, which happens now.
    const base = Date.now() - 10 * 86_400_000;
    for (let i = 0; i < 5; i++) {
      await recordScalingEvent(db, {
        appId,
        tenantId,
        process: i % 2 === 0 ? 'web' : 'worker',
        from: i,
        to: i + 1,
        reason: { kind: 'autoscaler', message: { zh: `第 ${i} 次`, en: `step ${i}` } },
        principalId: null,
        at: new Date(base + i * 60_000),
      });
    }
    await recordScalingChange(db, {
      appId,
      tenantId,
      process: 'web',
      from: 5,
      to: 2,
      reason: 'manual',
      detail: '手动调整 · Set by ops',
      principalId: 'tok_manual',
    });

    const first = await listScalingEvents(db, appId, { limit: 4 });
    expect(first.data.map((e) => e.toReplicas)).toEqual([2, 5, 4, 3]);
    expect(first.data[0]).toMatchObject({
      principalId: 'tok_manual',
      process: 'web',
      fromReplicas: 5,
      reason: { kind: 'manual', message: { zh: '手动调整', en: 'Set by ops' } },
    });
    expect(first.nextCursor).not.toBeNull();
    const second = await listScalingEvents(db, appId, { limit: 4, cursor: first.nextCursor! });
    expect(second.data.map((e) => e.toReplicas)).toEqual([2, 1]);
    expect(second.nextCursor).toBeNull();
    const web = await listScalingEvents(db, appId, { process: 'web' });
    expect(web.data.map((e) => e.toReplicas)).toEqual([2, 5, 3, 1]);
    // A cursor belongs to the list and filters that issued it.
    const wrong = await refusal(
      listScalingEvents(db, appId, { process: 'web', cursor: first.nextCursor! }),
    );
    expect(wrong.code).toBe('bad_request');

    // 90 days after the fourth event, the first four are gone.
    const pruned = await pruneScalingEvents(db, new Date(base + 3 * 60_000 + 90 * 86_400_000 + 1));
    expect(pruned).toBeGreaterThanOrEqual(4);
    const left = await listScalingEvents(db, appId, {});
    expect(left.data.map((e) => e.toReplicas)).toEqual([2, 5]);
  });
});
