import { sql } from 'kysely';
import type { AuditLog } from '../audit/log';
import type { Db } from '../db/database';

/** How long deleted instances and bindings stay readable (`state=deleted`), as the contract says. */
export const DELETED_RETENTION_DAYS = 7;

/** A row that retention removed, as its audit event names it. */
export interface Purged {
  type: string;
  id: string;
  tenantId: string;
}

/**
 * Audits each purged row (`<type>.purge`, by the system) in the transaction that removed it:
 * a deletion of records is itself on the record.
 */
export async function auditPurged(trx: Db, audit: AuditLog, rows: Purged[]): Promise<void> {
  const requestId = `retention-${Date.now()}`;
  for (const row of rows) {
    await audit.append(trx, {
      principal: { type: 'system', id: 'retention', name: 'retention' },
      tenantId: row.tenantId,
      action: `${row.type}.purge`,
      target: { type: row.type, id: row.id },
      outcome: 'success',
      reason: null,
      sourceIp: '127.0.0.1',
      userAgent: null,
      requestId,
    });
  }
}

/**
 * Removes the rows of instances and bindings deleted more than `days` ago (with their
 * credentials and OSB mappings, by cascade). The engines hold nothing of them any more:
 * deletion finished before `deleted_at` was set. A row an app still names is kept.
 */
export async function purgeDeletedServices(
  db: Db,
  audit: AuditLog,
  days = DELETED_RETENTION_DAYS,
): Promise<{ instances: number; bindings: number }> {
  const cutoff = sql<Date>`now() - make_interval(days => ${days})`;
  return db.transaction().execute(async (trx) => {
    const bindings = await trx
      .deleteFrom('bindings as b')
      .where('b.state', '=', 'deleted')
      .where('b.deleted_at', '<', cutoff)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('app_resources as r')
              .select('r.app_id')
              .whereRef('r.binding_id', '=', 'b.id'),
          ),
        ),
      )
      .returning(['b.id', 'b.tenant_id'])
      .execute();
    const instances = await trx
      .deleteFrom('instances as i')
      .where('i.state', '=', 'deleted')
      .where('i.deleted_at', '<', cutoff)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('app_resources as r')
              .select('r.app_id')
              .whereRef('r.instance_id', '=', 'i.id'),
          ),
        ),
      )
      .where(({ not, exists, selectFrom }) =>
        // A binding still live on a deleted instance is an inconsistency to look at, not to erase.
        not(
          exists(
            selectFrom('bindings as b')
              .select('b.id')
              .whereRef('b.instance_id', '=', 'i.id')
              .where('b.state', '<>', 'deleted'),
          ),
        ),
      )
      .returning(['i.id', 'i.tenant_id'])
      .execute();
    await auditPurged(trx, audit, [
      ...bindings.map((b) => ({ type: 'binding', id: b.id, tenantId: b.tenant_id })),
      ...instances.map((i) => ({ type: 'instance', id: i.id, tenantId: i.tenant_id })),
    ]);
    return { instances: instances.length, bindings: bindings.length };
  });
}
