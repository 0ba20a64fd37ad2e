import { sql } from 'kysely';
import { ANY_ROLE, holds, type Principal, type Role, subtreesOf } from '../auth/principal';
import type { Db } from '../db/database';
import { type DurableOperationRow, durable } from '../db/durability-schema';
import { type Handlers, type PlatformContext, principalOf } from '../http/context';
import { createdPositionOf, isCreatedPosition, ScopedCursor } from '../http/cursor';
import { notFound, ProblemError } from '../http/problems';
import { toApiOperation } from '../operations/queue';
import { type OperationType, type OperationView, operationFinalizer } from '../operations/registry';

/** Who may cancel an operation (the contract's roles). */
const CANCELERS: readonly Role[] = ['developer', 'tenant-admin', 'platform-admin'];
const FINAL = ['succeeded', 'failed', 'canceled'];

/**
 * The operation `id` with its tenant's path, as the caller may see it: 404 unless the
 * caller holds a role on the operation's tenant or an ancestor.
 */
async function visibleOperation(
  db: Db,
  principal: Principal,
  id: string,
): Promise<{ row: DurableOperationRow; path: string[] }> {
  const row = await durable(db)
    .selectFrom('operations')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  const tenant =
    row &&
    (await db
      .selectFrom('tenants')
      .select('path')
      .where('id', '=', row.tenant_id)
      .executeTakeFirst());
  // A deleted tenant's operations (no path left) stay visible to platform-wide roles only.
  const path = tenant?.path ?? [];
  if (!row || !holds(principal, path, ANY_ROLE)) {
    throw notFound('Operation', id);
  }
  return { row, path };
}

/** Durable operations: list and poll them, and ask a running one to stop. */
export const operationHandlers: Handlers = {
  listOperations: async (request, _reply, ctx) => {
    const subtrees = subtreesOf(principalOf(request));
    const { limit = 50, cursor, ...filters } = request.query;
    const cursors = new ScopedCursor('operations', filters, isCreatedPosition);
    const after = cursors.decode(cursor);
    if (subtrees !== 'all' && subtrees.length === 0) return { data: [], nextCursor: null };
    let query = durable(ctx.db).selectFrom('operations').selectAll();
    if (subtrees !== 'all') {
      query = query.where('tenant_id', 'in', (eb) =>
        eb
          .selectFrom('tenants')
          .select('tenants.id')
          .where(sql<boolean>`tenants.path && ${sql.val(subtrees)}::text[]`),
      );
    }
    if (filters.tenantId !== undefined) query = query.where('tenant_id', '=', filters.tenantId);
    if (filters.targetId !== undefined) query = query.where('target_id', '=', filters.targetId);
    if (filters.state !== undefined) query = query.where('state', '=', filters.state);
    if (after !== undefined) {
      query = query.where((eb) =>
        eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(new Date(after[0]), after[1])),
      );
    }
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    return cursors.page(rows, limit, createdPositionOf, toApiOperation);
  },

  getOperation: async (request, _reply, ctx) => {
    const { row } = await visibleOperation(
      ctx.db,
      principalOf(request),
      request.params.operationId,
    );
    return toApiOperation(row);
  },

  /**
   * A pending operation no worker has started is canceled at once; a started one gets
   * `cancel_requested`, which its worker's heartbeat turns into an abort (and a waiting
   * retry is made runnable now, so its handler can roll back). Finished, or past the
   * point of no return: 409 `invalid_state`.
   */
  cancelOperation: async (request, reply, ctx) => {
    const principal = principalOf(request);
    const id = request.params.operationId;
    const { row, path } = await visibleOperation(ctx.db, principal, id);
    request.auditTenantId = row.tenant_id;
    request.auditTarget = { type: 'operation', id };
    if (!holds(principal, path, CANCELERS)) {
      throw new ProblemError(
        'forbidden',
        `取消操作需要在租户 ${row.tenant_id} 或其上级持有 ${CANCELERS.join('、')} 之一 · Canceling an operation needs the ${CANCELERS.join(', ')} role on tenant ${row.tenant_id} or an ancestor.`,
      );
    }
    const canceled = await ctx.db.transaction().execute(async (plain) => {
      const trx = durable(plain);
      const current = await trx
        .selectFrom('operations')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (FINAL.includes(current.state)) {
        throw new ProblemError('invalid_state', `Operation ${id} has already ${current.state}.`);
      }
      if (!current.cancellable) {
        throw new ProblemError(
          'invalid_state',
          `Operation ${id} is past its point of no return and can no longer be canceled.`,
        );
      }
      const neverStarted = current.state === 'pending';
      const updated = await trx
        .updateTable('operations')
        .set(
          neverStarted
            ? {
                state: 'canceled',
                cancel_requested: true,
                finished_at: sql<Date>`now()`,
                updated_at: sql<Date>`now()`,
              }
            : {
                cancel_requested: true,
                run_after: sql<Date>`least(run_after, now())`,
                updated_at: sql<Date>`now()`,
              },
        )
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (neverStarted) await finalizeCanceled(ctx, plain, updated);
      await ctx.audit.append(plain, {
        principal: { type: principal.type, id: principal.id, name: principal.name },
        tenantId: row.tenant_id,
        action: 'operation.cancel',
        target: { type: 'operation', id },
        outcome: 'success',
        reason: null,
        sourceIp: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        requestId: request.id,
      });
      return updated;
    });
    request.audited = true;
    reply.code(202);
    return toApiOperation(canceled);
  },
};

/**
 * What a worker would have done had it run the canceled operation: its finalizer, in the
 * cancel's transaction (an instance that will never be provisioned fails and frees its quota).
 */
async function finalizeCanceled(ctx: PlatformContext, trx: Db, row: DurableOperationRow) {
  const type = row.type as OperationType;
  const finalize = ctx.operationFinalizer?.(type) ?? operationFinalizer(type);
  await finalize?.(
    trx,
    {
      id: row.id,
      type,
      tenantId: row.tenant_id,
      target: { type: row.target_type as OperationView['target']['type'], id: row.target_id },
      input: row.input,
      requestId: row.request_id ?? row.id,
    },
    'canceled',
    null,
  );
}
