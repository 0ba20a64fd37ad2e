import { Problem } from './problem.js';
import { hashApiKey, newApiKey } from './secrets.js';

/** Consumers (calling departments), their API keys and their grants on datasets. */

/** @param {any} row */
export const consumerView = (row) => ({
  id: row.id,
  name: row.name,
  department: row.department,
  contact: row.contact,
  keyPrefix: row.key_prefix,
  rateLimitPerMinute: row.rate_limit_per_minute,
  active: row.active,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/** @param {any} row */
export const grantView = (row) => ({
  consumerId: row.consumer_id,
  datasetId: row.dataset_id,
  purpose: row.purpose,
  grantedAt: row.granted_at,
  expiresAt: row.expires_at,
});

/** @param {import('pg').Pool} db */
export async function listConsumers(db) {
  const { rows } = await db.query('SELECT * FROM sharing.consumers ORDER BY created_at, id');
  return rows.map(consumerView);
}

/**
 * Registers a consumer; the key is returned here once and never again.
 * @param {import('pg').Pool} db
 * @param {{ name: string, department: string, contact?: string, rateLimitPerMinute: number }} input
 */
export async function createConsumer(db, input) {
  const key = newApiKey();
  const { rows } = await db.query(
    `INSERT INTO sharing.consumers (name, department, contact, key_prefix, key_hash, rate_limit_per_minute)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [
      input.name,
      input.department,
      input.contact ?? '',
      key.displayPrefix,
      key.hash,
      input.rateLimitPerMinute,
    ],
  );
  return { consumer: consumerView(rows[0]), apiKey: key.key };
}

/** @param {import('pg').Pool} db @param {string} id */
export async function rotateKey(db, id) {
  const key = newApiKey();
  const { rows } = await db.query(
    `UPDATE sharing.consumers SET key_prefix = $2, key_hash = $3 WHERE id = $1 AND active RETURNING *`,
    [id, key.displayPrefix, key.hash],
  );
  if (!rows[0])
    throw new Problem('not_found', `调用方不存在或已停用 · Consumer ${id} not found or revoked`);
  return { consumer: consumerView(rows[0]), apiKey: key.key };
}

/** @param {import('pg').Pool} db @param {string} id */
export async function revokeConsumer(db, id) {
  const { rows } = await db.query(
    `UPDATE sharing.consumers SET active = false, revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING *`,
    [id],
  );
  if (!rows[0]) throw new Problem('not_found', `调用方不存在 · Consumer ${id} not found`);
  return consumerView(rows[0]);
}

/** The active consumer holding `key`, or null. @param {import('pg').Pool} db @param {string} key */
export async function consumerByKey(db, key) {
  const { rows } = await db.query(
    'SELECT * FROM sharing.consumers WHERE key_hash = $1 AND active',
    [hashApiKey(key)],
  );
  return rows[0] ?? null;
}

/**
 * @param {import('pg').Pool} db
 * @param {string} consumerId
 * @param {string} datasetId
 * @param {{ purpose: string, expiresAt?: string }} input
 */
export async function putGrant(db, consumerId, datasetId, input) {
  const { rows } = await db.query(
    `INSERT INTO sharing.grants (consumer_id, dataset_id, purpose, expires_at)
     SELECT c.id, d.id, $3, $4 FROM sharing.consumers c, sharing.datasets d WHERE c.id = $1 AND d.id = $2
     ON CONFLICT (consumer_id, dataset_id) DO UPDATE SET purpose = $3, expires_at = $4, granted_at = now()
     RETURNING *`,
    [consumerId, datasetId, input.purpose, input.expiresAt ?? null],
  );
  if (!rows[0])
    throw new Problem('not_found', `调用方或数据集不存在 · Consumer or dataset not found`);
  return grantView(rows[0]);
}

/** @param {import('pg').Pool} db @param {string} consumerId @param {string} datasetId */
export async function deleteGrant(db, consumerId, datasetId) {
  const { rowCount } = await db.query(
    'DELETE FROM sharing.grants WHERE consumer_id = $1 AND dataset_id = $2',
    [consumerId, datasetId],
  );
  if (!rowCount) throw new Problem('not_found', `授权不存在 · Grant not found`);
}

/** @param {import('pg').Pool} db @param {string} consumerId */
export async function listGrants(db, consumerId) {
  const { rows } = await db.query(
    'SELECT * FROM sharing.grants WHERE consumer_id = $1 ORDER BY dataset_id',
    [consumerId],
  );
  return rows.map(grantView);
}

/**
 * Datasets a consumer may read: every active unconditional one (无条件共享), and the
 * conditional ones (有条件共享) it holds an unexpired grant on.
 * @param {import('pg').Pool} db
 * @param {string} consumerId
 */
export async function readableDatasets(db, consumerId) {
  const { rows } = await db.query(
    `SELECT d.* FROM sharing.datasets d
     LEFT JOIN sharing.grants g ON g.dataset_id = d.id AND g.consumer_id = $1
       AND (g.expires_at IS NULL OR g.expires_at > now())
     WHERE d.active AND (d.share_type = 'unconditional' OR g.consumer_id IS NOT NULL)
     ORDER BY d.id`,
    [consumerId],
  );
  return rows;
}
