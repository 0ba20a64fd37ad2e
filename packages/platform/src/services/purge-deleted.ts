import { sql } from 'kysely';
import type { Db } from '../db/database';

/** How long deleted instances and bindings stay readable (`state=deleted`), as the contract says. */
export const DELETED_RETENTION_DAYS = 7;

/**
 * Removes the rows of instances and bindings deleted more than `days` ago (with their
 * credentials and OSB mappings, by cascade). The engines hold nothing of them any more:
 * deletion finished before `deleted_at` was set. A row an app still names is kept.
 */
export async function purgeDeletedServices(
  db: Db,
  days = DELETED_RETENTION_DAYS,
): Promise<{ instances: number; bindings: number }> {
  const cutoff = sql<Date>`now() - make_interval(days => ${days})`;
  const bindings = await db
    .deleteFrom('bindings as b')
    .where('b.state', '=', 'deleted')
    .where('b.deleted_at', '<', cutoff)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('app_resources as r').select('r.app_id').whereRef('r.binding_id', '=', 'b.id'),
        ),
      ),
    )
    .executeTakeFirst();
  const instances = await db
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
      // A binding still live on a deleted instance would be an inconsistency to look at, not to erase.
      not(
        exists(
          selectFrom('bindings as b')
            .select('b.id')
            .whereRef('b.instance_id', '=', 'i.id')
            .where('b.state', '<>', 'deleted'),
        ),
      ),
    )
    .executeTakeFirst();
  return {
    instances: Number(instances.numDeletedRows),
    bindings: Number(bindings.numDeletedRows),
  };
}
