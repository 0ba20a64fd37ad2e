import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connect, type Db, migrate } from '../../src/db/database';
import { SERVERS, serverAvailable } from '../brokers/servers';
import { insertTenant } from '../tenants-fixture';

/** Whether this machine's PostgreSQL answers (throws in CI when it does not). */
export const postgresAvailable = () => serverAvailable('postgresql', SERVERS.postgresql, 5432);

export interface StateDb {
  db: Db;
  /** Inserts `count` province tenants; returns their ids. */
  tenants(count: number): Promise<string[]>;
  /** Closes the pool and drops the database. */
  close(): Promise<void>;
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVERS.postgresql });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated state database on this machine's PostgreSQL, dropped by `close`. */
export async function freshStateDb(): Promise<StateDb> {
  const name = `zw_secrets_${randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(SERVERS.postgresql);
  url.pathname = `/${name}`;
  const db = connect(url.href, 10);
  const drop = () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  try {
    await migrate(db);
  } catch (error) {
    await db.destroy();
    await drop();
    throw error;
  }
  return {
    db,
    async tenants(count) {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        ids.push((await insertTenant(db, `t-${randomBytes(4).toString('hex')}`)).id);
      }
      return ids;
    },
    async close() {
      await db.destroy();
      await drop();
    },
  };
}
