import type { Schemas } from '@zhengwu/openapi';
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  PermissionDeniedError,
  type Zhengwu,
} from '@zhengwu/sdk';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { durable } from '../src/db/durability-schema';
import type { TenantRow } from '../src/db/schema';
import { ProblemError } from '../src/http/problems';
import { newId } from '../src/ids';
import { type EnqueueInput, enqueue, pruneFinishedOperations } from '../src/operations/queue';
import {
  LeaseLostError,
  OperationCanceledError,
  type OperationHandler,
  type OperationType,
  registerOperationHandler,
  WorkerShutdownError,
} from '../src/operations/registry';
import { OperationRunner, type RunnerOptions } from '../src/operations/runner';
import { eventually, http, sleep, tenant, token } from './durability-helpers';
import { startTestPlatform, type TestPlatform } from './harness';

let platform: TestPlatform;
let hubei: TenantRow;
let wuhan: TenantRow;
let hunan: TenantRow;
let developer: Zhengwu;
let developerSecret: string;
let auditor: Zhengwu;
let outsider: Zhengwu;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A runner with test timings (the platform's own runner is off: ZW_OPERATION_WORKERS=0). */
function runner(options: Partial<RunnerOptions> = {}): OperationRunner {
  const r = new OperationRunner(platform.db, platform.context.audit, {
    workers: 2,
    leaseMs: 1_000,
    pollMs: 20,
    backoff: { baseMs: 150, maxMs: 2_000, jitter: false },
    shutdownGraceMs: 2_000,
    ...options,
  }).start();
  cleanups.push(() => r.stop(200));
  return r;
}

function handle(type: OperationType, handler: OperationHandler): void {
  cleanups.push(registerOperationHandler(type, handler));
}

async function add(type: OperationType, extra: Partial<EnqueueInput> = {}) {
  return platform.db.transaction().execute((trx) =>
    enqueue(trx, {
      type,
      tenantId: wuhan.id,
      target: { type: 'instance', id: newId('ins') },
      requestId: newId('req'),
      ...extra,
    }),
  );
}

const get = (id: string) => platform.admin.operations.retrieve(id);
async function until(id: string, states: Schemas['Operation']['state'][]) {
  return eventually(
    async () => {
      const op = await get(id);
      return states.includes(op.state) ? op : undefined;
    },
    15_000,
    `operation ${id} to be ${states.join('/')}`,
  );
}
const row = (id: string) =>
  durable(platform.db)
    .selectFrom('operations')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

beforeAll(async () => {
  platform = await startTestPlatform({ ZW_OPERATION_WORKERS: '0' });
  hubei = await tenant(platform.db, 'hubei');
  wuhan = await tenant(platform.db, 'wuhan', hubei);
  hunan = await tenant(platform.db, 'hunan');
  developerSecret = await token(platform.db, hubei.id, 'developer');
  developer = platform.clientWith(developerSecret);
  auditor = platform.clientWith(await token(platform.db, hubei.id, 'auditor'));
  outsider = platform.clientWith(await token(platform.db, hunan.id, 'developer'));
}, 60_000);
afterAll(() => platform?.close());

describe('enqueue', () => {
  it('exists exactly when the caller’s transaction commits', async () => {
    const id = await platform.db
      .transaction()
      .execute(async (trx) => {
        const op = await enqueue(trx, {
          type: 'instance.provision',
          tenantId: wuhan.id,
          target: { type: 'instance', id: newId('ins') },
        });
        throw Object.assign(new Error('rolled back'), { id: op.id });
      })
      .catch((e: { id: string }) => e.id);
    await expect(get(id)).rejects.toBeInstanceOf(NotFoundError);

    const op = await add('instance.provision');
    expect(await developer.operations.retrieve(op.id)).toMatchObject({
      id: op.id,
      tenantId: wuhan.id,
      type: 'instance.provision',
      state: 'pending',
      target: { type: 'instance', id: op.target_id },
      progress: { percent: 0, step: null, message: null },
      attempts: 0,
      error: null,
      startedAt: null,
      finishedAt: null,
    });
    await durable(platform.db).deleteFrom('operations').where('id', '=', op.id).execute();
  });
});

describe('workers', () => {
  it('run the handler, report progress, and finish once with an audit event', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    handle('instance.update', async ({ progress, operation }) => {
      expect(operation.attempt).toBe(1);
      await progress(40, 'create-replicas', { zh: '正在创建副本', en: 'Creating replicas' });
      await gate;
    });
    const op = await add('instance.update', { input: { size: 'm' } });
    runner();
    const midway = await eventually(async () => {
      const o = await developer.operations.retrieve(op.id);
      return o.progress.percent === 40 ? o : undefined;
    });
    expect(midway).toMatchObject({
      state: 'running',
      attempts: 1,
      progress: { step: 'create-replicas', message: { en: 'Creating replicas' } },
    });
    expect(midway.startedAt).not.toBeNull();
    release();
    const done = await until(op.id, ['succeeded']);
    expect(done).toMatchObject({ attempts: 1, error: null, progress: { percent: 100 } });
    expect(done.finishedAt).not.toBeNull();
    const audit = await platform.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', 'like', 'operation.%')
      .where(sql<string>`target->>'id'`, '=', op.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'operation.succeeded',
      outcome: 'success',
      tenant_id: wuhan.id,
      request_id: op.request_id,
      principal: { type: 'system', id: 'operations' },
    });
  });

  it('commit a handler’s final writes with its success, retrying when they fail', async () => {
    let commits = 0;
    let holdCommit!: () => void;
    const held = new Promise<void>((r) => {
      holdCommit = r;
    });
    let committing!: (id: string) => void;
    const followUp = new Promise<string>((r) => {
      committing = r;
    });
    handle('instance.update', async () => async (trx) => {
      commits += 1;
      if (commits === 1) throw new Error('the database went away (test)');
      // A follow-up enqueued by the final writes, as a build enqueues its deploy.
      const next = await enqueue(trx, {
        type: 'instance.deprovision',
        tenantId: wuhan.id,
        target: { type: 'instance', id: newId('ins') },
      });
      committing(next.id);
      await held;
    });
    const op = await add('instance.update');
    runner();
    const next = await followUp;
    // Mid-commit: the operation still runs and nothing of its final writes shows.
    expect((await get(op.id)).state).toBe('running');
    await expect(get(next)).rejects.toBeInstanceOf(NotFoundError);
    holdCommit();
    const done = await until(op.id, ['succeeded']);
    expect(done.attempts).toBe(2);
    expect(await get(next)).toMatchObject({ state: 'pending', type: 'instance.deprovision' });
    await durable(platform.db).deleteFrom('operations').where('id', '=', next).execute();
  });

  it('never run one operation twice, however many workers claim at once', async () => {
    const runs = new Map<string, number>();
    handle('instance.deprovision', async ({ operation }) => {
      runs.set(operation.id, (runs.get(operation.id) ?? 0) + 1);
      await sleep(Math.random() * 15);
    });
    const ops = await Promise.all(Array.from({ length: 60 }, () => add('instance.deprovision')));
    for (let i = 0; i < 4; i++) runner({ workers: 5, workerId: `racer-${i}` });
    for (const op of ops) await until(op.id, ['succeeded']);
    expect(runs.size).toBe(60);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    const rows = await durable(platform.db)
      .selectFrom('operations')
      .select(['attempts', 'state'])
      .where(
        'id',
        'in',
        ops.map((o) => o.id),
      )
      .execute();
    expect(rows.every((r) => r.attempts === 1 && r.state === 'succeeded')).toBe(true);
  });

  it('retry a failed attempt with exponential backoff, then succeed', async () => {
    const times: number[] = [];
    handle('binding.create', async ({ operation }) => {
      times.push(Date.now());
      if (operation.attempt < 3) throw new Error(`engine timed out (attempt ${operation.attempt})`);
    });
    const op = await add('binding.create', { target: { type: 'binding', id: newId('bnd') } });
    runner({ backoff: { baseMs: 300, maxMs: 5_000, jitter: false } });
    // Between attempts: still running, no final error, the attempt's problem kept aside.
    const waiting = await eventually(async () => {
      const r = await row(op.id);
      return r.attempts === 1 && r.locked_by === null ? r : undefined;
    });
    expect(waiting.state).toBe('running');
    expect(waiting.error).toBeNull();
    expect(waiting.last_error).toMatchObject({ code: 'internal', status: 500 });
    expect(waiting.run_after.getTime()).toBeGreaterThan(Date.now());
    const done = await until(op.id, ['succeeded']);
    expect(done.attempts).toBe(3);
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(280); // 300 ms
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(580); // 600 ms
  });

  it('fail with the problem after the last attempt, or at once for a permanent problem', async () => {
    let calls = 0;
    handle('binding.rotate', async () => {
      calls++;
      throw new Error('connection refused: secret=hunter2');
    });
    const op = await add('binding.rotate', {
      target: { type: 'binding', id: newId('bnd') },
      maxAttempts: 3,
    });
    runner({ backoff: { baseMs: 20, maxMs: 100, jitter: false } });
    const failed = await until(op.id, ['failed']);
    expect(calls).toBe(3);
    expect(failed.attempts).toBe(3);
    expect(failed.error).toMatchObject({
      type: 'https://zhengwu.gov.cn/problems/internal',
      title: expect.any(String),
      status: 500,
      code: 'internal',
      instance: `/v1/operations/${op.id}`,
      requestId: op.request_id,
    });
    expect(failed.error!.detail).not.toMatch(/hunter2/); // internal messages are not shown
    const [audit] = await platform.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'operation.failed')
      .where(sql<string>`target->>'id'`, '=', op.id)
      .execute();
    expect(audit).toMatchObject({ outcome: 'failure', reason: 'internal' });

    let permanentCalls = 0;
    handle('binding.delete', async () => {
      permanentCalls++;
      throw new ProblemError('validation_failed', 'The plan has no such version.');
    });
    const permanent = await add('binding.delete', {
      target: { type: 'binding', id: newId('bnd') },
    });
    const settled = await until(permanent.id, ['failed']);
    expect(permanentCalls).toBe(1);
    expect(settled.error).toMatchObject({
      code: 'validation_failed',
      status: 422,
      detail: 'The plan has no such version.',
    });
  });

  it('resume an operation whose worker died once its lease expires', async () => {
    const seen: { attempt: number; percent: number }[] = [];
    handle('release.build', async ({ operation, progress }) => {
      seen.push({ attempt: operation.attempt, percent: operation.progress.percent });
      await progress(100, 'done');
    });
    const op = await add('release.build', { target: { type: 'release', id: newId('rel') } });
    // As a process that claimed it, reported 40 % and died (kill -9) leaves it:
    await durable(platform.db)
      .updateTable('operations')
      .set({
        state: 'running',
        attempts: 1,
        locked_by: 'dead-host/4242/abcdef',
        locked_until: sql<Date>`now() + interval '600 milliseconds'`,
        started_at: sql<Date>`now()`,
        progress: JSON.stringify({ percent: 40, step: 'compile', message: null }),
      })
      .where('id', '=', op.id)
      .execute();
    const started = Date.now();
    runner();
    const done = await until(op.id, ['succeeded']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500); // not before the lease ran out
    expect(seen).toEqual([{ attempt: 2, percent: 40 }]);
    expect(done.attempts).toBe(2);
  });

  it('renew the lease of a long handler, so no other worker takes it over', async () => {
    let runs = 0;
    handle('release.deploy', async () => {
      runs++;
      await sleep(2_500); // 2.5 × the lease
    });
    const op = await add('release.deploy', { target: { type: 'release', id: newId('rel') } });
    runner({ workerId: 'first' });
    await until(op.id, ['running']);
    runner({ workerId: 'second' });
    await until(op.id, ['succeeded']);
    expect(runs).toBe(1);
  });

  it('stop a worker that lost its lease without letting it write', async () => {
    let lost: unknown;
    let step!: () => void;
    const stepped = new Promise<void>((r) => {
      step = r;
    });
    handle('app.rollback', async ({ progress, signal }) => {
      await progress(10, 'one');
      step();
      await sleep(600);
      try {
        await progress(50, 'two');
      } catch (error) {
        lost = error;
        throw error;
      }
      expect(signal.aborted).toBe(true);
    });
    const op = await add('app.rollback', { target: { type: 'app', id: newId('app') } });
    runner({ workerId: 'victim' });
    await stepped;
    await durable(platform.db)
      .updateTable('operations')
      .set({ locked_by: 'thief', locked_until: sql<Date>`now() + interval '1 hour'` })
      .where('id', '=', op.id)
      .execute();
    await eventually(() => lost);
    expect(lost).toBeInstanceOf(LeaseLostError);
    await sleep(100);
    expect(await row(op.id)).toMatchObject({
      state: 'running',
      locked_by: 'thief',
      progress: { percent: 10, step: 'one' },
    });
    await durable(platform.db).deleteFrom('operations').where('id', '=', op.id).execute();
  });

  it('revoke a claim that the same runner makes again after its lease ran out', async () => {
    // Each claim has its own lease token: a worker stalled past its lease (a blocked event
    // loop) cannot write over the attempt that took over, even in the same process.
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let finish!: () => void;
    const second = new Promise<void>((r) => {
      finish = r;
    });
    let stale: unknown;
    handle('app.delete', async ({ operation, progress }) => {
      if (operation.attempt === 1) {
        await progress(10, 'one');
        await gate;
        try {
          await progress(50, 'two');
        } catch (error) {
          stale = error;
          throw error;
        }
        return;
      }
      await progress(20, 'again');
      await second;
      await progress(100, 'done');
    });
    const op = await add('app.delete', { target: { type: 'app', id: newId('app') } });
    runner({ workers: 2 });
    await eventually(async () => ((await get(op.id)).progress.percent === 10 ? true : undefined));
    await durable(platform.db)
      .updateTable('operations')
      .set({ locked_until: sql<Date>`now() - interval '1 second'` })
      .where('id', '=', op.id)
      .execute();
    await eventually(async () => ((await row(op.id)).progress.step === 'again' ? true : undefined));
    release(); // the stale attempt wakes up while the new one runs
    await eventually(() => stale);
    expect(stale).toBeInstanceOf(LeaseLostError);
    expect((await row(op.id)).progress.step).toBe('again');
    finish();
    const done = await until(op.id, ['succeeded']);
    expect(done.attempts).toBe(2);
    const finished = await platform.db
      .selectFrom('audit_events')
      .select('action')
      .where(sql<string>`target->>'id'`, '=', op.id)
      .execute();
    expect(finished).toEqual([{ action: 'operation.succeeded' }]);
    expect((await get(op.id)).progress).toMatchObject({ percent: 100, step: 'done' });
  });

  it('fail an operation whose workers kept dying, without running it again', async () => {
    let calls = 0;
    handle('app.restart', async () => {
      calls++;
    });
    const op = await add('app.restart', {
      target: { type: 'app', id: newId('app') },
      maxAttempts: 2,
    });
    await durable(platform.db)
      .updateTable('operations')
      .set({
        state: 'running',
        attempts: 2,
        locked_by: 'dead',
        locked_until: new Date(Date.now() - 1),
      })
      .where('id', '=', op.id)
      .execute();
    runner();
    const failed = await until(op.id, ['failed']);
    expect(calls).toBe(0);
    expect(failed.attempts).toBe(2);
    expect(failed.error).toMatchObject({ code: 'internal' });
    expect(failed.error!.detail).toMatch(/stopped 2 times/);
  });

  it('only claim the types this process has handlers for', async () => {
    const op = await add('app.delete', { target: { type: 'app', id: newId('app') } });
    runner();
    await sleep(300);
    expect((await row(op.id)).state).toBe('pending');
    handle('app.delete', async () => {});
    await until(op.id, ['succeeded']);
  });
});

describe('shutdown', () => {
  it('lets running handlers finish within the grace period', async () => {
    handle('instance.provision', async () => {
      await sleep(300);
    });
    const op = await add('instance.provision');
    const r = runner();
    await until(op.id, ['running']);
    await r.stop(5_000);
    expect((await get(op.id)).state).toBe('succeeded');
  });

  it('aborts the rest and releases their leases for another worker', async () => {
    let aborted: unknown;
    let attempts = 0;
    handle('instance.provision', async ({ signal, operation }) => {
      attempts++;
      if (operation.attempt === 1 && attempts === 1) {
        await new Promise((_, reject) =>
          signal.addEventListener('abort', () => {
            aborted = signal.reason;
            reject(signal.reason);
          }),
        );
      }
    });
    const op = await add('instance.provision');
    const first = runner();
    await until(op.id, ['running']);
    await first.stop(100);
    expect(aborted).toBeInstanceOf(WorkerShutdownError);
    expect(await row(op.id)).toMatchObject({ state: 'running', locked_by: null, attempts: 0 });
    runner();
    const done = await until(op.id, ['succeeded']);
    expect(done.attempts).toBe(1); // the interrupted attempt does not count
  });
});

describe('cancelOperation', () => {
  it('cancels a pending operation at once; a finished one is 409 invalid_state', async () => {
    const op = await add('app.restart', { target: { type: 'app', id: newId('app') } });
    const canceled = await developer.operations.cancel(op.id);
    expect(canceled).toMatchObject({ state: 'canceled' });
    expect(canceled.finishedAt).not.toBeNull();
    const again = await http(platform, developerSecret, 'POST', `/v1/operations/${op.id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'invalid_state' });
    expect(again.headers.get('x-should-retry')).toBe('false');
    // The refusal is audited after its response.
    const events = await eventually(async () => {
      const rows = await platform.db
        .selectFrom('audit_events')
        .select(['action', 'outcome', 'tenant_id'])
        .where(sql<string>`target->>'id'`, '=', op.id)
        .orderBy('sequence')
        .execute();
      return rows.length === 2 ? rows : undefined;
    });
    expect(events).toEqual([
      { action: 'operation.cancel', outcome: 'success', tenant_id: wuhan.id },
      { action: 'operation.cancel', outcome: 'failure', tenant_id: wuhan.id },
    ]);
  });

  it('aborts a running handler, which ends canceled', async () => {
    let reason: unknown;
    handle('instance.update', async ({ signal, progress }) => {
      await progress(20, 'resize');
      await new Promise((_, reject) =>
        signal.addEventListener('abort', () => {
          reason = signal.reason;
          reject(signal.reason);
        }),
      );
    });
    const op = await add('instance.update');
    runner();
    await eventually(async () => ((await get(op.id)).progress.percent === 20 ? true : undefined));
    const accepted = await developer.operations.cancel(op.id);
    expect(accepted.state).toBe('running'); // accepted; stops at its next heartbeat
    const done = await until(op.id, ['canceled']);
    expect(reason).toBeInstanceOf(OperationCanceledError);
    expect(done.error).toBeNull();
    const [audit] = await platform.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'operation.canceled')
      .where(sql<string>`target->>'id'`, '=', op.id)
      .execute();
    expect(audit).toMatchObject({ outcome: 'failure', reason: 'canceled' });
  });

  it('refuses once past the point of no return', async () => {
    let crossed!: () => void;
    const past = new Promise<void>((r) => {
      crossed = r;
    });
    let finish!: () => void;
    const gate = new Promise<void>((r) => {
      finish = r;
    });
    handle('instance.deprovision', async ({ pointOfNoReturn }) => {
      await pointOfNoReturn();
      crossed();
      await gate;
    });
    const op = await add('instance.deprovision');
    runner();
    await past;
    const err = await developer.operations.cancel(op.id).catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.code).toBe('invalid_state');
    finish();
    await until(op.id, ['succeeded']);
  });

  it('needs a developer, tenant-admin or platform-admin role; other tenants get 404', async () => {
    const op = await add('app.restart', { target: { type: 'app', id: newId('app') } });
    await expect(auditor.operations.cancel(op.id)).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(outsider.operations.cancel(op.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(outsider.operations.retrieve(op.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await row(op.id)).state).toBe('pending');
    expect((await platform.admin.operations.cancel(op.id)).state).toBe('canceled');
  });
});

describe('listOperations', () => {
  it('lists the caller’s subtrees newest first, filtered, with bound cursors', async () => {
    const target = newId('ins');
    // Creation times have millisecond precision: apart by a few, "newest first" is one order
    // (two made in the same millisecond are ordered by id instead).
    const later = async <T>(make: () => Promise<T>) => {
      await sleep(3);
      return make();
    };
    const mine = [
      await add('instance.provision', { tenantId: hubei.id }),
      await later(() =>
        add('instance.update', { tenantId: wuhan.id, target: { type: 'instance', id: target } }),
      ),
      await later(() =>
        add('instance.update', { tenantId: wuhan.id, target: { type: 'instance', id: target } }),
      ),
    ];
    const theirs = await add('instance.provision', { tenantId: hunan.id });

    const visible = await developer.operations.list().toArray({ max: 1000 });
    const ids = visible.map((o) => o.id);
    expect(ids).toEqual(expect.arrayContaining(mine.map((o) => o.id)));
    expect(ids).not.toContain(theirs.id);
    const created = visible.map((o) => Date.parse(o.createdAt));
    expect(created).toEqual([...created].sort((a, b) => b - a));

    const onTarget = await developer.operations.list({ targetId: target }).toArray({ max: 10 });
    expect(onTarget.map((o) => o.id)).toEqual([mine[2]!.id, mine[1]!.id]);
    const ofProvince = await developer.operations
      .list({ tenantId: hubei.id })
      .toArray({ max: 100 });
    expect(ofProvince.every((o) => o.tenantId === hubei.id)).toBe(true);
    expect(ofProvince.map((o) => o.id)).toContain(mine[0]!.id);
    const pending = await developer.operations.list({ state: 'pending' }).toArray({ max: 1000 });
    expect(pending.every((o) => o.state === 'pending')).toBe(true);
    expect(await developer.operations.list({ tenantId: hunan.id }).toArray({ max: 10 })).toEqual(
      [],
    );
    expect((await outsider.operations.list().toArray({ max: 1000 })).map((o) => o.id)).toEqual([
      theirs.id,
    ]);

    const paged = await developer.operations.list({ limit: 2 }).toArray({ max: 1000 });
    expect(paged.map((o) => o.id)).toEqual(ids);
    const page = await developer.operations.list({ limit: 1, targetId: target });
    await expect(
      developer.operations.list({ limit: 1, state: 'pending', cursor: page.nextCursor! }),
    ).rejects.toBeInstanceOf(BadRequestError);
    // Platform-wide: everything.
    const all = await platform.admin.operations.list().toArray({ max: 1000 });
    expect(all.map((o) => o.id)).toEqual(expect.arrayContaining([theirs.id, mine[0]!.id]));
  });

  it('keeps finished operations 30 days', async () => {
    const op = await add('app.restart', { target: { type: 'app', id: newId('app') } });
    await durable(platform.db)
      .updateTable('operations')
      .set({ state: 'succeeded', finished_at: sql<Date>`now() - interval '31 days'` })
      .where('id', '=', op.id)
      .execute();
    const recent = await add('app.restart', { target: { type: 'app', id: newId('app') } });
    await developer.operations.cancel(recent.id);
    expect(await pruneFinishedOperations(platform.db)).toBeGreaterThanOrEqual(1);
    await expect(get(op.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await get(recent.id)).state).toBe('canceled');
  });
});
