import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { problemCodes } from '@zhengwu/openapi';
import { sql } from 'kysely';
import type { AuditLog } from '../audit/log';
import type { Db } from '../db/database';
import { type DurableOperationRow, durable } from '../db/durability-schema';
import type { LocalizedText } from '../db/schema';
import { ProblemError } from '../http/problems';
import {
  LeaseLostError,
  OperationCanceledError,
  type OperationCommit,
  type OperationContext,
  type OperationFinalizer,
  type OperationHandler,
  type OperationType,
  type OperationView,
  operationFinalizer,
  operationHandler,
  registeredOperationTypes,
  WorkerShutdownError,
} from './registry';

export interface Logger {
  error(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
}

export interface RunnerOptions {
  /** Operations run at once by this process (`ZW_OPERATION_WORKERS`); 0 runs none. */
  workers: number;
  /**
   * How long a claim holds an operation without a heartbeat. Heartbeats renew it every
   * third of it; when the process dies, another worker resumes the operation after it.
   */
  leaseMs?: number;
  /** Idle workers look for runnable operations this often. */
  pollMs?: number;
  /** Delay before retry n (from 1): `min(maxMs, baseMs · 2^(n-1))`, jittered to 50–100 %. */
  backoff?: { baseMs: number; maxMs: number; jitter?: boolean };
  /** On stop, how long running handlers may take to finish before they are released. */
  shutdownGraceMs?: number;
  /** This process's worker name in `locked_by` (default: host/pid/random). */
  workerId?: string;
  /**
   * Handlers of this runner only (a platform's own, bound to its engines), besides those
   * registered process-wide with `registerOperationHandler`, which win on a clash (a test
   * or an embedding program replacing one).
   */
  handlers?: ReadonlyMap<OperationType, OwnHandler>;
  log?: Logger;
}

export const RUNNER_DEFAULTS = {
  leaseMs: 30_000,
  pollMs: 1_000,
  backoff: { baseMs: 2_000, maxMs: 300_000, jitter: true },
  shutdownGraceMs: 10_000,
} as const;

/** What the platform's own events about operations are recorded as. */
const SYSTEM_IP = '127.0.0.1';

type Problem = { code: string; [key: string]: unknown };

interface Active {
  id: string;
  /** This claim's `locked_by`: unique per claim, so a re-claim (even here) revokes it. */
  lease: string;
  controller: AbortController;
  done: Promise<void>;
}

/** A runner's own handler of one operation type and its optional finalizer. */
export interface OwnHandler {
  run: OperationHandler;
  finalize?: OperationFinalizer;
}

const quiet: Logger = { error() {}, warn() {} };

/**
 * Runs durable operations from the `operations` table.
 *
 * - **Claim**: `UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1)` takes one runnable
 *   operation of a registered type — `pending`, or `running` with no live lease (released,
 *   waiting for a retry whose `run_after` has come, or left behind by a dead process) —
 *   sets `locked_by`/`locked_until` and counts the attempt. Workers of any number of
 *   processes never take the same row.
 * - **Lease**: a heartbeat extends `locked_until` every `leaseMs / 3` and picks up cancel
 *   requests; every write of a worker is conditional on still holding the lease, so a
 *   worker that lost it (paused longer than the lease) changes nothing.
 * - **Outcome**: success → `succeeded`; a permanent problem or the last attempt →
 *   `failed` with the problem in `error`; another failure → retried after an exponential
 *   backoff (`run_after`); a cancel → `canceled`. Final states append an audit event
 *   (`operation.succeeded|failed|canceled`) in the same transaction.
 * - **Stop**: no new claims; running handlers get `shutdownGraceMs` to finish, then are
 *   aborted and their leases released (the attempt is not counted) for another worker.
 */
export class OperationRunner {
  readonly workerId: string;
  readonly #workers: number;
  readonly #leaseMs: number;
  readonly #pollMs: number;
  readonly #backoff: { baseMs: number; maxMs: number; jitter: boolean };
  readonly #graceMs: number;
  readonly #log: Logger;
  readonly #active = new Map<string, Active>();
  readonly #own: ReadonlyMap<OperationType, OwnHandler>;
  #loop: Promise<void> | undefined;
  #stopping = false;
  #claims = 0;
  #wake: (() => void) | undefined;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    options: RunnerOptions,
  ) {
    this.#workers = options.workers;
    this.#leaseMs = options.leaseMs ?? RUNNER_DEFAULTS.leaseMs;
    this.#pollMs = options.pollMs ?? RUNNER_DEFAULTS.pollMs;
    this.#backoff = { ...RUNNER_DEFAULTS.backoff, ...options.backoff };
    this.#graceMs = options.shutdownGraceMs ?? RUNNER_DEFAULTS.shutdownGraceMs;
    this.workerId =
      options.workerId ?? `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;
    this.#log = options.log ?? quiet;
    this.#own = options.handlers ?? new Map();
    if (!Number.isInteger(this.#workers) || this.#workers < 0) {
      throw new RangeError('workers must be a non-negative integer');
    }
    if (this.#leaseMs < 300) throw new RangeError('leaseMs must be at least 300');
  }

  /** Operations this process is running now. */
  get running(): number {
    return this.#active.size;
  }

  /** Starts claiming (no-op with 0 workers). */
  start(): this {
    if (this.#workers > 0 && !this.#loop && !this.#stopping) this.#loop = this.#run();
    return this;
  }

  /** Looks for work now instead of at the next poll (e.g. after enqueuing). */
  wake(): void {
    this.#wake?.();
  }

  /**
   * Stops claiming, waits up to `graceMs` for running handlers, then aborts the rest and
   * releases their leases so another worker (or the next start) resumes them at once.
   */
  async stop(graceMs = this.#graceMs): Promise<void> {
    this.#stopping = true;
    this.wake();
    await this.#loop;
    const all = () => Promise.allSettled([...this.#active.values()].map((a) => a.done));
    if (this.#active.size > 0) await Promise.race([all(), delay(graceMs)]);
    for (const active of this.#active.values()) {
      active.controller.abort(new WorkerShutdownError());
      await this.#release(active.id, active.lease).catch((error) =>
        this.#log.error({ err: error, operationId: active.id }, 'releasing an operation failed'),
      );
    }
    // Give aborted handlers a moment to unwind before the database goes away.
    if (this.#active.size > 0) await Promise.race([all(), delay(1_000)]);
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      if (this.#active.size >= this.#workers) {
        await this.#nap(this.#pollMs);
        continue;
      }
      let row: DurableOperationRow | undefined;
      try {
        row = await this.#claim();
      } catch (error) {
        this.#log.error({ err: error }, 'claiming an operation failed');
      }
      if (!row) {
        await this.#nap(this.#pollMs * (0.75 + Math.random() * 0.5));
        continue;
      }
      const claimed = row;
      const controller = new AbortController();
      const active: Active = {
        id: claimed.id,
        lease: claimed.locked_by!,
        controller,
        done: this.#attempt(claimed, controller)
          .catch((error) =>
            this.#log.error(
              { err: error, operationId: claimed.id },
              'operation bookkeeping failed',
            ),
          )
          .finally(() => {
            this.#active.delete(active.lease);
            this.wake();
          }),
      };
      this.#active.set(active.lease, active);
    }
  }

  /** Sleeps until `ms` passed or someone calls `wake()`. */
  #nap(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  async #claim(): Promise<DurableOperationRow | undefined> {
    const types = [...new Set([...registeredOperationTypes(), ...this.#own.keys()])];
    if (types.length === 0) return undefined;
    const { rows } = await sql<DurableOperationRow>`
      UPDATE operations AS o
      SET state = 'running',
          locked_by = ${`${this.workerId}#${++this.#claims}`},
          locked_until = now() + ${this.#leaseMs}::int * interval '1 millisecond',
          attempts = o.attempts + 1,
          started_at = coalesce(o.started_at, now()),
          updated_at = now()
      FROM (
        SELECT id FROM operations
        WHERE state IN ('pending', 'running')
          AND run_after <= now()
          AND (locked_until IS NULL OR locked_until < now())
          AND type = ANY(${types}::text[])
        ORDER BY run_after
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      ) AS next
      WHERE o.id = next.id
      RETURNING o.*`.execute(this.db);
    return rows[0];
  }

  /** One attempt: run the handler under a heartbeat, then record what came of it. */
  async #attempt(row: DurableOperationRow, controller: AbortController): Promise<void> {
    const lease = row.locked_by!;
    if (row.attempts > row.max_attempts) {
      // Every allowed attempt was claimed and none finished: the workers died running it.
      const died = new ProblemError(
        'internal',
        `Operation ${row.id} stopped ${row.max_attempts} times without finishing; its worker died each time.`,
      );
      await this.#finish(row, 'failed', toProblem(row, died));
      return;
    }
    const handler = operationHandler(row.type) ?? this.#own.get(row.type as OperationType)?.run;
    if (!handler) {
      await this.#release(row.id, lease); // unregistered since the claim
      return;
    }
    if (row.cancel_requested) controller.abort(new OperationCanceledError());
    const heartbeat = setInterval(
      () => void this.#heartbeat(row.id, lease, controller),
      Math.max(100, Math.floor(this.#leaseMs / 3)),
    );
    heartbeat.unref?.();
    let failure: unknown;
    let succeeded = false;
    let commit: OperationCommit | undefined;
    try {
      commit = (await handler(this.#context(row, controller))) ?? undefined;
      succeeded = true;
    } catch (error) {
      failure = error;
    } finally {
      clearInterval(heartbeat);
    }
    if (succeeded) {
      try {
        return void (await this.#finish(row, 'succeeded', null, commit));
      } catch (error) {
        if (!commit) throw error;
        failure = error; // the handler's final writes failed: an attempt like any other
      }
    }
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
    if (failure instanceof LeaseLostError || reason instanceof LeaseLostError) return;
    if (reason instanceof WorkerShutdownError) return void (await this.#release(row.id, lease));
    if (reason instanceof OperationCanceledError) {
      return void (await this.#finish(row, 'canceled', null));
    }
    const problem = toProblem(row, failure);
    if (!isRetryable(failure) || row.attempts >= row.max_attempts) {
      if (!(failure instanceof ProblemError)) {
        this.#log.error({ err: failure, operationId: row.id }, 'operation failed');
      }
      return void (await this.#finish(row, 'failed', problem));
    }
    const wait = this.#retryDelay(row.attempts);
    await durable(this.db)
      .updateTable('operations')
      .set({
        locked_by: null,
        locked_until: null,
        run_after: sql<Date>`now() + ${Math.round(wait)}::int * interval '1 millisecond'`,
        last_error: JSON.stringify(problem),
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', row.id)
      .where('locked_by', '=', lease)
      .where('state', '=', 'running')
      .execute();
  }

  /** Backoff before retry `attempt` + 1. */
  #retryDelay(attempt: number): number {
    const { baseMs, maxMs, jitter } = this.#backoff;
    const full = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
    return jitter ? full * (0.5 + Math.random() * 0.5) : full;
  }

  #context(row: DurableOperationRow, controller: AbortController): OperationContext {
    const lease = row.locked_by!;
    const owned = () =>
      durable(this.db)
        .updateTable('operations')
        .where('id', '=', row.id)
        .where('locked_by', '=', lease)
        .where('state', '=', 'running');
    const operation: OperationView = {
      id: row.id,
      type: row.type as OperationType,
      tenantId: row.tenant_id,
      target: { type: row.target_type as OperationView['target']['type'], id: row.target_id },
      input: row.input,
      attempt: row.attempts,
      maxAttempts: row.max_attempts,
      progress: row.progress as OperationView['progress'],
      requestId: row.request_id ?? row.id,
    };
    return {
      operation,
      db: this.db,
      signal: controller.signal,
      progress: async (percent, step = null, message = null) => {
        const value = { percent: Math.max(0, Math.min(100, Math.round(percent))), step, message };
        const updated = await owned()
          .set({ progress: JSON.stringify(value), updated_at: sql<Date>`now()` })
          .returning('id')
          .executeTakeFirst();
        if (!updated) throw new LeaseLostError(row.id);
        operation.progress = value as {
          percent: number;
          step: string | null;
          message: LocalizedText | null;
        };
      },
      pointOfNoReturn: async () => {
        const updated = await owned()
          .set({ cancellable: false, updated_at: sql<Date>`now()` })
          .where('cancel_requested', '=', false)
          .returning('id')
          .executeTakeFirst();
        if (updated) return;
        const reason = controller.signal.reason ?? new OperationCanceledError();
        if (!controller.signal.aborted) controller.abort(reason);
        throw reason;
      },
    };
  }

  /** Renews the lease; aborts the handler when it was lost or a cancel was requested. */
  async #heartbeat(id: string, lease: string, controller: AbortController): Promise<void> {
    if (controller.signal.aborted && controller.signal.reason instanceof LeaseLostError) return;
    try {
      const row = await durable(this.db)
        .updateTable('operations')
        .set({
          locked_until: sql<Date>`now() + ${this.#leaseMs}::int * interval '1 millisecond'`,
        })
        .where('id', '=', id)
        .where('locked_by', '=', lease)
        .where('state', '=', 'running')
        .returning('cancel_requested')
        .executeTakeFirst();
      if (!row) controller.abort(new LeaseLostError(id));
      else if (row.cancel_requested && !controller.signal.aborted) {
        controller.abort(new OperationCanceledError());
      }
    } catch (error) {
      this.#log.warn({ err: error, operationId: id }, 'operation heartbeat failed');
    }
  }

  /** Gives the operation back without counting the attempt (shutdown, unknown type). */
  async #release(id: string, lease: string): Promise<void> {
    await durable(this.db)
      .updateTable('operations')
      .set({
        locked_by: null,
        locked_until: null,
        attempts: sql<number>`greatest(attempts - 1, 0)`,
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .where('locked_by', '=', lease)
      .where('state', '=', 'running')
      .execute();
  }

  /**
   * Records a final state, the handler's commit (on success), the finalizer's writes and the
   * audit event in one transaction, if the lease is still ours.
   */
  async #finish(
    row: DurableOperationRow,
    state: 'succeeded' | 'failed' | 'canceled',
    problem: Problem | null,
    commit?: OperationCommit,
  ): Promise<void> {
    const lease = row.locked_by!;
    await this.db.transaction().execute(async (trx) => {
      const finished = await durable(trx)
        .updateTable('operations')
        .set({
          state,
          locked_by: null,
          locked_until: null,
          error: problem === null ? null : JSON.stringify(problem),
          last_error: problem === null ? null : JSON.stringify(problem),
          attempts: sql<number>`least(attempts, max_attempts)`,
          finished_at: sql<Date>`now()`,
          updated_at: sql<Date>`now()`,
          ...(state === 'succeeded' && {
            progress: sql<string>`jsonb_set(progress, '{percent}', '100')`,
          }),
        })
        .where('id', '=', row.id)
        .where('locked_by', '=', lease)
        .where('state', '=', 'running')
        .returning('id')
        .executeTakeFirst();
      if (!finished) return;
      await commit?.(trx);
      const finalize = operationHandler(row.type)
        ? operationFinalizer(row.type)
        : this.#own.get(row.type as OperationType)?.finalize;
      await finalize?.(
        trx,
        {
          id: row.id,
          type: row.type as OperationType,
          tenantId: row.tenant_id,
          target: { type: row.target_type as OperationView['target']['type'], id: row.target_id },
          input: row.input,
          requestId: row.request_id ?? row.id,
        },
        state,
        problem,
      );
      await this.audit.append(trx, {
        principal: { type: 'system', id: 'operations', name: `operation worker ${this.workerId}` },
        tenantId: row.tenant_id,
        action: `operation.${state}`,
        target: { type: 'operation', id: row.id },
        outcome: state === 'succeeded' ? 'success' : 'failure',
        reason: problem?.code ?? (state === 'canceled' ? 'canceled' : null),
        sourceIp: SYSTEM_IP,
        userAgent: null,
        requestId: row.request_id ?? row.id,
      });
    });
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());

/**
 * Whether a failed attempt may succeed when retried: any unexpected error (a lost
 * connection, an engine timing out) may; a problem the caller could not fix by waiting
 * (a 4xx other than 409 `conflict` and 429) may not.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ProblemError)) return true;
  return error.status >= 500 || error.status === 429 || error.code === 'conflict';
}

/** The `Operation.error` problem of a failed attempt. */
function toProblem(row: DurableOperationRow, error: unknown): Problem {
  const code = error instanceof ProblemError ? error.code : 'internal';
  const [status, title] = problemCodes[code];
  return {
    type: `https://zhengwu.gov.cn/problems/${code}`,
    title,
    status,
    // Unexpected errors are logged, not shown: their messages may name internals.
    detail:
      error instanceof ProblemError
        ? error.detail
        : `Operation ${row.id} failed after ${Math.min(row.attempts, row.max_attempts)} attempt(s); quote its id to support.`,
    instance: `/v1/operations/${row.id}`,
    code,
    requestId: row.request_id ?? row.id,
    ...(error instanceof ProblemError && error.errors && { errors: error.errors }),
  };
}
