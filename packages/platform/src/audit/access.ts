import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Principal, Role } from '../auth/principal';
import type { Db } from '../db/database';
import type { Database } from '../db/schema';
import { ProblemError } from '../http/problems';

/** Who may read the audit log (等保 审计管理员 / 审计员). */
export const AUDIT_READERS: readonly Role[] = ['auditor', 'audit-admin'];

/**
 * What part of the audit log a principal reads:
 *
 * - `all`: a platform-wide audit role;
 * - otherwise the events of the subtrees under `roots` — of their live tenants and of the
 *   tenants deleted from them (`deleted_tenants` keeps each deleted tenant's path) — plus,
 *   with an audit role on a root tenant (a province), as the contract says, platform-level
 *   events: those without a tenant (`tenantId: null`, failed authentications say) and those
 *   naming a tenant no subtree owns — an id that never existed (a probe answered 404), or a
 *   tenant deleted before migration `0010` recorded paths.
 */
export type AuditScope = { all: true } | { all: false; roots: string[]; platformLevel: boolean };

/** The caller's audit scope; 403 without the auditor or audit-admin role anywhere. */
export async function auditScope(db: Db, principal: Principal, what: string): Promise<AuditScope> {
  const bindings = principal.roles.filter((b) => AUDIT_READERS.includes(b.role));
  if (bindings.length === 0) {
    throw new ProblemError(
      'forbidden',
      `此操作需要 auditor 或 audit-admin 角色 · ${what} needs the auditor or audit-admin role.`,
    );
  }
  if (bindings.some((b) => b.tenantId === null)) return { all: true };
  const roots = [...new Set(bindings.map((b) => b.tenantId as string))];
  const onRoot = await db
    .selectFrom('tenants')
    .select('id')
    .where('id', 'in', roots)
    .where('parent_id', 'is', null)
    .executeTakeFirst();
  return { all: false, roots, platformLevel: onRoot !== undefined };
}

/** The `WHERE` condition that keeps the events a scope may read. */
export function visibleEvents(
  scope: AuditScope,
): (eb: ExpressionBuilder<Database, 'audit_events'>) => Expression<SqlBool> {
  return (eb) => {
    if (scope.all) return sql<SqlBool>`true`;
    const roots = sql<SqlBool>`${sql.val(scope.roots)}::text[]`;
    const inSubtrees = eb(
      'audit_events.tenant_id',
      'in',
      eb
        .selectFrom('tenants')
        .select('tenants.id')
        .where(sql<SqlBool>`tenants.path && ${roots}`)
        .unionAll(
          eb
            .selectFrom('deleted_tenants')
            .select('deleted_tenants.id')
            .where(sql<SqlBool>`deleted_tenants.path && ${roots}`),
        ),
    );
    if (!scope.platformLevel) return inSubtrees;
    const owned = (table: 'tenants' | 'deleted_tenants') =>
      eb.exists(
        eb
          .selectFrom(table)
          .select(`${table}.id`)
          .whereRef(`${table}.id`, '=', 'audit_events.tenant_id'),
      );
    return eb.or([
      inSubtrees,
      eb('audit_events.tenant_id', 'is', null),
      eb.and([eb.not(owned('tenants')), eb.not(owned('deleted_tenants'))]),
    ]);
  };
}
