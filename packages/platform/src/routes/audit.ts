import { sql } from 'kysely';
import { AUDIT_READERS, auditScope, visibleEvents } from '../audit/access';
import { toChainedEvent } from '../audit/log';
import { verifyChain } from '../audit/verify';
import { type Handlers, principalOf } from '../http/context';
import { ScopedCursor } from '../http/cursor';
import { notFound, ProblemError } from '../http/problems';

const isSequence = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0;

/**
 * The audit log (等保 安全审计): search and read for auditors and audit administrators,
 * scoped to their subtrees, and verification of the HMAC-SM3 chain.
 */
export const auditHandlers: Handlers = {
  listAuditEvents: async (request, _reply, ctx) => {
    const scope = await auditScope(ctx.db, principalOf(request), 'Reading the audit log');
    const { limit = 50, cursor, ...filters } = request.query;
    const cursors = new ScopedCursor('audit-events', filters, isSequence);
    const before = cursors.decode(cursor);
    let query = ctx.db.selectFrom('audit_events').selectAll().where(visibleEvents(scope));
    if (filters.tenantId !== undefined) query = query.where('tenant_id', '=', filters.tenantId);
    if (filters.principalId !== undefined) {
      query = query.where(sql<string>`principal->>'id'`, '=', filters.principalId);
    }
    if (filters.action !== undefined) query = query.where('action', '=', filters.action);
    if (filters.targetId !== undefined) {
      query = query.where(sql<string>`target->>'id'`, '=', filters.targetId);
    }
    if (filters.outcome !== undefined) query = query.where('outcome', '=', filters.outcome);
    if (filters.since !== undefined)
      query = query.where('occurred_at', '>=', new Date(filters.since));
    if (filters.until !== undefined)
      query = query.where('occurred_at', '<', new Date(filters.until));
    if (before !== undefined) query = query.where('sequence', '<', before);
    const rows = await query
      .orderBy('sequence', 'desc')
      .limit(limit + 1)
      .execute();
    return cursors.page(rows, limit, (row) => row.sequence, toChainedEvent);
  },

  getAuditEvent: async (request, _reply, ctx) => {
    const scope = await auditScope(ctx.db, principalOf(request), 'Reading the audit log');
    const row = await ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('id', '=', request.params.eventId)
      .where(visibleEvents(scope))
      .executeTakeFirst();
    if (!row) throw notFound('Audit event', request.params.eventId);
    return toChainedEvent(row);
  },

  /**
   * Read-only over the chain; the verification itself is recorded as `audit.verify`
   * (outcome `failure` with the break's reason when the chain is broken, so alerts can
   * filter on it), in the caller's tenant.
   *
   * The chain is one for the whole platform: its count, head hash and break report every
   * tenant's events, and a scan costs the whole table. So only a platform-wide audit role
   * or one on a root tenant verifies; lower tenants' auditors get 403.
   */
  verifyAuditChain: async (request, _reply, ctx) => {
    const principal = principalOf(request);
    const scope = await auditScope(ctx.db, principal, 'Verifying the audit chain');
    if (!scope.all && !scope.platformLevel) {
      throw new ProblemError(
        'forbidden',
        '校验审计链需要平台级或省级根租户上的 auditor 或 audit-admin 角色 · Verifying the audit chain needs the auditor or audit-admin role platform-wide or on a root (province) tenant: the chain covers every tenant.',
      );
    }
    const body = request.body ?? {};
    const result = await verifyChain(ctx.db, ctx.audit.key, {
      fromSequence: body.fromSequence,
      toSequence: body.toSequence,
      anchor: await ctx.audit.anchor?.state(),
    });
    const auditRole = principal.roles.find((b) => AUDIT_READERS.includes(b.role));
    await ctx.audit.append(ctx.db, {
      principal: { type: principal.type, id: principal.id, name: principal.name },
      tenantId: principal.tenantId ?? auditRole?.tenantId ?? null,
      action: 'audit.verify',
      target: null,
      outcome: result.valid ? 'success' : 'failure',
      reason: result.firstBroken?.reason ?? null,
      sourceIp: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      requestId: request.id,
    });
    request.audited = true;
    return result;
  },
};
