import { auditActionOf, type OperationId } from '@zhengwu/openapi';
import type { FastifyRequest } from 'fastify';
import type { AuditInput } from '../audit/log';
import type { Principal } from '../auth/principal';
import type { OperationHandler } from '../http/context';
import { ProblemError } from '../http/problems';

/** The audit event of a successful identity change (appended inside its transaction). */
export function successEvent(
  request: FastifyRequest,
  principal: Principal,
  tenantId: string,
  target: { type: string; id: string },
): AuditInput {
  const operationId = request.routeOptions.config.operationId as OperationId;
  return {
    principal: { type: principal.type, id: principal.id, name: principal.name },
    tenantId,
    action: auditActionOf(operationId) ?? operationId,
    target,
    outcome: 'success',
    reason: null,
    sourceIp: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
    requestId: request.id,
  };
}

/**
 * Wraps a mutating identity handler so that a refusal (403 `forbidden`,
 * 403 `separation_of_duties`, 404, 409, 422 …) is audited with its problem code as the
 * reason — a security event an assessor looks for — instead of only its HTTP status.
 * Handlers set `request.auditTenantId` / `auditTarget` as soon as they know them.
 */
export function auditingRefusals<Id extends OperationId>(
  handler: OperationHandler<Id>,
): OperationHandler<Id> {
  return async (request, reply, ctx) => {
    try {
      return await handler(request, reply, ctx);
    } catch (error) {
      if (error instanceof ProblemError && !request.audited && request.principal) {
        const operationId = request.routeOptions.config.operationId as OperationId;
        const principal = request.principal;
        try {
          await ctx.audit.append(ctx.db, {
            principal: { type: principal.type, id: principal.id, name: principal.name },
            tenantId: request.auditTenantId,
            action: auditActionOf(operationId) ?? operationId,
            target: request.auditTarget,
            outcome: [401, 403, 404].includes(error.status) ? 'denied' : 'failure',
            reason: error.code,
            sourceIp: request.ip,
            userAgent: request.headers['user-agent'] ?? null,
            requestId: request.id,
          });
          request.audited = true;
        } catch (auditError) {
          request.log.error({ err: auditError }, 'audit append failed');
        }
      }
      throw error;
    }
  };
}
