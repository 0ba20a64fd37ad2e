import { type Kysely, sql } from 'kysely';

/**
 * Failed authentications by source address, shared by the replicas of one state database so
 * the failed-login limit holds for the platform, not once per replica. Rows older than the
 * limiter's window are purged every minute.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('auth_failures')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('auth_failures_address_at')
    .on('auth_failures')
    .columns(['address', 'at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('auth_failures').ifExists().execute();
}
