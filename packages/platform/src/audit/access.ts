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
 * - otherwise the events of the subtrees under `roots`, plus — with an audit role on a root
 *   tenant (a province), as the contract says — platform-level events (`tenantId: null`)
 *   and the events of tenants that no longer exist (deleted tenants have no path left to
 *   place them in a subtree, and their events must stay readable).
 */
export type AuditScope = { all: true } | { all: false; roots: string[]; platformLevel: boolean };

/** The caller's audit scope; 403 without the auditor or audit-admin role anywhere. */
export async function auditScope(db: Db, principal: Principal, what: string): Promise<AuditScope> {
  const bindings = principal.roles.filter((b) => AUDIT_READERS.includes(b.role));
  if (bindings.length === 0) {
    throw new ProblemError('forbidden', `${what} needs the auditor or audit-admin role.`);
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
    const inSubtrees = eb(
      'audit_events.tenant_id',
      'in',
      eb
        .selectFrom('tenants')
        .select('tenants.id')
        .where(sql<SqlBool>`tenants.path && ${sql.val(scope.roots)}::text[]`),
    );
    if (!scope.platformLevel) return inSubtrees;
    return eb.or([
      inSubtrees,
      eb('audit_events.tenant_id', 'is', null),
      eb.not(
        eb.exists(
          eb
            .selectFrom('tenants as gone')
            .select('gone.id')
            .whereRef('gone.id', '=', 'audit_events.tenant_id'),
        ),
      ),
    ]);
  };
}
