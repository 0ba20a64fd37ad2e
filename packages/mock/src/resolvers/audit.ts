/** The audit log: query it, read an event, verify the hash chain. */

import { visibleTenantIds } from '../access';
import { verifyChain } from '../audit';
import { json, type RequestContext } from '../context';
import { paginate } from '../pagination';
import { notFound, ProblemError } from '../problems';
import type { Model } from '../state';
import type { Body, Resolvers } from './lookup';

/** Events of tenants the caller can read; platform-wide ones (`tenantId: null`) need a root role. */
function visibleEvents(ctx: RequestContext): Model['AuditEvent'][] {
  if (ctx.caller.superuser) return ctx.state.auditEvents;
  const visible = visibleTenantIds(ctx.rt, ctx.caller);
  const onRoot = ctx.caller.roles.some(
    (r) => r.tenantId === null || ctx.state.tenants.get(r.tenantId)?.parentId === null,
  );
  return ctx.state.auditEvents.filter((e) =>
    e.tenantId === null ? onRoot : visible.has(e.tenantId),
  );
}

export const auditResolvers: Resolvers<'listAuditEvents' | 'getAuditEvent' | 'verifyAuditChain'> = {
  listAuditEvents: (ctx) => {
    const q = ctx.query as Record<string, string | undefined>;
    const events = visibleEvents(ctx)
      .filter(
        (e) =>
          (q.tenantId === undefined || e.tenantId === q.tenantId) &&
          (q.principalId === undefined || e.principal.id === q.principalId) &&
          (q.action === undefined || e.action === q.action) &&
          (q.targetId === undefined || e.target?.id === q.targetId) &&
          (q.outcome === undefined || e.outcome === q.outcome) &&
          (q.since === undefined || Date.parse(e.occurredAt) >= Date.parse(q.since)) &&
          (q.until === undefined || Date.parse(e.occurredAt) < Date.parse(q.until)),
      )
      .reverse();
    return json(paginate(events, (e) => e.sequence, ctx.query, 'listAuditEvents'));
  },

  getAuditEvent: (ctx) => {
    const event = visibleEvents(ctx).find((e) => e.id === ctx.path.eventId);
    if (!event) throw notFound('Audit event', ctx.path.eventId!);
    return json(event);
  },

  verifyAuditChain: (ctx) => {
    // The chain covers every tenant: an audit role on a lower tenant does not verify it.
    const onRoot = ctx.caller.roles.some(
      (r) =>
        (r.role === 'auditor' || r.role === 'audit-admin') &&
        (r.tenantId === null || ctx.state.tenants.get(r.tenantId)?.parentId === null),
    );
    if (!ctx.caller.superuser && !onRoot) {
      throw new ProblemError(
        'forbidden',
        '校验审计链需要平台级或省级根租户上的审计角色 · Verifying the audit chain needs an audit role platform-wide or on a root (province) tenant.',
      );
    }
    const body = (ctx.body ?? {}) as Body<'verifyAuditChain'>;
    const chain = ctx.state.auditEvents;
    const head = chain[chain.length - 1]?.sequence ?? 0;
    const from = body.fromSequence ?? 1;
    const to = body.toSequence ?? head;
    if (head === 0 || from > to || to > head) {
      throw new ProblemError(
        'validation_failed',
        `The span ${from}–${to} is empty or outside the chain (1–${head}).`,
        [
          {
            path: body.toSequence !== undefined ? '/body/toSequence' : '/body/fromSequence',
            message: `must lie within 1–${head}`,
            code: 'range',
          },
        ],
      );
    }
    ctx.audit.target = null;
    return json(verifyChain(chain, from, to));
  },
};
