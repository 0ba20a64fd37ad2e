import type { Schemas } from '@zhengwu/openapi';
import { holds, type Principal, type Role } from '../auth/principal';
import type { Db } from '../db/database';
import type { TenantRow } from '../db/schema';
import { notFound, ProblemError } from '../http/problems';

/** A tenant row in the API's shape. */
export function toApiTenant(row: TenantRow): Schemas['Tenant'] {
  return {
    id: row.id,
    name: row.name,
    displayName: row.display_name,
    parentId: row.parent_id,
    path: row.path.slice(0, -1),
    level: row.level,
    regionCode: row.region_code,
    labels: row.labels,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * The tenant `id` as the caller may see it: a principal with no role on the tenant's
 * subtree gets 404 (never 403), exactly as if it did not exist.
 */
export async function visibleTenant(db: Db, principal: Principal, id: string): Promise<TenantRow> {
  const row = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
  if (
    !row ||
    !holds(principal, row.path, [
      'platform-admin',
      'security-admin',
      'audit-admin',
      'tenant-admin',
      'developer',
      'auditor',
    ])
  ) {
    throw notFound('Tenant', id);
  }
  return row;
}

/**
 * Requires one of `roles` on the tenant's subtree (the tenant or an ancestor). Call after
 * `visibleTenant`: the caller knows the tenant exists, so lacking the role is a 403.
 */
export function requireRole(
  principal: Principal,
  tenant: TenantRow,
  roles: readonly Role[],
  what: string,
): void {
  if (!holds(principal, tenant.path, roles)) {
    throw new ProblemError(
      'forbidden',
      `此操作需要在租户 ${tenant.id} 或其上级持有 ${roles.join(' 或 ')} 角色 · ${what} needs the ${roles.join(' or ')} role on tenant ${tenant.id} or an ancestor.`,
    );
  }
}
