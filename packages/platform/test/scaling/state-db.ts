import { sql } from 'kysely';
import pg from 'pg';
import { connect, type Db, migrate } from '../../src/db/database';
import * as scalingMigration from '../../src/db/migrations/0009_scaling';
import { newId } from '../../src/ids';
import { SERVERS } from '../brokers/servers';
import { insertTenant } from '../tenants-fixture';

/**
 * A throwaway state database on this machine's PostgreSQL, migrated as the platform does —
 * plus `0009_scaling` applied here while it is not yet in the platform's migration list.
 * Should the apps migration (`0008_apps`) not be registered either, minimal `apps` and
 * `app_processes` tables stand in for it (`usedFixtureAppTables` says so).
 */
export interface StateDb {
  db: Db;
  url: string;
  usedFixtureAppTables: boolean;
  connectAgain(): Db;
  drop(): Promise<void>;
}

const exists = async (db: Db, table: string) =>
  (await sql<{ r: string | null }>`SELECT to_regclass(${table}) AS r`.execute(db)).rows[0]?.r !==
  null;

export async function createStateDb(): Promise<StateDb> {
  const name = `zw_scaling_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: SERVERS.postgresql });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(SERVERS.postgresql);
  url.pathname = `/${name}`;
  const db = connect(url.href, 5);
  const others: Db[] = [];
  await migrate(db);
  let usedFixtureAppTables = false;
  if (!(await exists(db, 'apps'))) {
    usedFixtureAppTables = true;
    await sql`CREATE TABLE apps (
      id text PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      name text NOT NULL, state text NOT NULL, reserved jsonb,
      created_at timestamptz(3) NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())`.execute(
      db,
    );
    await sql`CREATE TABLE app_processes (
      app_id text NOT NULL REFERENCES apps(id) ON DELETE CASCADE, type text NOT NULL,
      replicas integer NOT NULL, memory_mb integer NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (app_id, type))`.execute(db);
  }
  if (!(await exists(db, 'scaling_policies'))) await scalingMigration.up(db as never);
  return {
    db,
    url: url.href,
    usedFixtureAppTables,
    connectAgain() {
      const other = connect(url.href, 5);
      others.push(other);
      return other;
    },
    async drop() {
      await Promise.all([db, ...others].map((d) => d.destroy()));
      const c = new pg.Client({ connectionString: SERVERS.postgresql });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A tenant with a `replicas` limit, and an app of it running the given processes. */
export async function insertApp(
  db: Db,
  processes: Record<string, number>,
  options: { replicasLimit?: number; tenantId?: string } = {},
): Promise<{ appId: string; tenantId: string }> {
  let tenantId = options.tenantId;
  if (!tenantId) {
    const tenant = await insertTenant(db, `t${Math.random().toString(36).slice(2, 10)}`);
    tenantId = tenant.id;
    await db
      .insertInto('quotas')
      .values({
        tenant_id: tenantId,
        instances: null,
        apps: null,
        memory_mb: null,
        storage_mb: null,
        replicas: options.replicasLimit ?? null,
      })
      .execute();
  }
  const replicas = Object.values(processes).reduce((a, b) => a + b, 0);
  const appId = newId('app');
  await sql`INSERT INTO usage (tenant_id, apps, replicas) VALUES (${tenantId}, 1, ${replicas})
            ON CONFLICT (tenant_id) DO UPDATE
            SET apps = usage.apps + 1, replicas = usage.replicas + ${replicas}`.execute(db);
  await sql`INSERT INTO apps (id, tenant_id, name, state, reserved)
            VALUES (${appId}, ${tenantId}, ${`app-${appId.slice(-8).toLowerCase()}`}, 'running',
                    ${JSON.stringify({ apps: 1, replicas, memoryMb: 0 })}::jsonb)`.execute(db);
  for (const [type, n] of Object.entries(processes)) {
    await sql`INSERT INTO app_processes (app_id, type, replicas, memory_mb)
              VALUES (${appId}, ${type}, ${n}, 256)`.execute(db);
  }
  return { appId, tenantId };
}
