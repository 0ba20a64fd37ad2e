import { type Kysely, sql } from 'kysely';

/**
 * Durability: audit retention checkpoints, audit search indexes, and what durable operations
 * and idempotency keys need beyond `0001` (see `db/durability-schema.ts` for the types).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per pruning step: the last pruned event's sequence and hash, MACed with the
  // chain key, so verification can start after pruned events and a forged row is detected.
  await db.schema
    .createTable('audit_checkpoints')
    .addColumn('sequence', 'bigint', (c) => c.primaryKey())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('pruned_from', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('mac', 'text', (c) => c.notNull())
    .execute();

  // Audit search: by request id (support, idempotent replays), by principal, by target.
  await sql`CREATE INDEX audit_events_request ON audit_events (request_id)`.execute(db);
  await sql`CREATE INDEX audit_events_principal ON audit_events ((principal->>'id'), sequence)`.execute(
    db,
  );
  await sql`CREATE INDEX audit_events_target ON audit_events ((target->>'id'), sequence)`.execute(
    db,
  );

  await db.schema
    .alterTable('operations')
    // The problem of the latest failed attempt while retries remain (`error` is only set
    // once the operation has failed for good).
    .addColumn('last_error', 'jsonb')
    // The request that enqueued it: audit events of the operation carry it.
    .addColumn('request_id', 'text')
    // Cleared by a handler past its point of no return: cancel then answers 409.
    .addColumn('cancellable', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
  // Lists (`listOperations`) page newest first; the retention job drops finished ones.
  await sql`CREATE INDEX operations_created ON operations (created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX operations_finished ON operations (finished_at) WHERE finished_at IS NOT NULL`.execute(
    db,
  );

  await db.schema
    .alterTable('idempotency_keys')
    // Who is processing the first request (random per attempt) and until when: a pending
    // key whose lease ran out (the process died) can be taken over by a retry.
    .addColumn('owner', 'text')
    .addColumn('locked_until', 'timestamptz')
    .addColumn('request_id', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('idempotency_keys')
    .dropColumn('owner')
    .dropColumn('locked_until')
    .dropColumn('request_id')
    .execute();
  await sql`DROP INDEX operations_finished`.execute(db);
  await sql`DROP INDEX operations_created`.execute(db);
  await db.schema
    .alterTable('operations')
    .dropColumn('last_error')
    .dropColumn('request_id')
    .dropColumn('cancellable')
    .execute();
  await sql`DROP INDEX audit_events_target`.execute(db);
  await sql`DROP INDEX audit_events_principal`.execute(db);
  await sql`DROP INDEX audit_events_request`.execute(db);
  await db.schema.dropTable('audit_checkpoints').execute();
}
