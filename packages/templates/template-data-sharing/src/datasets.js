import { Problem } from './problem.js';
import { APP_SCHEMA } from './schema.js';

/** The dataset registry (sharing.datasets). */

/** Schemas a dataset may never read from: the app's own tables (key hashes!) and the catalogs. */
const FORBIDDEN_SCHEMAS = new Set([APP_SCHEMA, 'pg_catalog', 'information_schema', 'pg_toast']);

/** @param {any} row */
export function datasetView(row) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    source: `${row.source_schema}.${row.source_name}`,
    columns: row.columns,
    orderBy: row.order_by,
    shareType: row.share_type,
    cacheTtlSeconds: row.cache_ttl_seconds,
    version: row.version,
    active: row.active,
    updatedAt: row.updated_at,
  };
}

/** @param {import('pg').Pool} db @param {string} id */
export async function findDataset(db, id) {
  const { rows } = await db.query('SELECT * FROM sharing.datasets WHERE id = $1', [id]);
  if (!rows[0]) throw new Problem('not_found', `数据集不存在 · Dataset ${id} not found`);
  return rows[0];
}

/** @param {import('pg').Pool} db */
export async function listDatasets(db) {
  const { rows } = await db.query('SELECT * FROM sharing.datasets ORDER BY id');
  return rows.map(datasetView);
}

/**
 * Checks a source (`schema.table_or_view`) exists and has the columns asked for.
 * @param {import('pg').Pool} db
 * @param {string} source
 * @param {string[] | undefined} columns  default: all of the source's columns
 * @param {string[] | undefined} orderBy  default: the first column
 */
export async function checkSource(db, source, columns, orderBy) {
  const match = /^([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)$/.exec(source);
  if (!match) {
    throw new Problem(
      'source_invalid',
      `数据源须为 schema.name · The source must be schema.name: ${source}`,
    );
  }
  const [, schema = '', name = ''] = match;
  if (FORBIDDEN_SCHEMAS.has(schema)) {
    throw new Problem(
      'source_invalid',
      `不能发布模式 ${schema} 中的数据 · Schema ${schema} cannot be published`,
    );
  }
  const { rows } = await db.query(
    `SELECT column_name FROM information_schema.columns
     WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [schema, name],
  );
  const available = rows.map((r) => r.column_name);
  if (available.length === 0) {
    throw new Problem(
      'source_invalid',
      `数据源不存在或无权读取 · Source ${source} not found or not readable`,
    );
  }
  const chosen = columns ?? available;
  const order = orderBy ?? [available[0]];
  const unknown = [...chosen, ...order].filter((c) => !available.includes(c));
  if (unknown.length) {
    throw new Problem(
      'source_invalid',
      `数据源没有这些列 · Unknown columns: ${unknown.join(', ')}`,
      {
        errors: unknown.map((c) => ({ path: `body/columns/${c}`, message: 'no such column' })),
      },
    );
  }
  return { schema, name, columns: chosen, orderBy: order };
}

/**
 * @param {import('pg').Pool} db
 * @param {{ id: string, name: string, description?: string, source: string, columns?: string[], orderBy?: string[], shareType: string, cacheTtlSeconds?: number }} input
 */
export async function createDataset(db, input) {
  const source = await checkSource(db, input.source, input.columns, input.orderBy);
  const { rows } = await db.query(
    `INSERT INTO sharing.datasets (id, name, description, source_schema, source_name, columns, order_by, share_type, cache_ttl_seconds)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING RETURNING *`,
    [
      input.id,
      input.name,
      input.description ?? '',
      source.schema,
      source.name,
      JSON.stringify(source.columns),
      JSON.stringify(source.orderBy),
      input.shareType,
      input.cacheTtlSeconds ?? 60,
    ],
  );
  if (!rows[0]) throw new Problem('conflict', `数据集已存在 · Dataset ${input.id} already exists`);
  return datasetView(rows[0]);
}

/**
 * Changes a dataset. Every change bumps `version`, which is part of every cache key: old
 * cached pages are simply never read again (no pattern delete, which the Redis ACL denies).
 * @param {import('pg').Pool} db
 * @param {string} id
 * @param {{ name?: string, description?: string, columns?: string[], orderBy?: string[], shareType?: string, cacheTtlSeconds?: number, active?: boolean }} patch
 */
export async function updateDataset(db, id, patch) {
  const current = await findDataset(db, id);
  const source = await checkSource(
    db,
    `${current.source_schema}.${current.source_name}`,
    patch.columns ?? current.columns,
    patch.orderBy ?? current.order_by,
  );
  const { rows } = await db.query(
    `UPDATE sharing.datasets SET name = $2, description = $3, columns = $4, order_by = $5,
       share_type = $6, cache_ttl_seconds = $7, active = $8, version = version + 1, updated_at = now()
     WHERE id = $1 RETURNING *`,
    [
      id,
      patch.name ?? current.name,
      patch.description ?? current.description,
      JSON.stringify(source.columns),
      JSON.stringify(source.orderBy),
      patch.shareType ?? current.share_type,
      patch.cacheTtlSeconds ?? current.cache_ttl_seconds,
      patch.active ?? current.active,
    ],
  );
  return datasetView(rows[0]);
}
