import type { Handlers } from '../http/context';
import { principalOf } from '../http/context';
import { ProblemError } from '../http/problems';
import { auditingRefusals } from '../identity/audit';
import {
  createBinding,
  deleteBinding,
  listBindings,
  readCredentials,
  rotateBinding,
  toApiBinding,
  visibleBinding,
} from '../services/bindings';

/** Bindings: credentials issued by an instance's broker, stored sealed, read with an audit. */
export const bindingHandlers: Handlers = {
  listBindings: (request, _reply, ctx) => listBindings(ctx.db, principalOf(request), request.query),

  getBinding: async (request, _reply, ctx) =>
    toApiBinding(await visibleBinding(ctx.db, principalOf(request), request.params.bindingId)),

  createBinding: auditingRefusals(async (request, reply, ctx) => {
    const row = await createBinding(ctx, request, principalOf(request), request.body);
    reply.code(202).header('location', `/v1/bindings/${row.id}`);
    return toApiBinding(row);
  }),

  deleteBinding: auditingRefusals(async (request, reply, ctx) => {
    const row = await deleteBinding(ctx, request, principalOf(request), request.params.bindingId);
    reply.code(202);
    return toApiBinding(row);
  }),

  rotateBinding: auditingRefusals(async (request, reply, ctx) => {
    const grace = request.body?.gracePeriodSeconds ?? 0;
    const row = await rotateBinding(
      ctx,
      request,
      principalOf(request),
      request.params.bindingId,
      grace,
    );
    reply.code(202);
    return toApiBinding(row);
  }),

  getBindingCredentials: async (request, reply, ctx) => {
    const principal = principalOf(request);
    try {
      const body = await readCredentials(ctx, request, principal, request.params.bindingId);
      reply.header('cache-control', 'no-store');
      return body;
    } catch (error) {
      // A refused read of secrets is a security event: audited like a refused write.
      if (error instanceof ProblemError) {
        await ctx.audit.append(ctx.db, {
          principal: { type: principal.type, id: principal.id, name: principal.name },
          tenantId: request.auditTenantId,
          action: 'binding.credentials.read',
          target: { type: 'binding', id: request.params.bindingId },
          outcome: [401, 403, 404].includes(error.status) ? 'denied' : 'failure',
          reason: error.code,
          sourceIp: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
          requestId: request.id,
        });
      }
      throw error;
    }
  },
};
