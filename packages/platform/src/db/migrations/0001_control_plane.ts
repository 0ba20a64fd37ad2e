import { type Kysely, sql } from 'kysely';

/** Tenancy, identity, audit, durable operations and idempotency: the control plane's core. */
// List tables keep `created_at` to the millisecond (`timestamptz(3)`): list cursors carry it
// as an ISO timestamp, which must name a row's position exactly.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('display_name', 'jsonb', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('tenants.id'))
    .addColumn('path', sql`text[]`, (c) => c.notNull())
    .addColumn('level', 'text', (c) =>
      c.notNull().check(sql`level in ('province','city','district','township')`),
    )
    .addColumn('region_code', 'text')
    .addColumn('labels', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Names are unique among siblings; provinces (no parent) among themselves.
  await sql`CREATE UNIQUE INDEX tenants_sibling_name ON tenants (coalesce(parent_id, ''), name)`.execute(
    db,
  );
  await sql`CREATE INDEX tenants_path ON tenants USING gin (path)`.execute(db);

  for (const table of ['quotas', 'usage'] as const) {
    const nullable = table === 'quotas';
    let t = db.schema
      .createTable(table)
      .addColumn('tenant_id', 'text', (c) =>
        c.primaryKey().references('tenants.id').onDelete('cascade'),
      );
    for (const column of ['instances', 'apps', 'memory_mb', 'storage_mb', 'replicas']) {
      t = t.addColumn(column, 'bigint', (c) =>
        nullable
          ? c.check(sql.raw(`${column} >= 0`))
          : c
              .notNull()
              .defaultTo(0)
              .check(sql.raw(`${column} >= 0`)),
      );
    }
    await t.execute();
  }

  await db.schema
    .createTable('members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('principal_type', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('members_one_per_tenant', ['tenant_id', 'principal_type', 'principal_id'])
    .execute();
  await db.schema
    .createIndex('members_principal')
    .on('members')
    .columns(['principal_type', 'principal_id'])
    .execute();

  await db.schema
    .createTable('tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.references('tenants.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('system', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addCheckConstraint('tokens_tenant_unless_system', sql`system or tenant_id is not null`)
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('sequence', 'bigint', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('principal', 'jsonb', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'jsonb')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('source_ip', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_events_tenant')
    .on('audit_events')
    .columns(['tenant_id', 'sequence'])
    .execute();
  await db.schema
    .createIndex('audit_events_occurred')
    .on('audit_events')
    .column('occurred_at')
    .execute();

  await db.schema
    .createTable('operations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('progress', 'jsonb', (c) => c.notNull())
    .addColumn('input', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('error', 'jsonb')
    .addColumn('cancel_requested', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('run_after', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'timestamptz')
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Workers look for runnable work; finished operations drop out of this partial index.
  await sql`CREATE INDEX operations_runnable ON operations (run_after) WHERE state IN ('pending','running')`.execute(
    db,
  );
  await db.schema
    .createIndex('operations_target')
    .on('operations')
    .columns(['target_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('operations_tenant')
    .on('operations')
    .columns(['tenant_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('headers', 'jsonb')
    .addColumn('body', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['principal_id', 'key'])
    .execute();
  await db.schema
    .createIndex('idempotency_keys_expiry')
    .on('idempotency_keys')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'idempotency_keys',
    'operations',
    'audit_events',
    'tokens',
    'members',
    'usage',
    'quotas',
    'tenants',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
