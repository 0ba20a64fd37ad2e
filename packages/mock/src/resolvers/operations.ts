/** Operations: poll them (each GET is one step) and cancel them. */

import { canSee, visibleTenantIds } from '../access';
import { cancel, pollOperation } from '../async-operations';
import { accepted, json, type RequestContext } from '../context';
import { paginate } from '../pagination';
import { notFound } from '../problems';
import { type Model, newestFirst } from '../state';
import type { Resolvers } from './lookup';

function findOperation(ctx: RequestContext): Model['Operation'] {
  const op = ctx.state.operations.get(ctx.path.operationId!);
  if (!op || !canSee(ctx.rt, ctx.caller, op.tenantId))
    throw notFound('Operation', ctx.path.operationId!);
  return op;
}

export const operationResolvers: Resolvers<'listOperations' | 'getOperation' | 'cancelOperation'> =
  {
    listOperations: (ctx) => {
      const visible = visibleTenantIds(ctx.rt, ctx.caller);
      const { tenantId, targetId, state } = ctx.query;
      const ops = newestFirst(ctx.state, ctx.state.operations.values()).filter(
        (op) =>
          visible.has(op.tenantId) &&
          (tenantId === undefined || op.tenantId === tenantId) &&
          (targetId === undefined || op.target.id === targetId) &&
          (state === undefined || op.state === state),
      );
      return json(paginate(ops, (op) => op.id, ctx.query, 'listOperations'));
    },

    getOperation: (ctx) => {
      const op = findOperation(ctx);
      pollOperation(ctx.rt, op.id);
      return json(op);
    },

    cancelOperation: (ctx) => {
      const op = findOperation(ctx);
      ctx.audit.tenantId = op.tenantId;
      ctx.audit.target = { type: 'operation', id: op.id };
      cancel(ctx.rt, op);
      return accepted(op);
    },
  };
