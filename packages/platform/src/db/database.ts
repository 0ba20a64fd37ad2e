import { Kysely, type Migration, type MigrationProvider, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import * as controlPlane from './migrations/0001_control_plane';
import * as tenancy from './migrations/0002_tenancy';
import * as identity from './migrations/0003_identity';
import * as durability from './migrations/0004_durability';
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
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export type Db = Kysely<Database>;

/** A pooled connection to the platform's state database. */
export function connect(url: string, maxConnections = 20): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: maxConnections,
    application_name: 'zhengwu-platform',
    options: '-c TimeZone=UTC',
  });
  // An idle client's error (failover, shutdown) must not crash the process; pg-pool drops it.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
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
