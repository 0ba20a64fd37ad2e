import type { Schemas } from '@zhengwu/openapi';
import { sql } from 'kysely';
import type { DefaultQuota } from '../config';
import type { Db } from '../db/database';
import type { QuotasTable } from '../db/schema';
import { type FieldError, notFound, ProblemError } from '../http/problems';

/**
 * Quotas and their transactional enforcement.
 *
 * - A `quotas` row holds a tenant's **own** limits; `null` inherits.
 * - A `usage` row holds what the tenant **itself** uses (not its descendants).
 * - A limit applies to the usage of the whole subtree of the tenant that sets it. A root
 *   (province) that sets no limit of its own has the platform default (`ZW_DEFAULT_QUOTA_*`).
 * - The **effective** limit of a tenant is the tightest limit on its path (its own, its
 *   ancestors', the root's default): with children never set above their parent's effective
 *   limit this is the nearest limit up the path, and it stays right when a parent is later
 *   lowered below a child's own limit.
 * - An allocation (`reserve`) must fit every limit on the path, each counted over its own
 *   subtree: a city's 20 instances are shared by all of its districts and townships.
 */

/** The metered resources, in the contract's names. */
export const RESOURCES = ['instances', 'apps', 'memoryMb', 'storageMb', 'replicas'] as const;
export type Resource = (typeof RESOURCES)[number];

/** An amount of every resource (usage, effective limits). */
export type Amounts = Record<Resource, number>;
/** A tenant's own limits; `null` inherits. */
export type Limits = Schemas['QuotaLimits'];
/** What an allocation adds (or a release gives back); missing resources are 0. */
export type QuotaDelta = Partial<Amounts>;

type Column = 'instances' | 'apps' | 'memory_mb' | 'storage_mb' | 'replicas';

/** The `quotas` / `usage` column of each resource. */
export const COLUMNS: Record<Resource, Column> = {
  instances: 'instances',
  apps: 'apps',
  memoryMb: 'memory_mb',
  storageMb: 'storage_mb',
  replicas: 'replicas',
};

/** Words for messages (`21 of 20 instances`, `of 65536 MiB of memory`). */
const UNITS: Record<Resource, string> = {
  instances: 'instances',
  apps: 'apps',
  memoryMb: 'MiB of memory',
  storageMb: 'MiB of storage',
  replicas: 'replicas',
};
const UNITS_ZH: Record<Resource, string> = {
  instances: '个实例',
  apps: '个应用',
  memoryMb: 'MiB 内存',
  storageMb: 'MiB 存储',
  replicas: '个副本',
};

export const ZERO: Readonly<Amounts> = Object.freeze({
  instances: 0,
  apps: 0,
  memoryMb: 0,
  storageMb: 0,
  replicas: 0,
});

export const NO_LIMITS: Readonly<Limits> = Object.freeze({
  instances: null,
  apps: null,
  memoryMb: null,
  storageMb: null,
  replicas: null,
});

/** A `quotas` row (or its absence) as the contract's limits. */
export function limitsOf(row: Omit<QuotasTable, 'tenant_id'> | undefined): Limits {
  if (!row) return { ...NO_LIMITS };
  return {
    instances: row.instances,
    apps: row.apps,
    memoryMb: row.memory_mb,
    storageMb: row.storage_mb,
    replicas: row.replicas,
  };
}

/** Limits as `quotas` columns (for inserts and updates). */
export function limitColumns(limits: Limits): Omit<QuotasTable, 'tenant_id'> {
  return {
    instances: limits.instances,
    apps: limits.apps,
    memory_mb: limits.memoryMb,
    storage_mb: limits.storageMb,
    replicas: limits.replicas,
  };
}

/** A `usage` row (or a sum over several) as amounts. */
export function amountsOf(row: Record<Column, number | string> | undefined): Amounts {
  if (!row) return { ...ZERO };
  return {
    instances: Number(row.instances),
    apps: Number(row.apps),
    memoryMb: Number(row.memory_mb),
    storageMb: Number(row.storage_mb),
    replicas: Number(row.replicas),
  };
}

/**
 * The limit each tenant on a path puts on its subtree, root first: its own, or for the
 * root without one the platform default; `null` where a tenant inherits.
 */
export function chainLimits(own: Limits[], defaults: DefaultQuota): Limits[] {
  return own.map((limits, i) =>
    i > 0
      ? limits
      : {
          instances: limits.instances ?? defaults.instances,
          apps: limits.apps ?? defaults.apps,
          memoryMb: limits.memoryMb ?? defaults.memoryMb,
          storageMb: limits.storageMb ?? defaults.storageMb,
          replicas: limits.replicas ?? defaults.replicas,
        },
  );
}

/** The effective limits at the end of a path (root first): the tightest limit on it. */
export function effectiveOf(own: Limits[], defaults: DefaultQuota): Amounts {
  const chain = chainLimits(own, defaults);
  const effective = { ...defaults };
  for (const r of RESOURCES) {
    const set = chain.map((l) => l[r]).filter((v): v is number => v !== null);
    if (set.length > 0) effective[r] = Math.min(...set);
  }
  return effective;
}

/** The own limits of every tenant on `path`, in the path's order (root first). */
export async function ownLimitsAlong(db: Db, path: readonly string[]): Promise<Limits[]> {
  if (path.length === 0) return [];
  const rows = await db
    .selectFrom('quotas')
    .selectAll()
    .where('tenant_id', 'in', [...path])
    .execute();
  const byId = new Map(rows.map((r) => [r.tenant_id, r]));
  return path.map((id) => limitsOf(byId.get(id)));
}

/** The effective limits of the tenant whose `path` (ancestors, then itself) is given. */
export async function effectiveLimits(
  db: Db,
  path: readonly string[],
  defaults: DefaultQuota,
): Promise<Amounts> {
  return effectiveOf(await ownLimitsAlong(db, path), defaults);
}

/**
 * What each of `tenantIds` and its whole subtree use together, by id. One pass over the
 * subtrees through the GIN index on `tenants.path`.
 */
export async function subtreeUsage(
  db: Db,
  tenantIds: readonly string[],
): Promise<Map<string, Amounts>> {
  const result = new Map<string, Amounts>();
  if (tenantIds.length === 0) return result;
  const ids = [...new Set(tenantIds)];
  const { rows } = await sql<Record<Column, number> & { id: string }>`
    SELECT a.id,
           coalesce(sum(u.instances), 0)::bigint  AS instances,
           coalesce(sum(u.apps), 0)::bigint       AS apps,
           coalesce(sum(u.memory_mb), 0)::bigint  AS memory_mb,
           coalesce(sum(u.storage_mb), 0)::bigint AS storage_mb,
           coalesce(sum(u.replicas), 0)::bigint   AS replicas
      FROM unnest(${ids}::text[]) AS a(id)
      LEFT JOIN tenants t ON t.path @> ARRAY[a.id]
      LEFT JOIN usage u ON u.tenant_id = t.id
     GROUP BY a.id`.execute(db);
  for (const row of rows) result.set(row.id, amountsOf(row));
  return result;
}

/** What the tenant itself uses (its `usage` row), without descendants. */
export async function ownUsage(db: Db, tenantId: string): Promise<Amounts> {
  const row = await db
    .selectFrom('usage')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return amountsOf(row);
}

/**
 * Checks a tenant's new own limits against its parent's effective limits: one field error
 * per limit set above the parent's (none for a root, whose limits only the platform-admin
 * sets and which may exceed the platform defaults).
 */
export function limitsAboveParent(
  limits: Limits,
  parentEffective: Amounts | undefined,
  pointer: string,
): FieldError[] {
  if (!parentEffective) return [];
  const errors: FieldError[] = [];
  for (const r of RESOURCES) {
    const value = limits[r];
    if (value !== null && value > parentEffective[r]) {
      errors.push({
        path: `${pointer}/${r}`,
        message: `${value} is above the parent's effective limit of ${parentEffective[r]} ${UNITS[r]}`,
        code: 'quota_exceeded',
      });
    }
  }
  return errors;
}

/**
 * 422 `quota_exceeded` from `reserve`: the allocation would take the subtree of `holderId`
 * (the tenant itself or an ancestor) over its limit of `resource`.
 */
export class QuotaExceededError extends ProblemError {
  constructor(
    readonly tenantId: string,
    readonly holderId: string,
    readonly resource: Resource,
    readonly used: number,
    readonly requested: number,
    readonly limit: number,
  ) {
    const whose =
      holderId === tenantId
        ? `Tenant ${tenantId}`
        : `Tenant ${tenantId} with the rest of ancestor ${holderId}'s subtree`;
    const whoseZh = holderId === tenantId ? '租户' : `租户连同上级 ${holderId} 的整个子树`;
    super(
      'quota_exceeded',
      `配额不足：${whoseZh}将用到 ${used + requested}${UNITS_ZH[resource]}，上限 ${limit}（已用 ${used}，本次 ${requested}）· ${whose} would use ${used + requested} of ${limit} ${UNITS[resource]} (${used} in use, ${requested} requested).`,
    );
  }
}

function checkDelta(delta: QuotaDelta): Amounts {
  const amounts = { ...ZERO };
  for (const [key, value] of Object.entries(delta)) {
    if (!(RESOURCES as readonly string[]).includes(key)) {
      throw new TypeError(`quota delta: unknown resource "${key}"`);
    }
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new TypeError(`quota delta: ${key} must be a non-negative integer, got ${value}`);
    }
    amounts[key as Resource] = value;
  }
  return amounts;
}

/**
 * Locks the `usage` rows of the tenant's path, root first, and returns the path. Every
 * quota change locks in this one order (ancestors before descendants, a path being a prefix
 * of its descendants' paths), so two allocations anywhere in the tree wait for each other
 * where their paths meet and can never deadlock. Paths never change: tenants don't move.
 */
async function lockPath(trx: Db, tenantId: string): Promise<string[]> {
  if (!trx.isTransaction) {
    throw new Error('quota changes must run inside the caller’s transaction');
  }
  const tenant = await trx
    .selectFrom('tenants')
    .select('path')
    .where('id', '=', tenantId)
    .executeTakeFirst();
  if (!tenant) throw notFound('Tenant', tenantId);
  const { path } = tenant;
  const lock = () =>
    sql<{ tenant_id: string }>`
      SELECT tenant_id FROM usage
       WHERE tenant_id = ANY(${path}::text[])
       ORDER BY array_position(${path}::text[], tenant_id)
         FOR UPDATE`.execute(trx);
  let locked = await lock();
  if (locked.rows.length < path.length) {
    // Every tenant gets its usage row when it is created; this only repairs state written
    // by hand. Inserted root first too, so it keeps the lock order.
    await sql`INSERT INTO usage (tenant_id)
              SELECT id FROM unnest(${path}::text[]) WITH ORDINALITY AS p(id, n)
               WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.id = p.id)
               ORDER BY n
              ON CONFLICT (tenant_id) DO NOTHING`.execute(trx);
    locked = await lock();
    // Still short: the tenant was deleted while we waited for its lock.
    if (locked.rows.length < path.length) throw notFound('Tenant', tenantId);
  }
  return path;
}

/**
 * Allocates `delta` to the tenant inside the caller's transaction, or throws
 * `QuotaExceededError` (422 `quota_exceeded`) naming the resource, the usage and the limit.
 *
 * 1. Locks the `usage` rows of the tenant's path root first (`SELECT … FOR UPDATE`): every
 *    allocation under a common ancestor waits here for the others to commit or roll back.
 * 2. Reads the path's own limits and, for each tenant on the path that sets a limit (and
 *    the root, whose default applies), the usage of its whole subtree — read after the
 *    locks were granted, so it includes every allocation committed before.
 * 3. Checks `used + delta ≤ limit` for each resource and each of those limits, the tenant
 *    itself first; then adds `delta` to the tenant's own `usage` row.
 *
 * The locks are held until the caller's transaction ends, so the allocation and the rows
 * it pays for (an instance, an app) commit or roll back together. Run the transaction at
 * READ COMMITTED (the default): each statement then sees what committed before it.
 * Allocate for one tenant per transaction, or for several always in the same order:
 * locks taken by separate calls are only ordered within each call. Call it **before**
 * writing the rows it pays for: their foreign keys lock the tenant row, which
 * `deleteTenant` takes after the tenant's usage row, so the usage locks must come first.
 *
 * @returns the tenant's own usage after the allocation
 */
export async function reserve(
  trx: Db,
  tenantId: string,
  delta: QuotaDelta,
  defaults: DefaultQuota,
): Promise<Amounts> {
  const amounts = checkDelta(delta);
  const path = await lockPath(trx, tenantId);
  const requested = RESOURCES.filter((r) => amounts[r] > 0);
  if (requested.length > 0) {
    const chain = chainLimits(await ownLimitsAlong(trx, path), defaults);
    const holders = path.filter((_, i) => requested.some((r) => chain[i]![r] !== null));
    const used = await subtreeUsage(trx, holders);
    // The tenant itself first, then its ancestors up to the root.
    for (let i = path.length - 1; i >= 0; i--) {
      for (const r of requested) {
        const limit = chain[i]![r];
        if (limit === null) continue;
        const inUse = used.get(path[i]!)?.[r] ?? 0;
        if (inUse + amounts[r] > limit) {
          throw new QuotaExceededError(tenantId, path[i]!, r, inUse, amounts[r], limit);
        }
      }
    }
  }
  return applyDelta(trx, tenantId, amounts, 1);
}

/**
 * Gives back what `reserve` allocated, inside the caller's transaction (same lock order).
 * Releasing more than the tenant uses is a bookkeeping bug and throws.
 *
 * @returns the tenant's own usage after the release
 */
export async function release(trx: Db, tenantId: string, delta: QuotaDelta): Promise<Amounts> {
  const amounts = checkDelta(delta);
  await lockPath(trx, tenantId);
  const current = await ownUsage(trx, tenantId);
  for (const r of RESOURCES) {
    if (current[r] < amounts[r]) {
      throw new Error(
        `quota release: tenant ${tenantId} uses ${current[r]} ${UNITS[r]}, cannot give back ${amounts[r]}`,
      );
    }
  }
  return applyDelta(trx, tenantId, amounts, -1);
}

async function applyDelta(
  trx: Db,
  tenantId: string,
  amounts: Amounts,
  sign: 1 | -1,
): Promise<Amounts> {
  if (RESOURCES.every((r) => amounts[r] === 0)) return ownUsage(trx, tenantId);
  const row = await trx
    .updateTable('usage')
    .set((eb) =>
      Object.fromEntries(
        RESOURCES.filter((r) => amounts[r] !== 0).map((r) => [
          COLUMNS[r],
          eb(COLUMNS[r], '+', sign * amounts[r]),
        ]),
      ),
    )
    .where('tenant_id', '=', tenantId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return amountsOf(row);
}
