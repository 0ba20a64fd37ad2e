import { type Kysely, sql } from 'kysely';

/**
 * The Open Service Broker API's ids (any string a platform such as Cloud Foundry chose) and
 * the instances and bindings they name, with what idempotent repeats are compared against:
 * a fingerprint of the creating request and the operation it started.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('osb_instances')
    .addColumn('osb_id', 'text', (c) => c.primaryKey())
    // Repointed when a platform reuses the id of a deleted or failed instance.
    .addColumn('instance_id', 'text', (c) =>
      c.notNull().unique().references('instances.id').onDelete('cascade'),
    )
    // SHA-256 of the provisioning request's attributes (canonical JSON).
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('provision_operation_id', 'text', (c) => c.notNull())
    // The last update's fingerprint and operation: a re-sent PATCH gets the same answer.
    .addColumn('update_fingerprint', 'text')
    .addColumn('update_operation_id', 'text')
    .addColumn('organization_guid', 'text', (c) => c.notNull())
    .addColumn('space_guid', 'text', (c) => c.notNull())
    .addColumn('context', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('osb_bindings')
    .addColumn('osb_instance_id', 'text', (c) =>
      c.notNull().references('osb_instances.osb_id').onDelete('cascade'),
    )
    .addColumn('osb_id', 'text', (c) => c.notNull())
    .addColumn('binding_id', 'text', (c) =>
      c.notNull().unique().references('bindings.id').onDelete('cascade'),
    )
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('create_operation_id', 'text', (c) => c.notNull())
    // `bind_resource.app_guid` (or the deprecated `app_guid`): the platform's app, not ours.
    .addColumn('app_guid', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('osb_bindings_pk', ['osb_instance_id', 'osb_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('osb_bindings').execute();
  await db.schema.dropTable('osb_instances').execute();
}
