import type { Db } from '../db/database';

/**
 * What keeps a tenant from being deleted (409 `not_empty`): one counter per kind of
 * dependent, each counting inside `deleteTenant`'s transaction (which holds the tenant's
 * row `FOR UPDATE`, so a dependent created concurrently either commits first and is
 * counted, or waits on its foreign key and then fails).
 */
export interface TenantDependents {
  /** Plural noun for the message: `Tenant ten_… still has 2 child tenants`. */
  kind: string;
  count(trx: Db, tenantId: string): Promise<number>;
}

const childTenants: TenantDependents = {
  kind: 'child tenants',
  async count(trx, tenantId) {
    const row = await trx
      .selectFrom('tenants')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('parent_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },
};

/** Instances not yet deleted (a failed one too: delete it first, it may hold engine objects). */
const instances: TenantDependents = {
  kind: 'instances',
  async count(trx, tenantId) {
    const row = await trx
      .selectFrom('instances')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('state', '<>', 'deleted')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },
};

/** Apps not yet deleted (their replicas run and their releases hold files). */
const apps: TenantDependents = {
  kind: 'apps',
  async count(trx, tenantId) {
    const row = await trx
      .selectFrom('apps')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('state', '<>', 'deleted')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },
};

/**
 * Every kind of dependent `deleteTenant` refuses to orphan. `deleteTenant` also refuses a
 * tenant whose own `usage` row is not all zero, which catches any allocation made through
 * `reserve` and not yet released.
 */
export const TENANT_DEPENDENTS: readonly TenantDependents[] = [childTenants, instances, apps];

/** The dependents that remain, as `[kind, count]` pairs with a count above zero. */
export async function remainingDependents(
  trx: Db,
  tenantId: string,
): Promise<[kind: string, count: number][]> {
  const found: [string, number][] = [];
  for (const dependents of TENANT_DEPENDENTS) {
    const n = await dependents.count(trx, tenantId);
    if (n > 0) found.push([dependents.kind, n]);
  }
  return found;
}
