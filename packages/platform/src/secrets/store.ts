import { type Kysely, sql } from 'kysely';
import type { Database, DataKeyRow } from '../db/schema';
import type { Algorithm } from './ciphers';

/** `data_keys` queries; `db` may be a transaction. Rows hold wrapped keys only. */
type Db = Kysely<Database>;

export const findDataKey = (db: Db, id: string): Promise<DataKeyRow | undefined> =>
  db.selectFrom('data_keys').selectAll().where('id', '=', id).executeTakeFirst();

export const findTenantDataKey = (
  db: Db,
  tenantId: string,
  algorithm: Algorithm,
): Promise<DataKeyRow | undefined> =>
  db
    .selectFrom('data_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('algorithm', '=', algorithm)
    .executeTakeFirst();

/**
 * Inserts a tenant's data key unless one exists for its algorithm (another request or
 * replica made it first); returns whichever row is now the tenant's.
 */
export async function insertDataKey(
  db: Db,
  row: Pick<DataKeyRow, 'id' | 'tenant_id' | 'algorithm' | 'master_key_id' | 'wrapped'>,
): Promise<DataKeyRow> {
  const inserted = await db
    .insertInto('data_keys')
    .values(row)
    .onConflict((c) => c.columns(['tenant_id', 'algorithm']).doNothing())
    .returningAll()
    .executeTakeFirst();
  return inserted ?? (await findTenantDataKey(db, row.tenant_id, row.algorithm))!;
}

/**
 * Locks up to `limit` data keys not wrapped with `masterKeyId`. `SKIP LOCKED`: two rotations
 * at once share the work instead of waiting; readers are never blocked.
 */
export const lockForRewrap = (db: Db, masterKeyId: string, limit: number): Promise<DataKeyRow[]> =>
  db
    .selectFrom('data_keys')
    .selectAll()
    .where('master_key_id', '<>', masterKeyId)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();

/** Stores re-wrapped keys (one statement for the batch); the data keys themselves are unchanged. */
export async function saveRewrapped(
  db: Db,
  masterKeyId: string,
  rows: { id: string; wrapped: Buffer }[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`UPDATE data_keys AS d
    SET master_key_id = ${masterKeyId}, wrapped = v.wrapped, rewrapped_at = now()
    FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.wrapped)}::bytea[])
      AS v(id, wrapped)
    WHERE d.id = v.id`.execute(db);
}

export async function countByMasterKey(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('data_keys')
    .select(['master_key_id', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('master_key_id')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.master_key_id, Number(r.count)]));
}
