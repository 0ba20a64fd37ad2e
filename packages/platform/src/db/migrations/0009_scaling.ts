import { type Kysely, sql } from 'kysely';

/**
 * Scaling: one autoscaling policy per app, scaling schedules (recurring cron windows and
 * one-off date windows), the log of replica changes (kept 90 days) and the autoscaler's
 * own state per process (cooldown times, metric samples, the schedule window in effect).
 * Everything goes with its app (`ON DELETE CASCADE`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scaling_policies')
    .addColumn('app_id', 'text', (c) => c.primaryKey().references('apps.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('process', 'text', (c) => c.notNull())
    .addColumn('min_replicas', 'integer', (c) => c.notNull())
    .addColumn('max_replicas', 'integer', (c) => c.notNull())
    .addColumn('target_metric', 'text', (c) =>
      c.notNull().check(sql`target_metric in ('cpu','memory','requestsPerSecond')`),
    )
    .addColumn('target_value', 'double precision', (c) => c.notNull().check(sql`target_value > 0`))
    .addColumn('scale_up_seconds', 'integer', (c) => c.notNull())
    .addColumn('scale_down_seconds', 'integer', (c) => c.notNull())
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'scaling_policies_bounds',
      sql`min_replicas >= 0 AND min_replicas <= max_replicas`,
    )
    .execute();

  await db.schema
    .createTable('scaling_schedules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('recurring','specificDate')`))
    .addColumn('process', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    // `recurring`: two 5-field cron expressions read in `timezone`.
    .addColumn('start_cron', 'text')
    .addColumn('end_cron', 'text')
    // `specificDate`: one window.
    .addColumn('start_at', 'timestamptz')
    .addColumn('end_at', 'timestamptz')
    .addColumn('min_replicas', 'integer', (c) => c.notNull())
    .addColumn('max_replicas', 'integer', (c) => c.notNull())
    .addColumn('initial_replicas', 'integer')
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('scaling_schedules_app_name', ['app_id', 'name'])
    .addCheckConstraint(
      'scaling_schedules_bounds',
      sql`min_replicas >= 0 AND min_replicas <= max_replicas
          AND (initial_replicas IS NULL OR initial_replicas BETWEEN min_replicas AND max_replicas)`,
    )
    .addCheckConstraint(
      'scaling_schedules_kind',
      sql`(kind = 'recurring' AND start_cron IS NOT NULL AND end_cron IS NOT NULL)
          OR (kind = 'specificDate' AND start_at IS NOT NULL AND end_at > start_at)`,
    )
    .execute();

  await db.schema
    .createTable('scaling_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('process', 'text', (c) => c.notNull())
    .addColumn('from_replicas', 'integer', (c) => c.notNull())
    .addColumn('to_replicas', 'integer', (c) => c.notNull())
    // The contract's ScalingReason, as it is.
    .addColumn('reason', 'jsonb', (c) => c.notNull())
    .addColumn('principal_id', 'text')
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE INDEX scaling_events_app_created
            ON scaling_events (app_id, created_at DESC, id DESC)`.execute(db);
  // Retention (90 days) deletes by age.
  await sql`CREATE INDEX scaling_events_created ON scaling_events (created_at)`.execute(db);

  // One row per scaled process; its row lock is what lets a single platform replica decide
  // for a process at a time (`FOR UPDATE SKIP LOCKED`).
  await db.schema
    .createTable('scaling_state')
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('process', 'text', (c) => c.notNull())
    .addColumn('last_scale_up_at', 'timestamptz')
    .addColumn('last_scale_down_at', 'timestamptz')
    // `<scheduleId>@<window start, ISO>` of the schedule window in effect at the last decision.
    .addColumn('window_key', 'text')
    // Recent metric samples `[{ at, value, replicas }]`, for the scale-down stabilisation window.
    .addColumn('samples', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('evaluated_at', 'timestamptz')
    .addPrimaryKeyConstraint('scaling_state_pk', ['app_id', 'process'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'scaling_state',
    'scaling_events',
    'scaling_schedules',
    'scaling_policies',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
