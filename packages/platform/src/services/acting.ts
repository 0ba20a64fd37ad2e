import { auditActionOf, type OperationId } from '@zhengwu/openapi';
import type { AuditInput } from '../audit/log';
import type { Principal } from '../auth/principal';

/**
 * The request an instance or binding change acts for: a Fastify request of a `/v1` route
 * fits as it is; other front doors (the Open Service Broker API at `/v2`) pass a small
 * object that names their own audit action and principal.
 */
export interface ActingRequest {
  readonly id: string;
  readonly ip: string;
  readonly headers: { readonly 'user-agent'?: string | undefined };
  /** A contract route's operation, which names the audit action on `/v1`. */
  readonly routeOptions?: { readonly config: { readonly operationId?: OperationId } };
  /** The audit action when not a contract route's (e.g. `osb.provision`). */
  readonly auditAction?: string;
  /** Who the audit records when not the principal itself (an OSB platform and its user). */
  readonly auditPrincipal?: AuditInput['principal'];
  /** Set as soon as known, so that a refusal is audited with them. */
  auditTenantId: string | null;
  auditTarget: { type: string; id: string } | null;
  /** Set once the call's audit event was written inside its transaction. */
  audited: boolean;
}

/** The principal an audit event of this request records. */
export function auditPrincipalOf(
  request: ActingRequest,
  principal: Principal,
): AuditInput['principal'] {
  return request.auditPrincipal ?? { type: principal.type, id: principal.id, name: principal.name };
}

/** The audit event of a successful change (appended inside its transaction). */
export function actingEvent(
  request: ActingRequest,
  principal: Principal,
  tenantId: string,
  target: { type: string; id: string },
): AuditInput {
  const operationId = request.routeOptions?.config.operationId;
  return {
    principal: auditPrincipalOf(request, principal),
    tenantId,
    action:
      request.auditAction ??
      (operationId ? (auditActionOf(operationId) ?? operationId) : 'service.change'),
    target,
    outcome: 'success',
    reason: null,
    sourceIp: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
    requestId: request.id,
  };
}
