import { type Kysely, sql } from 'kysely';

/**
 * Service instances, their bindings and the bindings' credentials (encrypted, one row per
 * version, so a rotation keeps the previous version until it is revoked).
 */
// Deleting a tenant (allowed once it has no live instances) takes the records of its deleted
// ones with it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('instances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('parameters', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('labels', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`state in ('provisioning','ready','updating','deprovisioning','deleted','failed')`,
        ),
    )
    .addColumn('pool', 'text')
    .addColumn('dashboard_url', 'text')
    .addColumn('last_operation_id', 'text')
    // What the instance holds of its tenant's quota; null once given back.
    .addColumn('reserved', 'jsonb')
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  // A name is taken while the instance lives; deleted and failed ones free it.
  await sql`CREATE UNIQUE INDEX instances_live_name ON instances (tenant_id, name)
            WHERE state NOT IN ('deleted', 'failed')`.execute(db);
  await sql`CREATE INDEX instances_created ON instances (created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX instances_tenant_created ON instances (tenant_id, created_at DESC, id DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX instances_pool ON instances (pool) WHERE state <> 'deleted'`.execute(db);

  await db.schema
    .createTable('bindings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('instance_id', 'text', (c) =>
      c.notNull().references('instances.id').onDelete('cascade'),
    )
    .addColumn('app_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parameters', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .check(sql`state in ('creating','ready','rotating','deleting','deleted','failed')`),
    )
    .addColumn('credentials_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('rotated_at', 'timestamptz')
    .addColumn('last_operation_id', 'text')
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  await sql`CREATE UNIQUE INDEX bindings_live_name ON bindings (instance_id, name)
            WHERE state NOT IN ('deleted', 'failed')`.execute(db);
  await sql`CREATE INDEX bindings_created ON bindings (created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX bindings_instance ON bindings (instance_id)`.execute(db);

  await db.schema
    .createTable('binding_credentials')
    .addColumn('binding_id', 'text', (c) =>
      c.notNull().references('bindings.id').onDelete('cascade'),
    )
    .addColumn('version', 'integer', (c) => c.notNull())
    // Envelope-encrypted with the tenant's data key (never stored in clear).
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // A superseded version stays valid until then (the rotation's grace period).
    .addColumn('revoke_after', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addPrimaryKeyConstraint('binding_credentials_pk', ['binding_id', 'version'])
    .execute();
  await sql`CREATE INDEX binding_credentials_due ON binding_credentials (revoke_after)
            WHERE revoked_at IS NULL AND revoke_after IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('binding_credentials').execute();
  await db.schema.dropTable('bindings').execute();
  await db.schema.dropTable('instances').execute();
}
