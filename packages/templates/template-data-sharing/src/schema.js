/**
 * The app's own tables live in schema `sharing`; published data lives in other schemas of
 * the department's database (here the sample schema `open_data`). Every statement is
 * idempotent, so `migrate.js` runs before every release.
 */

export const APP_SCHEMA = 'sharing';

export const SCHEMA = [
  `CREATE SCHEMA IF NOT EXISTS sharing`,
  `CREATE TABLE IF NOT EXISTS sharing.datasets (
     id                 text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]{1,62}$'),
     name               text NOT NULL,
     description        text NOT NULL DEFAULT '',
     source_schema      text NOT NULL,
     source_name        text NOT NULL,
     columns            jsonb NOT NULL,
     order_by           jsonb NOT NULL,
     share_type         text NOT NULL CHECK (share_type IN ('unconditional', 'conditional')),
     cache_ttl_seconds  integer NOT NULL DEFAULT 60 CHECK (cache_ttl_seconds >= 0),
     version            integer NOT NULL DEFAULT 1,
     active             boolean NOT NULL DEFAULT true,
     created_at         timestamptz NOT NULL DEFAULT now(),
     updated_at         timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE TABLE IF NOT EXISTS sharing.consumers (
     id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     name                   text NOT NULL,
     department             text NOT NULL,
     contact                text NOT NULL DEFAULT '',
     key_prefix             text NOT NULL,
     key_hash               text NOT NULL UNIQUE,
     rate_limit_per_minute  integer NOT NULL CHECK (rate_limit_per_minute > 0),
     active                 boolean NOT NULL DEFAULT true,
     created_at             timestamptz NOT NULL DEFAULT now(),
     revoked_at             timestamptz
   )`,
  `CREATE TABLE IF NOT EXISTS sharing.grants (
     consumer_id  uuid NOT NULL REFERENCES sharing.consumers(id) ON DELETE CASCADE,
     dataset_id   text NOT NULL REFERENCES sharing.datasets(id) ON DELETE CASCADE,
     purpose      text NOT NULL,
     granted_at   timestamptz NOT NULL DEFAULT now(),
     expires_at   timestamptz,
     PRIMARY KEY (consumer_id, dataset_id)
   )`,
  `CREATE TABLE IF NOT EXISTS sharing.call_logs (
     id           bigserial PRIMARY KEY,
     at           timestamptz NOT NULL DEFAULT now(),
     consumer_id  uuid,
     dataset_id   text,
     method       text NOT NULL,
     path         text NOT NULL,
     status       integer NOT NULL,
     rows         integer NOT NULL DEFAULT 0,
     cached       boolean NOT NULL DEFAULT false,
     duration_ms  integer NOT NULL,
     client_ip    text
   )`,
  `CREATE INDEX IF NOT EXISTS call_logs_consumer_idx ON sharing.call_logs (consumer_id, id DESC)`,
  `CREATE INDEX IF NOT EXISTS call_logs_dataset_idx ON sharing.call_logs (dataset_id, id DESC)`,
  // Sample data a department would publish: licences of enterprises and a statistics view.
  `CREATE SCHEMA IF NOT EXISTS open_data`,
  `CREATE TABLE IF NOT EXISTS open_data.enterprise_licences (
     id            serial PRIMARY KEY,
     uscc          text NOT NULL,
     name          text NOT NULL,
     licence_type  text NOT NULL,
     district      text NOT NULL,
     issued_on     date NOT NULL,
     valid_until   date NOT NULL,
     status        text NOT NULL
   )`,
  `INSERT INTO open_data.enterprise_licences (uscc, name, licence_type, district, issued_on, valid_until, status)
   SELECT '91330100MA' || lpad(n::text, 7, '0') || 'X',
          '示范企业' || n || '号 · Sample enterprise ' || n,
          (ARRAY['食品经营许可', '公共场所卫生许可', '户外广告设置许可'])[1 + n % 3],
          (ARRAY['上城区', '拱墅区', '西湖区', '滨江区'])[1 + n % 4],
          date '2024-01-01' + n,
          date '2029-01-01' + n,
          CASE WHEN n % 10 = 0 THEN '注销' ELSE '有效' END
   FROM generate_series(1, 60) AS n
   WHERE NOT EXISTS (SELECT 1 FROM open_data.enterprise_licences)`,
  `CREATE OR REPLACE VIEW open_data.licence_stats AS
     SELECT district, licence_type, count(*)::int AS licences
     FROM open_data.enterprise_licences WHERE status = '有效'
     GROUP BY district, licence_type`,
];

/** Datasets registered on first migration; change them through the admin API afterwards. */
export const SEED_DATASETS = [
  {
    id: 'enterprise-licences',
    name: '企业证照信息 · Enterprise licences',
    description: '市场主体的行政许可证照（样例数据）· Licences held by enterprises (sample data)',
    source_schema: 'open_data',
    source_name: 'enterprise_licences',
    columns: ['uscc', 'name', 'licence_type', 'district', 'issued_on', 'valid_until', 'status'],
    order_by: ['id'],
    share_type: 'conditional',
    cache_ttl_seconds: 60,
  },
  {
    id: 'licence-stats',
    name: '证照统计 · Licence statistics',
    description: '按区县和类型统计的有效证照数 · Valid licences by district and type',
    source_schema: 'open_data',
    source_name: 'licence_stats',
    columns: ['district', 'licence_type', 'licences'],
    order_by: ['district', 'licence_type'],
    share_type: 'unconditional',
    cache_ttl_seconds: 300,
  },
];

/**
 * Applies schema and seed in one transaction under an advisory lock.
 * @param {import('pg').ClientBase} client
 */
export async function migrate(client) {
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('zhengwu-data-sharing-migrate'))`);
    for (const statement of SCHEMA) await client.query(statement);
    for (const d of SEED_DATASETS) {
      await client.query(
        `INSERT INTO sharing.datasets (id, name, description, source_schema, source_name, columns, order_by, share_type, cache_ttl_seconds)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
        [
          d.id,
          d.name,
          d.description,
          d.source_schema,
          d.source_name,
          JSON.stringify(d.columns),
          JSON.stringify(d.order_by),
          d.share_type,
          d.cache_ttl_seconds,
        ],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
