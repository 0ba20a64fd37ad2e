import { type Kysely, sql } from 'kysely';

/**
 * Deleted tenants: the id and `path` of every tenant `deleteTenant` removes, written in the
 * same transaction, so its audit events stay readable to the auditors whose subtree it was
 * in (`audit/access.ts`) and to no one else. Rows are never deleted: audit events outlive
 * the tenant by the retention period, and a row is a few ids.
 *
 * Tenants deleted before this migration left no path: their events are readable to
 * platform-wide audit roles only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('deleted_tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('path', sql`text[]`, (c) => c.notNull())
    .addColumn('deleted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // `path && roots`, as for `tenants_path`.
  await sql`CREATE INDEX deleted_tenants_path ON deleted_tenants USING gin (path)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('deleted_tenants').ifExists().execute();
}
