import type { Handlers } from '../http/context';
import { principalOf } from '../http/context';
import { ProblemError } from '../http/problems';
import { auditingRefusals } from '../identity/audit';
import {
  createInstance,
  deleteInstance,
  listInstances,
  toApiInstance,
  updateInstance,
  visibleInstance,
} from '../services/instances';
import { instanceUsage } from '../services/usage';

/**
 * Service instances: provisioned, changed and deprovisioned by durable operations through
 * the engine pools' brokers. Another tenant's instance answers 404.
 */
export const instanceHandlers: Handlers = {
  listInstances: (request, _reply, ctx) =>
    listInstances(ctx.db, principalOf(request), request.query),

  getInstance: async (request, _reply, ctx) =>
    toApiInstance(await visibleInstance(ctx.db, principalOf(request), request.params.instanceId)),

  createInstance: auditingRefusals(async (request, reply, ctx) => {
    const row = await createInstance(ctx, request, principalOf(request), request.body);
    reply.code(202).header('location', `/v1/instances/${row.id}`);
    return toApiInstance(row);
  }),

  updateInstance: auditingRefusals(async (request, reply, ctx) => {
    const { instanceId } = request.params;
    const row = await updateInstance(ctx, request, principalOf(request), instanceId, request.body);
    reply.code(202);
    return toApiInstance(row);
  }),

  deleteInstance: auditingRefusals(async (request, reply, ctx) => {
    const { instanceId } = request.params;
    const force = request.query.force === true;
    const row = await deleteInstance(ctx, request, principalOf(request), instanceId, force);
    reply.code(202);
    return toApiInstance(row);
  }),

  getInstanceUsage: async (request, _reply, ctx) => {
    const row = await visibleInstance(ctx.db, principalOf(request), request.params.instanceId);
    const broker = row.pool ? ctx.services.pools.get(row.pool) : undefined;
    if (!['ready', 'updating'].includes(row.state) || !broker) {
      throw new ProblemError(
        'invalid_state',
        `实例当前为 ${row.state} · Instance ${row.id} is ${row.state}; usage exists once it is ready.`,
      );
    }
    return instanceUsage(broker, row);
  },
};
