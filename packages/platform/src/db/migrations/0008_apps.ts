import { type Kysely, sql } from 'kysely';

/**
 * Apps on the local runtime: the app, its process scale, uploaded sources, numbered releases
 * and the service instances its manifest's resources resolved to.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('apps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`state in ('created','deploying','running','degraded','stopped','failed','deleting','deleted')`,
        ),
    )
    .addColumn('current_release_id', 'text')
    .addColumn('env', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('labels', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    // Values of the manifest's `{ generate: secret }` variables, sealed with the tenant's key.
    .addColumn('secrets', 'text')
    .addColumn('last_operation_id', 'text')
    // What the app holds of its tenant's quota (`{ apps, replicas, memoryMb }`); null once given back.
    .addColumn('reserved', 'jsonb')
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  await sql`CREATE UNIQUE INDEX apps_live_name ON apps (tenant_id, name)
            WHERE state <> 'deleted'`.execute(db);
  await sql`CREATE INDEX apps_created ON apps (created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX apps_tenant_created ON apps (tenant_id, created_at DESC, id DESC)`.execute(
    db,
  );

  await db.schema
    .createTable('app_processes')
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('replicas', 'integer', (c) => c.notNull())
    .addColumn('memory_mb', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('app_processes_pk', ['app_id', 'type'])
    .execute();

  await db.schema
    .createTable('sources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('releases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`state in ('pending','building','releasing','deploying','succeeded','failed','superseded')`,
        ),
    )
    .addColumn('source_id', 'text', (c) => c.references('sources.id').onDelete('set null'))
    .addColumn('artifact_sha256', 'text')
    .addColumn('rollback_of', 'text')
    .addColumn('description', 'text')
    .addColumn('manifest', 'jsonb', (c) => c.notNull())
    .addColumn('failure', 'jsonb')
    .addColumn('last_operation_id', 'text')
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addUniqueConstraint('releases_app_version', ['app_id', 'version'])
    .execute();

  // Which instance and binding each manifest resource of an app resolved to.
  await db.schema
    .createTable('app_resources')
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('instance_id', 'text', (c) => c.notNull().references('instances.id'))
    .addColumn('binding_id', 'text', (c) => c.references('bindings.id'))
    .addPrimaryKeyConstraint('app_resources_pk', ['app_id', 'name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['app_resources', 'releases', 'sources', 'app_processes', 'apps']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
