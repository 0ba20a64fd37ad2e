import type { Schemas } from '@zhengwu/openapi';
import { sql } from 'kysely';
import { ANY_ROLE, holds, holdsGlobally, type Principal, subtreesOf } from '../auth/principal';
import type { DefaultQuota } from '../config';
import type { Db } from '../db/database';
import type { TenantRow } from '../db/schema';
import { isCreatedPosition, ScopedCursor } from '../http/cursor';
import { type JsonText, jsonPage } from '../http/json-rows';
import type { Page } from '../http/pagination';
import { invalidField, notFound, ProblemError } from '../http/problems';
import {
  type RawRow,
  rawJson,
  rawText,
  rawTimestamp,
  SqlParams,
  selectCreatedPage,
} from '../http/raw-json';
import { newId } from '../ids';
import { remainingDependents } from './dependents';
import {
  type Amounts,
  amountsOf,
  effectiveLimits,
  effectiveOf,
  type Limits,
  limitColumns,
  limitsAboveParent,
  NO_LIMITS,
  ownLimitsAlong,
  ownUsage,
  RESOURCES,
  subtreeUsage,
} from './quota';

/** Administrative levels, top down: a child is exactly one level below its parent. */
export const LEVELS = ['province', 'city', 'district', 'township'] as const;
export type Level = (typeof LEVELS)[number];

/** The level of a tenant's children; `undefined` under a township. */
export function childLevel(level: Level): Level | undefined {
  return LEVELS[LEVELS.indexOf(level) + 1];
}

/** Writes the mutation's audit event inside its transaction (the route supplies who and how). */
export type Audit = (trx: Db, action: string, tenantId: string) => Promise<void>;

/** The labels map allowed on a tenant (the contract's `Labels.maxProperties`). */
const MAX_LABELS = 64;

const now = () => new Date();

/** Whether `e` is PostgreSQL's unique violation. */
const isUniqueViolation = (e: unknown) => (e as { code?: string } | null)?.code === '23505';

/** What a list reads, in the order `tenantJson` reads it (`path` without the tenant itself). */
const LIST_SELECT = `SELECT id, name, display_name, parent_id,
  array_to_json(path[1:cardinality(path) - 1]), level, region_code, labels, created_at, updated_at
FROM tenants`;

/** A tenant's API JSON from a row of `LIST_SELECT`: the same as `toApiTenant` (a test holds the two together). */
function tenantJson(r: RawRow): string {
  return `{"id":${rawText(r[0])},"name":${rawText(r[1])},"displayName":${rawJson(r[2])},"parentId":${rawText(r[3])},"path":${rawJson(r[4])},"level":${rawText(r[5])},"regionCode":${rawText(r[6])},"labels":${rawJson(r[7])},"createdAt":${rawTimestamp(r[8])},"updatedAt":${rawTimestamp(r[9])}}`;
}

/**
 * The tenants the caller can read (those it holds any role on, and their descendants),
 * newest first, filtered by `parentId` and `level`, one keyset page at a time.
 */
export async function listTenants(
  db: Db,
  principal: Principal,
  query: { parentId?: string; level?: Level; limit?: number; cursor?: string },
): Promise<JsonText<Page<Schemas['Tenant']>>> {
  const { parentId, level } = query;
  const limit = query.limit ?? 50;
  const cursors = new ScopedCursor('tenants', { parentId, level }, isCreatedPosition);
  const after = cursors.decode(query.cursor);
  const scope = subtreesOf(principal);
  if (scope !== 'all' && scope.length === 0) return jsonPage('', null);
  const params = new SqlParams();
  const where: string[] = [];
  // The GIN index on `path`: every tenant with one of the caller's roots among its path.
  if (scope !== 'all') where.push(`path && ${params.add(scope)}::text[]`);
  if (parentId !== undefined) where.push(`parent_id = ${params.add(parentId)}`);
  if (level !== undefined) where.push(`level = ${params.add(level)}`);
  return selectCreatedPage(
    db,
    { select: LIST_SELECT, where, params, keyset: { createdAt: 8, id: 0 }, render: tenantJson },
    { cursors, after, limit },
  );
}

/** The parent named in a create, as the caller may see it; 422 (not 404) otherwise. */
const noSuchParent = (parentId: string) =>
  invalidField('/body/parentId', `no tenant ${parentId} is visible to you`, 'not_found');

/**
 * Creates a tenant. A province (`parentId: null`) needs platform-admin platform-wide; any
 * other tenant needs tenant-admin or platform-admin on its parent or an ancestor of it, and
 * its level must be exactly one below the parent's. Its `quota`, if given, may not exceed
 * the parent's effective limits.
 */
export async function createTenant(
  db: Db,
  principal: Principal,
  body: Schemas['TenantCreate'],
  defaults: DefaultQuota,
  audit: Audit,
): Promise<TenantRow> {
  const limits: Limits = body.quota ?? { ...NO_LIMITS };
  let parent: TenantRow | undefined;
  if (body.parentId === null) {
    if (!holdsGlobally(principal, ['platform-admin'])) {
      throw new ProblemError(
        'forbidden',
        '新建省级租户（parentId 为 null）需要全平台的 platform-admin 角色 · Creating a province (parentId: null) needs the platform-admin role platform-wide.',
      );
    }
    if (body.level !== 'province') {
      throw invalidField('/body/level', 'a tenant without a parent must be a province', 'level');
    }
  } else {
    parent = await db
      .selectFrom('tenants')
      .selectAll()
      .where('id', '=', body.parentId)
      .executeTakeFirst();
    if (!parent || !holds(principal, parent.path, ANY_ROLE)) throw noSuchParent(body.parentId);
    if (!holds(principal, parent.path, ['tenant-admin', 'platform-admin'])) {
      throw new ProblemError(
        'forbidden',
        `新建租户需要在 ${parent.id} 或其上级持有 tenant-admin 或 platform-admin 角色 · Creating a tenant needs the tenant-admin or platform-admin role on ${parent.id} or an ancestor.`,
      );
    }
    const expected = childLevel(parent.level);
    if (!expected) {
      throw invalidField('/body/parentId', 'a township has no child tenants', 'level');
    }
    if (body.level !== expected) {
      throw invalidField(
        '/body/level',
        `must be "${expected}": a tenant is one level below its parent (a ${parent.level})`,
        'level',
      );
    }
  }

  return db.transaction().execute(async (trx) => {
    let path: string[] = [];
    if (parent) {
      // Holds off a concurrent delete of the parent until this commits (its not_empty
      // check then sees the new child); after such a delete, the parent is gone here.
      const locked = await trx
        .selectFrom('tenants')
        .select('path')
        .where('id', '=', parent.id)
        .forKeyShare()
        .executeTakeFirst();
      if (!locked) throw noSuchParent(parent.id);
      path = locked.path;
      const errors = limitsAboveParent(
        limits,
        await effectiveLimits(trx, path, defaults),
        '/body/quota',
      );
      if (errors.length > 0) throw quotaAboveParent(errors);
    }
    const id = newId('ten');
    const at = now();
    let row: TenantRow;
    try {
      row = await trx
        .insertInto('tenants')
        .values({
          id,
          name: body.name,
          display_name: JSON.stringify(body.displayName),
          parent_id: parent?.id ?? null,
          path: [...path, id],
          level: body.level,
          region_code: body.regionCode ?? null,
          labels: JSON.stringify(body.labels ?? {}),
          created_at: at,
          updated_at: at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new ProblemError(
        'already_exists',
        parent
          ? `同一上级下已有名为 "${body.name}" 的租户 · A tenant named "${body.name}" already exists under ${parent.id}.`
          : `已有名为 "${body.name}" 的省级租户 · A province named "${body.name}" already exists.`,
      );
    }
    await trx
      .insertInto('quotas')
      .values({ tenant_id: id, ...limitColumns(limits) })
      .execute();
    await trx
      .insertInto('usage')
      .values({ tenant_id: id, instances: 0, apps: 0, memory_mb: 0, storage_mb: 0, replicas: 0 })
      .execute();
    await audit(trx, 'tenant.create', id);
    return row;
  });
}

/**
 * Changes the display name and merges the labels (`null` removes a key). Needs tenant-admin
 * or platform-admin on the tenant or an ancestor.
 */
export async function updateTenant(
  db: Db,
  tenant: TenantRow,
  patch: Schemas['TenantUpdate'],
  audit: Audit,
): Promise<TenantRow> {
  return db.transaction().execute(async (trx) => {
    // NO KEY UPDATE: serialises label merges without blocking children's foreign keys.
    const current = await trx
      .selectFrom('tenants')
      .selectAll()
      .where('id', '=', tenant.id)
      .forNoKeyUpdate()
      .executeTakeFirst();
    if (!current) throw notFound('Tenant', tenant.id);
    const labels = { ...current.labels };
    for (const [key, value] of Object.entries(patch.labels ?? {})) {
      if (value === null) delete labels[key];
      else labels[key] = value;
    }
    if (Object.keys(labels).length > MAX_LABELS) {
      throw invalidField(
        '/body/labels',
        `a tenant has at most ${MAX_LABELS} labels; this patch would leave ${Object.keys(labels).length}`,
        'maxProperties',
      );
    }
    const row = await trx
      .updateTable('tenants')
      .set({
        display_name: JSON.stringify(patch.displayName ?? current.display_name),
        labels: JSON.stringify(labels),
        updated_at: now(),
      })
      .where('id', '=', tenant.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, 'tenant.update', tenant.id);
    return row;
  });
}

/**
 * Whether the principal may administer the tenant from above: tenant-admin on an ancestor
 * (not on the tenant itself), or platform-admin on it or an ancestor. Deleting a tenant and
 * setting its quota need this.
 */
export function administersFromAbove(principal: Principal, tenant: TenantRow): boolean {
  return (
    holds(principal, tenant.path.slice(0, -1), ['tenant-admin']) ||
    holds(principal, tenant.path, ['platform-admin'])
  );
}

/**
 * Deletes an empty tenant: 409 `not_empty` while it has dependents (child tenants; later
 * instances and apps, see `dependents.ts`) or uses any quota. Its quota, usage, members and
 * tokens go with it (foreign keys cascade); its id and path go to `deleted_tenants`.
 */
export async function deleteTenant(db: Db, tenant: TenantRow, audit: Audit): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // The usage row first, then the tenant: the order `reserve` takes them in (its path's
    // usage rows, then the new resource's foreign key on the tenant), so the two can't
    // deadlock; and an allocation in flight is either counted below or finds the tenant gone.
    const usage = await trx
      .selectFrom('usage')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .forUpdate()
      .executeTakeFirst();
    const row = await trx
      .selectFrom('tenants')
      .select(['id', 'path'])
      .where('id', '=', tenant.id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('Tenant', tenant.id);
    const dependents = await remainingDependents(trx, tenant.id);
    if (dependents.length > 0) {
      throw new ProblemError(
        'not_empty',
        `Tenant ${tenant.id} still has ${dependents.map(([kind, n]) => `${n} ${kind}`).join(' and ')}; delete them first.`,
      );
    }
    if (usage) {
      const used = amountsOf(usage);
      const inUse = RESOURCES.filter((r) => used[r] > 0);
      if (inUse.length > 0) {
        throw new ProblemError(
          'not_empty',
          `Tenant ${tenant.id} still uses ${inUse.map((r) => `${used[r]} ${r}`).join(', ')} of its quota; release its resources first.`,
        );
      }
    }
    await trx.deleteFrom('tenants').where('id', '=', tenant.id).execute();
    // Its path outlives it, so only its ancestors' auditors read its audit events (a tenant
    // with children is refused above: each tenant of a subtree is recorded by its own delete).
    await trx.insertInto('deleted_tenants').values({ id: row.id, path: row.path }).execute();
    await audit(trx, 'tenant.delete', tenant.id);
  });
}

/** 422 `quota_exceeded` for limits set above the parent's effective ones. */
function quotaAboveParent(errors: ReturnType<typeof limitsAboveParent>): ProblemError {
  return new ProblemError(
    'quota_exceeded',
    `A tenant's limits may not exceed its parent's effective limits: ${errors.map((e) => `${e.path.split('/').pop()} ${e.message}`).join('; ')}.`,
    errors,
  );
}

/** A tenant's quota in the API's shape. */
export function toApiQuota(tenantId: string, own: Limits[], defaults: DefaultQuota) {
  return {
    tenantId,
    limits: own[own.length - 1] ?? { ...NO_LIMITS },
    effective: effectiveOf(own, defaults),
  } satisfies Schemas['Quota'];
}

/** The tenant's own limits and the effective ones. */
export async function getQuota(
  db: Db,
  tenant: TenantRow,
  defaults: DefaultQuota,
): Promise<Schemas['Quota']> {
  return toApiQuota(tenant.id, await ownLimitsAlong(db, tenant.path), defaults);
}

/**
 * Replaces the tenant's own limits. Each limit must be at most the parent's effective limit
 * (422 `quota_exceeded`); below current usage is fine (new allocations are then refused).
 */
export async function setQuota(
  db: Db,
  tenant: TenantRow,
  limits: Limits,
  defaults: DefaultQuota,
  audit: Audit,
): Promise<Schemas['Quota']> {
  return db.transaction().execute(async (trx) => {
    // Holds off a concurrent delete of the tenant (which locks its row FOR UPDATE) until
    // this commits; after such a delete, the tenant is gone here.
    const exists = await trx
      .selectFrom('tenants')
      .select('id')
      .where('id', '=', tenant.id)
      .forKeyShare()
      .executeTakeFirst();
    if (!exists) throw notFound('Tenant', tenant.id);
    // One quota change of a tenant at a time (the row exists from the tenant's creation).
    const current = await trx
      .selectFrom('quotas')
      .select('tenant_id')
      .where('tenant_id', '=', tenant.id)
      .forUpdate()
      .executeTakeFirst();
    const ancestors = tenant.path.slice(0, -1);
    const own = await ownLimitsAlong(trx, ancestors);
    if (ancestors.length > 0) {
      const errors = limitsAboveParent(limits, effectiveOf(own, defaults), '/body');
      if (errors.length > 0) throw quotaAboveParent(errors);
    }
    if (current) {
      await trx
        .updateTable('quotas')
        .set(limitColumns(limits))
        .where('tenant_id', '=', tenant.id)
        .execute();
    } else {
      await trx
        .insertInto('quotas')
        .values({ tenant_id: tenant.id, ...limitColumns(limits) })
        .onConflict((oc) => oc.column('tenant_id').doUpdateSet(limitColumns(limits)))
        .execute();
    }
    await audit(trx, 'tenant.quota.set', tenant.id);
    return toApiQuota(tenant.id, [...own, { ...limits }], defaults);
  });
}

/**
 * What the tenant (and by default its descendants) uses, with its effective limits, and the
 * instances' share of it per service: the instances that hold quota (`reserved`), whatever
 * their state, as `used` counts them.
 */
export async function getUsage(
  db: Db,
  tenant: TenantRow,
  includeDescendants: boolean,
  defaults: DefaultQuota,
): Promise<Schemas['TenantUsage']> {
  const asOf = now();
  const used: Amounts = includeDescendants
    ? ((await subtreeUsage(db, [tenant.id])).get(tenant.id) ?? (await ownUsage(db, tenant.id)))
    : await ownUsage(db, tenant.id);
  return {
    tenantId: tenant.id,
    asOf: asOf.toISOString(),
    includesDescendants: includeDescendants,
    used,
    limits: await effectiveLimits(db, tenant.path, defaults),
    byService: await usageByService(db, tenant.id, includeDescendants),
  };
}

async function usageByService(
  db: Db,
  tenantId: string,
  includeDescendants: boolean,
): Promise<Schemas['ServiceUsage'][]> {
  const scope = includeDescendants
    ? sql`i.tenant_id IN (SELECT id FROM tenants WHERE path && ARRAY[${tenantId}]::text[])`
    : sql`i.tenant_id = ${tenantId}`;
  const { rows } = await sql<{ service: string; instances: number; storage_mb: number }>`
SELECT i.service,
  sum((i.reserved->>'instances')::int)::int AS instances,
  sum((i.reserved->>'storageMb')::int)::int AS storage_mb
FROM instances i
WHERE ${scope} AND jsonb_typeof(i.reserved) = 'object'
GROUP BY i.service ORDER BY i.service`.execute(db);
  return rows.map((r) => ({
    serviceId: r.service,
    instances: r.instances,
    storageMb: r.storage_mb,
  }));
}
