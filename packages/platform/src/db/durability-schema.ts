import type { ColumnType, Generated, Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from './schema';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, T | string, T | string>;

/**
 * Tables and columns added by `0004_durability`, merged into `Database` where they are
 * used (`durable(db)`), so `schema.ts` stays as `0001` left it.
 */
export type DurabilityTables = {
  /** A retention step: events up to `sequence` were pruned; `hash` is that event's. */
  audit_checkpoints: {
    sequence: number;
    hash: string;
    /** When the last pruned event occurred. */
    occurred_at: Timestamp;
    /** The first sequence this step pruned (the previous checkpoint's `sequence` + 1). */
    pruned_from: number;
    created_at: Timestamp;
    /** HMAC-SM3 over the row with the chain key (`checkpointMac`). */
    mac: string;
  };
  operations: {
    last_error: Json<Record<string, unknown> | null>;
    request_id: string | null;
    cancellable: Generated<boolean>;
  };
  idempotency_keys: {
    owner: string | null;
    locked_until: Timestamp | null;
    request_id: string | null;
  };
};

export type DurableDatabase = Database & DurabilityTables;
export type DurableDb = Kysely<DurableDatabase>;
export type AuditCheckpointRow = Selectable<DurabilityTables['audit_checkpoints']>;
export type DurableOperationRow = Selectable<DurableDatabase['operations']>;

/** The same connection (or transaction), typed with the `0004` tables and columns. */
export function durable(db: Kysely<Database>): DurableDb;
export function durable(db: Transaction<Database>): Transaction<DurableDatabase>;
export function durable(db: Kysely<Database>): DurableDb {
  return db.withTables<DurabilityTables>() as unknown as DurableDb;
}
