import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

const { escapeIdentifier: ident, escapeLiteral: literal } = pg;

/**
 * The benchmark's baseline: the SQL a PostgreSQL provision + bind runs (group role, database,
 * revokes, schema ownership, login role in the group), typed straight into `pg` with no broker
 * around it. Returns the elapsed milliseconds of that work — from an open admin connection,
 * as the broker's pool has — then drops everything it made.
 */
export async function rawProvisionAndBind(adminUrl: string): Promise<number> {
  const suffix = randomBytes(8).toString('hex');
  const group = `zw_raw_${suffix}`;
  const login = `zw_raw_${suffix}_v1`;
  const password = randomBytes(24).toString('base64url');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const started = performance.now();
    await admin.query(`CREATE ROLE ${ident(group)} NOLOGIN`);
    await admin.query(`CREATE DATABASE ${ident(group)} OWNER ${ident(group)} CONNECTION LIMIT 20`);
    await admin.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${ident(group)} FROM PUBLIC`);
    const url = new URL(adminUrl);
    url.pathname = `/${group}`;
    const inDatabase = new pg.Client({ connectionString: url.href });
    await inDatabase.connect();
    await inDatabase.query(
      `ALTER SCHEMA public OWNER TO ${ident(group)}; REVOKE ALL ON SCHEMA public FROM PUBLIC`,
    );
    await inDatabase.end();
    await admin.query(
      `BEGIN;
       CREATE ROLE ${ident(login)} LOGIN PASSWORD ${literal(password)} CONNECTION LIMIT 20;
       GRANT ${ident(group)} TO ${ident(login)};
       ALTER ROLE ${ident(login)} SET role = ${literal(group)};
       COMMIT`,
    );
    return performance.now() - started;
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${ident(group)} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${ident(login)}`);
    await admin.query(`DROP ROLE IF EXISTS ${ident(group)}`);
    await admin.end();
  }
}
