import type { Db } from '../src/db/database';
import type { TenantRow } from '../src/db/schema';
import { newId } from '../src/ids';

const LEVELS = ['province', 'city', 'district', 'township'] as const;

/**
 * Inserts a tenant row directly (until the identity tests can use `createTenant`): a
 * province when `parent` is left out, else a child one level below it. `path` is the
 * ancestors' ids then its own, as `db/schema.ts` describes.
 */
export async function insertTenant(db: Db, name: string, parent?: TenantRow): Promise<TenantRow> {
  const id = newId('ten');
  const level = LEVELS[parent ? parent.path.length : 0];
  if (!level) throw new Error('a township has no children');
  return db
    .insertInto('tenants')
    .values({
      id,
      name,
      display_name: JSON.stringify({ zh: name, en: name }),
      parent_id: parent?.id ?? null,
      path: [...(parent?.path ?? []), id],
      level,
      region_code: null,
      labels: JSON.stringify({}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
