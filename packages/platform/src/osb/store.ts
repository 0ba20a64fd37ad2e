import { sql } from 'kysely';
import type { Db } from '../db/database';
import { type DurableOperationRow, durable } from '../db/durability-schema';
import type { BindingRow, InstanceRow, OsbBindingRow, OsbInstanceRow } from '../db/schema';

/**
 * The OSB id mappings (`osb_instances`, `osb_bindings`) with the rows they name. A mapping
 * whose instance or binding is deleted or failed no longer "exists" for OSB: a platform
 * that sends the id again gets a new resource and the mapping is repointed.
 */

export type MappedInstance = OsbInstanceRow & { instance: InstanceRow };
export type MappedBinding = OsbBindingRow & { binding: BindingRow };

/**
 * Reads in one snapshot: a resource's state and its operation's, read apart, can straddle
 * the commit that finishes both (an operation `succeeded` beside a still-`deprovisioning`
 * instance would answer 200 where the spec wants 410 Gone).
 */
export function inSnapshot<T>(db: Db, read: (db: Db) => Promise<T>): Promise<T> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(read);
}

const DEAD = new Set(['deleted', 'failed']);
export const isLive = (state: string) => !DEAD.has(state);

export async function findInstance(db: Db, osbId: string): Promise<MappedInstance | undefined> {
  const mapping = await db
    .selectFrom('osb_instances')
    .selectAll()
    .where('osb_id', '=', osbId)
    .executeTakeFirst();
  if (!mapping) return undefined;
  const instance = await db
    .selectFrom('instances')
    .selectAll()
    .where('id', '=', mapping.instance_id)
    .executeTakeFirstOrThrow();
  return { ...mapping, instance };
}

export async function findBinding(
  db: Db,
  osbInstanceId: string,
  osbId: string,
): Promise<MappedBinding | undefined> {
  const mapping = await db
    .selectFrom('osb_bindings')
    .selectAll()
    .where('osb_instance_id', '=', osbInstanceId)
    .where('osb_id', '=', osbId)
    .executeTakeFirst();
  if (!mapping) return undefined;
  const binding = await db
    .selectFrom('bindings')
    .selectAll()
    .where('id', '=', mapping.binding_id)
    .executeTakeFirstOrThrow();
  return { ...mapping, binding };
}

/** Serialises the creation of one OSB instance id (held until the transaction ends). */
export async function lockOsbInstanceId(trx: Db, osbId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(7070007, hashtext(${osbId}))`.execute(trx);
}

/** Records (or repoints) an OSB instance id. */
export async function saveInstance(
  trx: Db,
  row: Omit<OsbInstanceRow, 'created_at' | 'update_fingerprint' | 'update_operation_id'>,
): Promise<void> {
  const values = { ...row, context: JSON.stringify(row.context) };
  await trx
    .insertInto('osb_instances')
    .values({ ...values, update_fingerprint: null, update_operation_id: null })
    .onConflict((oc) =>
      oc.column('osb_id').doUpdateSet({
        ...values,
        update_fingerprint: null,
        update_operation_id: null,
        created_at: new Date(),
      }),
    )
    .execute();
}

export async function saveUpdate(
  trx: Db,
  osbId: string,
  fingerprint: string,
  operationId: string,
): Promise<void> {
  await trx
    .updateTable('osb_instances')
    .set({ update_fingerprint: fingerprint, update_operation_id: operationId })
    .where('osb_id', '=', osbId)
    .execute();
}

/** Records (or repoints) an OSB binding id. */
export async function saveBinding(trx: Db, row: Omit<OsbBindingRow, 'created_at'>): Promise<void> {
  await trx
    .insertInto('osb_bindings')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['osb_instance_id', 'osb_id']).doUpdateSet({ ...row, created_at: new Date() }),
    )
    .execute();
}

/** An operation on `targetId` (so a platform cannot poll another resource's operation). */
export async function operationOf(
  db: Db,
  id: string,
  targetId: string,
): Promise<DurableOperationRow | undefined> {
  return durable(db)
    .selectFrom('operations')
    .selectAll()
    .where('id', '=', id)
    .where('target_id', '=', targetId)
    .executeTakeFirst();
}
