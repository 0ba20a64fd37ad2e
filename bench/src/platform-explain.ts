/**
 * EXPLAIN ANALYZE of the tenant list's queries over the benchmark's 10 000 tenants: first
 * page and a later page (keyset cursor), platform-wide and scoped to a city's subtree.
 *
 *   tsx --conditions=zhengwu-source src/platform-explain.ts
 */
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { benchPlatform, seedTenants } from './platform-seed';

/** The platform's own `pg` (the bench package does not depend on it), as far as used here. */
interface PgClient {
  connect(): Promise<void>;
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
}
const pg = createRequire(import.meta.resolve('@zhengwu/platform').replace('file://', ''))('pg') as {
  Client: new (options: { connectionString: string }) => PgClient;
};

const { platform, dataDir } = await benchPlatform();
await seedTenants(platform);
const client = new pg.Client({ connectionString: platform.databaseUrl });
await client.connect();
await client.query('ANALYZE tenants');
const { rows: middle } = await client.query(
  'SELECT created_at, id FROM tenants ORDER BY created_at DESC, id DESC OFFSET 5000 LIMIT 1',
);
const cases: Record<string, [string, unknown[]]> = {
  'all, first page': ['SELECT * FROM tenants ORDER BY created_at DESC, id DESC LIMIT 101', []],
  'all, after 5000': [
    'SELECT * FROM tenants WHERE (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT 101',
    [middle[0]!.created_at, middle[0]!.id],
  ],
  'one city, first page': [
    'SELECT * FROM tenants WHERE path && $1::text[] ORDER BY created_at DESC, id DESC LIMIT 101',
    [['ten_benchCity0000000042']],
  ],
  'whole province, first page': [
    'SELECT * FROM tenants WHERE path && $1::text[] ORDER BY created_at DESC, id DESC LIMIT 101',
    [['ten_benchProvince000000']],
  ],
};
for (const settings of [
  '',
  'SET enable_seqscan = off',
  'VACUUM ANALYZE tenants',
  'SET enable_seqscan = on',
]) {
  if (settings) await client.query(settings);
  for (const [name, [text, values]] of Object.entries(cases)) {
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
    console.log(`\n## ${name} ${settings}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
  }
}
await client.end();
await platform.stop();
await rm(dataDir, { recursive: true, force: true });
