import type { Schemas } from '@zhengwu/openapi';
import { sql } from 'kysely';
import type { Db } from '../db/database';
import { type DurableOperationRow, durable } from '../db/durability-schema';
import { newId } from '../ids';
import type { OperationTargetType, OperationType } from './registry';

export type Operation = Schemas['Operation'];

export interface EnqueueInput {
  type: OperationType;
  tenantId: string;
  target: { type: OperationTargetType; id: string };
  /** What the handler needs (no secrets: the row is readable by operators). */
  input?: Record<string, unknown>;
  /** Attempts before the operation fails for good (default 5). */
  maxAttempts?: number;
  /** The request that caused it; audit events of the operation carry it. */
  requestId?: string;
  /** Not before this time (default: now). */
  runAfter?: Date;
}

/** The `NOTIFY` channel that says an operation was enqueued (payload: its id). */
export const OPERATIONS_CHANNEL = 'zw_operations';

/** Finished operations are kept this long (the contract's 30 days). */
export const FINISHED_RETENTION_DAYS = 30;

/**
 * Adds an operation, `pending`, in the caller's transaction: it exists (and a worker may
 * claim it) exactly when the change that needs it commits.
 */
export async function enqueue(db: Db, input: EnqueueInput): Promise<DurableOperationRow> {
  // Millisecond `created_at`, written from JS: list cursors carry it as an ISO string.
  const now = new Date();
  const id = newId('op');
  // Delivered when (and only if) the transaction commits: idle workers of every replica
  // wake at once instead of at their next poll.
  await sql`SELECT pg_notify(${OPERATIONS_CHANNEL}, ${id})`.execute(db);
  return durable(db)
    .insertInto('operations')
    .values({
      id,
      tenant_id: input.tenantId,
      type: input.type,
      state: 'pending',
      target_type: input.target.type,
      target_id: input.target.id,
      progress: JSON.stringify({ percent: 0, step: null, message: null }),
      input: JSON.stringify(input.input ?? {}),
      ...(input.maxAttempts !== undefined && { max_attempts: input.maxAttempts }),
      error: null,
      run_after: input.runAfter ?? now,
      created_at: now,
      updated_at: now,
      request_id: input.requestId ?? id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** An operation row in the API's shape. */
export function toApiOperation(row: DurableOperationRow): Operation {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    type: row.type as Operation['type'],
    state: row.state,
    target: { type: row.target_type as OperationTargetType, id: row.target_id },
    progress: row.progress as Operation['progress'],
    attempts: row.attempts,
    error: (row.error as Operation['error']) ?? null,
    createdAt: row.created_at.toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Deletes operations finished more than `days` ago; returns how many. */
export async function pruneFinishedOperations(
  db: Db,
  days = FINISHED_RETENTION_DAYS,
): Promise<number> {
  const result = await db
    .deleteFrom('operations')
    .where('finished_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
