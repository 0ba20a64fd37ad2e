import type { Schemas } from '@zhengwu/openapi';
import { sql } from 'kysely';
import { ANY_ROLE, holds, type Principal, subtreesOf } from '../auth/principal';
import type { Db } from '../db/database';
import type { BindingRow } from '../db/schema';
import type { PlatformContext } from '../http/context';
import { createdPositionOf, isCreatedPosition, ScopedCursor } from '../http/cursor';
import { notFound, ProblemError } from '../http/problems';
import { newId } from '../ids';
import { enqueue } from '../operations/queue';
import { type ActingRequest, actingEvent, auditPrincipalOf } from './acting';
import { credentialsContext } from './context';
import { requireWriter, visibleInstance } from './instances';
import { operationRefOf } from './operation-ref';
import { checkParameters, resolvePlan } from './plans';

type Binding = Schemas['Binding'];

export type BindingView = BindingRow & {
  path: string[];
  op_type: string | null;
  op_state: string | null;
};

export function toApiBinding(row: BindingView): Binding {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    instanceId: row.instance_id,
    appId: row.app_id,
    name: row.name,
    state: row.state,
    credentialsVersion: row.credentials_version,
    rotatedAt: row.rotated_at ? row.rotated_at.toISOString() : null,
    lastOperation: operationRefOf(row),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function bindingViews(db: Db) {
  return db
    .selectFrom('bindings as b')
    .innerJoin('tenants as t', 't.id', 'b.tenant_id')
    .leftJoin('operations as o', 'o.id', 'b.last_operation_id')
    .selectAll('b')
    .select(['t.path as path', 'o.type as op_type', 'o.state as op_state']);
}

const view = async (db: Db, id: string) =>
  (await bindingViews(db).where('b.id', '=', id).executeTakeFirstOrThrow()) as BindingView;

/** The binding as the caller may see it: 404 without a role on its tenant or an ancestor. */
export async function visibleBinding(
  db: Db,
  principal: Principal,
  id: string,
  forUpdate = false,
): Promise<BindingView> {
  let query = bindingViews(db).where('b.id', '=', id).where('b.state', '<>', 'deleted');
  if (forUpdate) query = query.forUpdate('b');
  const row = (await query.executeTakeFirst()) as BindingView | undefined;
  if (!row || !holds(principal, row.path, ANY_ROLE)) throw notFound('Binding', id);
  return row;
}

/** `createBinding`: the instance must be ready and its service bindable. */
export async function createBinding(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  body: Schemas['BindingCreate'],
  /** Runs in the creating transaction, after the insert (e.g. to record an OSB id with it). */
  within?: (trx: Db, row: BindingView) => Promise<void>,
): Promise<BindingView> {
  const id = newId('bnd');
  request.auditTarget = { type: 'binding', id };
  return ctx.db.transaction().execute(async (trx) => {
    // Locks the instance: a deprovision cannot start between the check and the insert.
    const instance = await visibleInstance(trx, principal, body.instanceId, true).catch((e) => {
      throw e instanceof ProblemError && e.code === 'not_found'
        ? new ProblemError('validation_failed', e.detail, [
            { path: '/body/instanceId', message: 'no such instance', code: 'not_found' },
          ])
        : e;
    });
    request.auditTenantId = instance.tenant_id;
    requireWriter(principal, instance, 'Creating a binding');
    const { service, plan } = resolvePlan(instance.service, instance.plan);
    if (!service.bindable) {
      throw new ProblemError(
        'validation_failed',
        `服务 ${service.id} 不可绑定 · Service ${service.id} is not bindable.`,
      );
    }
    if (instance.state !== 'ready') {
      throw new ProblemError(
        'invalid_state',
        `实例当前为 ${instance.state} · Instance ${instance.id} is ${instance.state}; bindings need it ready.`,
      );
    }
    if (body.appId !== undefined) {
      // An app of the instance's own tenant (an app elsewhere is as unknown as a missing one).
      const app = await trx
        .selectFrom('apps')
        .select('id')
        .where('id', '=', body.appId)
        .where('tenant_id', '=', instance.tenant_id)
        .where('state', 'not in', ['deleting', 'deleted'])
        .executeTakeFirst();
      if (!app) {
        throw new ProblemError(
          'validation_failed',
          `应用不存在 · App ${body.appId} was not found in tenant ${instance.tenant_id}.`,
          [{ path: '/body/appId', message: 'no such app in the tenant', code: 'not_found' }],
        );
      }
    }
    const parameters = checkParameters(
      service,
      plan,
      'bindingCreate',
      body.parameters,
      '/body/parameters',
    );
    const clash = await trx
      .selectFrom('bindings')
      .select('id')
      .where('instance_id', '=', instance.id)
      .where('name', '=', body.name)
      .where('state', 'not in', ['deleted', 'failed'])
      .executeTakeFirst();
    if (clash) {
      throw new ProblemError(
        'already_exists',
        `实例上已有同名绑定 · Instance ${instance.id} already has a binding named "${body.name}" (${clash.id}).`,
      );
    }
    const op = await enqueue(trx, {
      type: 'binding.create',
      tenantId: instance.tenant_id,
      target: { type: 'binding', id },
      requestId: request.id,
    });
    const now = new Date();
    await trx
      .insertInto('bindings')
      .values({
        id,
        tenant_id: instance.tenant_id,
        instance_id: instance.id,
        app_id: body.appId ?? null,
        name: body.name,
        parameters: JSON.stringify(parameters),
        state: 'creating',
        rotated_at: null,
        last_operation_id: op.id,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })
      .execute();
    const row = await view(trx, id);
    await within?.(trx, row);
    await ctx.audit.append(
      trx,
      actingEvent(request, principal, instance.tenant_id, { type: 'binding', id }),
    );
    request.audited = true;
    return row;
  });
}

/**
 * Starts one operation on a binding in one transaction: the binding locked, the caller's
 * right checked, `check` deciding whether the binding's state allows it (or that the call
 * is a repeat answered as is), then the operation queued, the state set and the call audited.
 */
async function startBindingOperation(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  id: string,
  what: string,
  check: (row: BindingView) => 'start' | 'repeat',
  next: {
    type: 'binding.delete' | 'binding.rotate';
    state: 'deleting' | 'rotating';
    input?: (row: BindingView) => Record<string, unknown>;
  },
): Promise<BindingView> {
  request.auditTarget = { type: 'binding', id };
  return ctx.db.transaction().execute(async (trx) => {
    const row = await visibleBinding(trx, principal, id, true);
    request.auditTenantId = row.tenant_id;
    requireWriter(principal, row, what);
    if (check(row) === 'repeat') return row;
    const op = await enqueue(trx, {
      type: next.type,
      tenantId: row.tenant_id,
      target: { type: 'binding', id },
      ...(next.input && { input: next.input(row) }),
      requestId: request.id,
    });
    await trx
      .updateTable('bindings')
      .set({ state: next.state, last_operation_id: op.id, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await ctx.audit.append(
      trx,
      actingEvent(request, principal, row.tenant_id, { type: 'binding', id }),
    );
    request.audited = true;
    return view(trx, id);
  });
}

/** `deleteBinding`: revoke in the engine through a `binding.delete` operation. */
export function deleteBinding(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  id: string,
): Promise<BindingView> {
  const check = (row: BindingView) => {
    if (row.state === 'deleting') return 'repeat';
    if (row.state === 'creating' || row.state === 'rotating') {
      throw new ProblemError(
        'invalid_state',
        `绑定正在处理中 · Binding ${id} is ${row.state}; wait for operation ${row.last_operation_id}.`,
      );
    }
    return 'start';
  };
  return startBindingOperation(ctx, request, principal, id, 'Deleting a binding', check, {
    type: 'binding.delete',
    state: 'deleting',
  });
}

/** `rotateBinding`: a successor version first, the predecessor revoked after the grace period. */
export function rotateBinding(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  id: string,
  gracePeriodSeconds: number,
): Promise<BindingView> {
  const check = (row: BindingView) => {
    if (row.state !== 'ready') {
      throw new ProblemError(
        'invalid_state',
        `绑定当前为 ${row.state} · Binding ${id} is ${row.state}; it can rotate only when ready.`,
      );
    }
    return 'start' as const;
  };
  return startBindingOperation(ctx, request, principal, id, 'Rotating a binding', check, {
    type: 'binding.rotate',
    state: 'rotating',
    input: (row) => ({ fromVersion: row.credentials_version, gracePeriodSeconds }),
  });
}

/** `getBindingCredentials`: the current version in clear, audited on every read. */
export async function readCredentials(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  id: string,
): Promise<Schemas['BindingCredentials']> {
  request.auditTarget = { type: 'binding', id };
  const row = await visibleBinding(ctx.db, principal, id);
  request.auditTenantId = row.tenant_id;
  // Auditors see that bindings exist, never their secrets.
  requireWriter(principal, row, 'Reading credentials');
  if (row.state !== 'ready' && row.state !== 'rotating') {
    throw new ProblemError(
      'invalid_state',
      `绑定当前为 ${row.state} · Binding ${id} is ${row.state}; credentials exist once it is ready.`,
    );
  }
  const version = row.credentials_version;
  const stored = await ctx.db
    .selectFrom('binding_credentials')
    .selectAll()
    .where('binding_id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!stored) {
    throw new ProblemError('invalid_state', `绑定尚无凭据 · Binding ${id} has no credentials yet.`);
  }
  const credentials = await ctx.services.sealer.open(
    row.tenant_id,
    stored.sealed,
    credentialsContext(id, version),
  );
  await ctx.audit.append(ctx.db, {
    principal: auditPrincipalOf(request, principal),
    tenantId: row.tenant_id,
    action: 'binding.credentials.read',
    target: { type: 'binding', id },
    outcome: 'success',
    reason: null,
    sourceIp: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
    requestId: request.id,
  });
  return { bindingId: id, version, credentials, issuedAt: stored.issued_at.toISOString() };
}

export async function listBindings(
  db: Db,
  principal: Principal,
  query: {
    instanceId?: string;
    appId?: string;
    tenantId?: string;
    limit?: number;
    cursor?: string;
  },
): Promise<{ data: Binding[]; nextCursor: string | null }> {
  const { limit = 50, cursor, ...filters } = query;
  const cursors = new ScopedCursor('bindings', filters, isCreatedPosition);
  const after = cursors.decode(cursor);
  const subtrees = subtreesOf(principal);
  if (subtrees !== 'all' && subtrees.length === 0) return { data: [], nextCursor: null };
  let q = bindingViews(db).where('b.state', '<>', 'deleted');
  if (subtrees !== 'all') q = q.where(sql<boolean>`t.path && ${sql.val(subtrees)}::text[]`);
  if (filters.tenantId !== undefined) q = q.where('b.tenant_id', '=', filters.tenantId);
  if (filters.instanceId !== undefined) q = q.where('b.instance_id', '=', filters.instanceId);
  if (filters.appId !== undefined) q = q.where('b.app_id', '=', filters.appId);
  if (after) {
    q = q.where(sql<boolean>`(b.created_at, b.id) < (${after[0]}::timestamptz, ${after[1]})`);
  }
  const rows = (await q
    .orderBy('b.created_at', 'desc')
    .orderBy('b.id', 'desc')
    .limit(limit + 1)
    .execute()) as BindingView[];
  return cursors.page(rows, limit, createdPositionOf, toApiBinding);
}
