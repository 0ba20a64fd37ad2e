import { Kysely, type Migration, type MigrationProvider, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import * as controlPlane from './migrations/0001_control_plane';
import * as tenancy from './migrations/0002_tenancy';
import * as identity from './migrations/0003_identity';
import * as durability from './migrations/0004_durability';
import * as dataKeys from './migrations/0005_data_keys';
import * as services from './migrations/0006_services';
import * as osb from './migrations/0007_osb';
import * as apps from './migrations/0008_apps';
import * as scaling from './migrations/0009_scaling';
import * as deletedTenants from './migrations/0010_deleted_tenants';
import * as authFailures from './migrations/0011_auth_failures';
import * as duties from './migrations/0012_duties';
import type { Database } from './schema';

// bigint (int8) columns hold counters well below 2^53: read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

const parseTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ);
/**
 * Sessions run in UTC, so PostgreSQL writes `2026-11-26 08:00:00.123+00`: turn that into
 * ISO and let `Date` parse it (several times faster than the general parser, which lists
 * of hundreds of rows feel). Anything else goes to the general parser.
 */
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (value: string) =>
  value.endsWith('+00') && value.length >= 22
    ? new Date(`${value.slice(0, 10)}T${value.slice(11, -3)}Z`)
    : parseTimestamptz(value),
);

/** Versioned migrations, applied in name order; a new one is a new file added here. */
const migrations: Record<string, Migration> = {
  '0001_control_plane': controlPlane,
  '0002_tenancy': tenancy,
  '0003_identity': identity,
  '0004_durability': durability,
  '0005_data_keys': dataKeys,
  '0006_services': services,
  '0007_osb': osb,
  '0008_apps': apps,
  '0009_scaling': scaling,
  '0010_deleted_tenants': deletedTenants,
  '0011_auth_failures': authFailures,
  '0012_duties': duties,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export type Db = Kysely<Database>;

const pools = new WeakMap<Db, pg.Pool>();

/**
 * The `pg` pool behind a `Db` (not a transaction), for the few hot queries run as named,
 * prepared statements (`http/created-page.ts`): Kysely sends every query unnamed, so
 * PostgreSQL parses and analyses it each time.
 */
export const poolOf = (db: Db): pg.Pool | undefined => pools.get(db);

/** A pooled connection to the platform's state database. */
export function connect(url: string, maxConnections = 20): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: maxConnections,
    application_name: 'zhengwu-platform',
    // Prepared statements are still planned for their parameters each time: a list's
    // best plan depends on them (a subtree of ten tenants or of ten thousand).
    // UTC and ISO dates: lists read timestamps as text (`http/raw-json.ts`) in that form.
    options: '-c TimeZone=UTC -c DateStyle=ISO,YMD -c plan_cache_mode=force_custom_plan',
  });
  // An idle client's error (failover, shutdown) must not crash the process; pg-pool drops it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}

/**
 * Brings the schema up to date. Safe with several replicas starting at once: Kysely's
 * migrator takes a lock in the database.
 */
export async function migrate(db: Db): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(
      `数据库迁移失败 · migration ${failed?.migrationName ?? ''} failed: ${String(error)}`,
    );
  }
}
