/** What the audit log records about where a request came from. */

import { appendAudit } from './audit';
import type { RequestContext } from './context';
import type { Model } from './state';

/** The client address: `X-Forwarded-For` as set by the mock server, else loopback. */
export function sourceIpOf(request: Request): string {
  const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded && /^[0-9a-fA-F:.]{2,45}$/.test(forwarded) ? forwarded : '127.0.0.1';
}

export const userAgentOf = (request: Request): string | null =>
  request.headers.get('x-zhengwu-client') ?? request.headers.get('user-agent') ?? null;

/** Records an audited read (such as `binding.credentials.read`) by the caller. */
export function auditRead(
  ctx: RequestContext,
  action: string,
  target: Model['AuditTarget'],
  tenantId: string,
): void {
  appendAudit(ctx.rt, {
    principal: { type: ctx.caller.type, id: ctx.caller.id, name: ctx.caller.name },
    tenantId,
    action,
    target,
    outcome: 'success',
    reason: null,
    requestId: ctx.requestId,
    sourceIp: sourceIpOf(ctx.request),
    userAgent: userAgentOf(ctx.request),
  });
}
