import type { Schemas } from '@zhengwu/openapi';
import { ANY_ROLE, holds, type Principal, type Role, subtreesOf } from '../auth/principal';
import type { Db } from '../db/database';
import type { InstanceRow } from '../db/schema';
import type { PlatformContext } from '../http/context';
import { isCreatedPosition, ScopedCursor } from '../http/cursor';
import { type JsonText, jsonPage } from '../http/json-rows';
import type { Page } from '../http/pagination';
import { notFound, ProblemError } from '../http/problems';
import {
  type RawRow,
  rawJson,
  rawText,
  rawTimestamp,
  SqlParams,
  selectCreatedPage,
} from '../http/raw-json';
import { newId } from '../ids';
import { enqueue } from '../operations/queue';
import { reserve } from '../tenancy/quota';
import { type ActingRequest, actingEvent } from './acting';
import { operationRefOf } from './operation-ref';
import { checkParameters, quotaOf, resolvePlan } from './plans';

type Instance = Schemas['Instance'];

/** Who may create, change and delete instances (the contract's roles). */
export const WRITERS: readonly Role[] = ['developer', 'tenant-admin', 'platform-admin'];

/** An instance row joined with its tenant's path and its last operation. */
export type InstanceView = InstanceRow & {
  path: string[];
  op_type: string | null;
  op_state: string | null;
};

export function toApiInstance(row: InstanceView): Instance {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    service: row.service,
    plan: row.plan,
    parameters: row.parameters,
    labels: row.labels,
    state: row.state,
    pool: row.pool,
    dashboardUrl: row.dashboard_url,
    lastOperation: operationRefOf(row),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Instances with their tenant path and last operation (one query for get and list). */
export function instanceViews(db: Db) {
  return db
    .selectFrom('instances as i')
    .innerJoin('tenants as t', 't.id', 'i.tenant_id')
    .leftJoin('operations as o', 'o.id', 'i.last_operation_id')
    .selectAll('i')
    .select(['t.path as path', 'o.type as op_type', 'o.state as op_state']);
}

/** The instance as the caller may see it: 404 without a role on its tenant or an ancestor. */
export async function visibleInstance(
  db: Db,
  principal: Principal,
  id: string,
  forUpdate = false,
): Promise<InstanceView> {
  let query = instanceViews(db).where('i.id', '=', id);
  if (forUpdate) query = query.forUpdate('i');
  const row = (await query.executeTakeFirst()) as InstanceView | undefined;
  if (!row || !holds(principal, row.path, ANY_ROLE)) throw notFound('Instance', id);
  return row;
}

export function requireWriter(principal: Principal, row: { path: string[] }, what: string): void {
  if (!holds(principal, row.path, WRITERS)) {
    throw new ProblemError(
      'forbidden',
      `此操作需要该租户或其上级的 developer 或 tenant-admin 角色 · ${what} needs the developer or tenant-admin role on the tenant or an ancestor.`,
    );
  }
}

/** The tenant a new resource goes to: the given one, else the caller's own. */
export function targetTenant(principal: Principal, given: string | undefined): string {
  const tenantId = given ?? principal.tenantId;
  if (!tenantId) {
    throw new ProblemError(
      'validation_failed',
      '请给出 tenantId · Give tenantId: this token belongs to no tenant.',
      [{ path: '/body/tenantId', message: 'required for platform-wide tokens', code: 'required' }],
    );
  }
  return tenantId;
}

/**
 * The path of the tenant a request body names, as the caller may see it: a tenant it cannot
 * see is 422 on the field, exactly like one that does not exist.
 */
async function visibleTenantPath(db: Db, principal: Principal, id: string): Promise<string[]> {
  const row = await db.selectFrom('tenants').select('path').where('id', '=', id).executeTakeFirst();
  if (!row || !holds(principal, row.path, ANY_ROLE)) {
    throw new ProblemError('validation_failed', `租户不存在 · Tenant ${id} was not found.`, [
      { path: '/body/tenantId', message: 'no such tenant', code: 'not_found' },
    ]);
  }
  return row.path;
}

/**
 * Records a new instance as `provisioning` with its `instance.provision` operation, in the
 * caller's transaction (quota already reserved): the one way instances come to exist, from
 * `POST /v1/instances` and from an app's manifest resources alike.
 */
export async function insertProvisioning(
  trx: Db,
  instance: {
    id: string;
    tenantId: string;
    name: string;
    service: string;
    plan: string;
    parameters: Record<string, unknown>;
    labels: Record<string, string>;
    reserved: ReturnType<typeof quotaOf>;
    requestId: string;
  },
): Promise<void> {
  const now = new Date();
  const op = await enqueue(trx, {
    type: 'instance.provision',
    tenantId: instance.tenantId,
    target: { type: 'instance', id: instance.id },
    requestId: instance.requestId,
  });
  await trx
    .insertInto('instances')
    .values({
      id: instance.id,
      tenant_id: instance.tenantId,
      name: instance.name,
      service: instance.service,
      plan: instance.plan,
      parameters: JSON.stringify(instance.parameters),
      labels: JSON.stringify(instance.labels),
      state: 'provisioning',
      pool: null,
      dashboard_url: null,
      last_operation_id: op.id,
      reserved: JSON.stringify(instance.reserved),
      created_at: now,
      updated_at: now,
      deleted_at: null,
    })
    .execute();
}

/** `createInstance`: validate against catalog and quota, then enqueue the provisioning. */
export async function createInstance(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  body: Schemas['InstanceCreate'],
  /** Runs in the creating transaction, after the insert (e.g. to record an OSB id with it). */
  within?: (trx: Db, row: InstanceView) => Promise<void>,
): Promise<InstanceView> {
  const tenantId = targetTenant(principal, body.tenantId);
  request.auditTenantId = tenantId;
  const path = await visibleTenantPath(ctx.db, principal, tenantId);
  requireWriter(principal, { path }, 'Creating an instance');
  const { service, plan } = resolvePlan(body.service, body.plan);
  const parameters = checkParameters(
    service,
    plan,
    'instanceCreate',
    body.parameters,
    '/body/parameters',
  );
  const health = await ctx.services.pools.serviceHealth(service.id);
  if (!health.available) {
    throw new ProblemError(
      'service_unavailable',
      `服务 ${service.id} 暂不可用 · Service ${service.id} cannot take instances now: ${health.reason}`,
    );
  }
  const id = newId('ins');
  request.auditTarget = { type: 'instance', id };
  const reserved = quotaOf(plan);
  return ctx.db.transaction().execute(async (trx) => {
    await reserve(trx, tenantId, reserved, ctx.config.defaultQuota);
    const clash = await trx
      .selectFrom('instances')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('name', '=', body.name)
      .where('state', 'not in', ['deleted', 'failed'])
      .executeTakeFirst();
    if (clash) {
      throw new ProblemError(
        'already_exists',
        `租户内已有同名实例 · Tenant ${tenantId} already has an instance named "${body.name}" (${clash.id}).`,
      );
    }
    await insertProvisioning(trx, {
      id,
      tenantId,
      name: body.name,
      service: service.id,
      plan: plan.id,
      parameters,
      labels: body.labels ?? {},
      reserved,
      requestId: request.id,
    });
    const row = (await instanceViews(trx)
      .where('i.id', '=', id)
      .executeTakeFirstOrThrow()) as InstanceView;
    await within?.(trx, row);
    await ctx.audit.append(
      trx,
      actingEvent(request, principal, tenantId, { type: 'instance', id }),
    );
    request.audited = true;
    return row;
  });
}

/** Merge-patch of labels: `null` removes a key. */
function patchLabels(
  labels: Record<string, string>,
  patch: Record<string, string | null> | undefined,
): Record<string, string> {
  const next = { ...labels };
  for (const [k, v] of Object.entries(patch ?? {})) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  return next;
}

/** `updateInstance`: labels at once; plan or parameters through an `instance.update` operation. */
export async function updateInstance(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  id: string,
  body: Schemas['InstanceUpdate'],
  /** Runs in the updating transaction, after the change. */
  within?: (trx: Db, row: InstanceView) => Promise<void>,
): Promise<InstanceView> {
  request.auditTarget = { type: 'instance', id };
  return ctx.db.transaction().execute(async (trx) => {
    const row = await visibleInstance(trx, principal, id, true);
    request.auditTenantId = row.tenant_id;
    requireWriter(principal, row, 'Updating an instance');
    if (row.state !== 'ready') {
      throw new ProblemError(
        'invalid_state',
        `实例当前为 ${row.state} · Instance ${id} is ${row.state}; it can change only when ready.`,
      );
    }
    const labels = patchLabels(row.labels, body.labels as Record<string, string | null>);
    const changesEngine = body.plan !== undefined || body.parameters !== undefined;
    let operationId = row.last_operation_id;
    let parameters = row.parameters;
    let reserved = row.reserved;
    if (changesEngine) {
      const { service, plan: current } = resolvePlan(row.service, row.plan);
      const { plan } = resolvePlan(row.service, body.plan ?? row.plan);
      if (plan.id !== current.id && !service.planUpdateable) {
        throw new ProblemError(
          'validation_failed',
          `服务 ${service.id} 不支持变更规格 · Service ${service.id} does not allow plan changes.`,
          [{ path: '/body/plan', message: 'plan not updateable', code: 'plan_updateable' }],
        );
      }
      const patch = checkParameters(
        service,
        plan,
        'instanceUpdate',
        body.parameters,
        '/body/parameters',
      );
      parameters = { ...row.parameters, ...patch };
      // A larger plan reserves the extra storage now; a smaller one gives it back when done.
      const next = quotaOf(plan);
      const held = row.reserved ?? quotaOf(current);
      if (next.storageMb > held.storageMb) {
        await reserve(
          trx,
          row.tenant_id,
          { storageMb: next.storageMb - held.storageMb },
          ctx.config.defaultQuota,
        );
        reserved = { ...held, storageMb: next.storageMb };
      }
      const op = await enqueue(trx, {
        type: 'instance.update',
        tenantId: row.tenant_id,
        target: { type: 'instance', id },
        input: {
          plan: plan.id,
          parameters,
          previousPlan: row.plan,
          previousParameters: row.parameters,
        },
        requestId: request.id,
      });
      operationId = op.id;
    }
    await trx
      .updateTable('instances')
      .set({
        labels: JSON.stringify(labels),
        ...(changesEngine && {
          state: 'updating',
          last_operation_id: operationId,
          reserved: JSON.stringify(reserved),
          // The plan and parameters become the instance's once the engine applied them.
        }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    const updated = (await instanceViews(trx)
      .where('i.id', '=', id)
      .executeTakeFirstOrThrow()) as InstanceView;
    await within?.(trx, updated);
    await ctx.audit.append(
      trx,
      actingEvent(request, principal, row.tenant_id, { type: 'instance', id }),
    );
    request.audited = true;
    return updated;
  });
}

/**
 * `deleteInstance`: 409 `not_empty` while bindings live (unless `force`, which deletes them
 * with it); a second call while it runs returns the same operation.
 */
export async function deleteInstance(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  id: string,
  force: boolean,
): Promise<InstanceView> {
  request.auditTarget = { type: 'instance', id };
  return ctx.db.transaction().execute(async (trx) => {
    const row = await visibleInstance(trx, principal, id, true);
    request.auditTenantId = row.tenant_id;
    requireWriter(principal, row, 'Deleting an instance');
    if (row.state === 'deprovisioning' || row.state === 'deleted') return row;
    if (row.state === 'provisioning' || row.state === 'updating') {
      throw new ProblemError(
        'invalid_state',
        `实例正在${row.state === 'provisioning' ? '开通' : '变更'} · Instance ${id} is ${row.state}; wait for operation ${row.last_operation_id} to finish (or cancel it).`,
      );
    }
    const live = await trx
      .selectFrom('bindings as b')
      .leftJoin('apps as a', 'a.id', 'b.app_id')
      .select(['b.id', 'a.name as appName'])
      .where('b.instance_id', '=', id)
      // Bindings already being deleted do not hold the instance: its deprovisioning revokes
      // whatever they still have.
      .where('b.state', 'not in', ['deleted', 'failed', 'deleting'])
      .execute();
    if (live.length > 0 && !force) {
      // The apps that would lose the service are what the person deleting it must know.
      const apps = [...new Set(live.flatMap((b) => (b.appName ? [b.appName] : [])))];
      const usedBy = apps.length ? `，应用 ${apps.join('、')} 正在使用` : '';
      const usedByEn = apps.length ? `, used by app ${apps.map((a) => `"${a}"`).join(', ')}` : '';
      throw new ProblemError(
        'not_empty',
        `实例仍有 ${live.length} 个绑定${usedBy}，请先删除绑定，或以 force=true 一并删除 · Instance ${id} still has ${live.length} binding(s) (${live
          .slice(0, 5)
          .map((b) => b.id)
          .join(', ')}${usedByEn}): delete them first, or pass force=true to delete them with it.`,
      );
    }
    const op = await enqueue(trx, {
      type: 'instance.deprovision',
      tenantId: row.tenant_id,
      target: { type: 'instance', id },
      input: { force },
      requestId: request.id,
    });
    if (live.length > 0) {
      await trx
        .updateTable('bindings')
        .set({ state: 'deleting', last_operation_id: op.id, updated_at: new Date() })
        .where(
          'id',
          'in',
          live.map((b) => b.id),
        )
        .execute();
    }
    await trx
      .updateTable('instances')
      .set({ state: 'deprovisioning', last_operation_id: op.id, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await ctx.audit.append(
      trx,
      actingEvent(request, principal, row.tenant_id, { type: 'instance', id }),
    );
    request.audited = true;
    return (await instanceViews(trx)
      .where('i.id', '=', id)
      .executeTakeFirstOrThrow()) as InstanceView;
  });
}

/** What a list reads, in the order `instanceJson` reads it, with each instance's last operation. */
const LIST_SELECT = `SELECT i.id, i.tenant_id, i.name, i.service, i.plan, i.parameters, i.labels,
  i.state, i.pool, i.dashboard_url, i.last_operation_id, o.type, o.state, i.created_at, i.updated_at
FROM instances i LEFT JOIN operations o ON o.id = i.last_operation_id`;
/** The same, joined with the tenants to filter by the caller's subtrees. */
const LIST_SELECT_SCOPED = `${LIST_SELECT} JOIN tenants t ON t.id = i.tenant_id`;

/** An instance's API JSON from a row of `LIST_SELECT`: the same as `toApiInstance` (a test holds the two together). */
function instanceJson(r: RawRow): string {
  const lastOperation =
    r[10] != null && r[11] != null && r[12] != null
      ? `{"id":${rawText(r[10])},"type":${rawText(r[11])},"state":${rawText(r[12])}}`
      : 'null';
  return `{"id":${rawText(r[0])},"tenantId":${rawText(r[1])},"name":${rawText(r[2])},"service":${rawText(r[3])},"plan":${rawText(r[4])},"parameters":${rawJson(r[5])},"labels":${rawJson(r[6])},"state":${rawText(r[7])},"pool":${rawText(r[8])},"dashboardUrl":${rawText(r[9])},"lastOperation":${lastOperation},"createdAt":${rawTimestamp(r[13])},"updatedAt":${rawTimestamp(r[14])}}`;
}

/** `listInstances`: newest first, keyset-paged, only tenants the caller can read. */
export async function listInstances(
  db: Db,
  principal: Principal,
  query: { tenantId?: string; serviceId?: string; state?: string; limit?: number; cursor?: string },
): Promise<JsonText<Page<Instance>>> {
  const { limit = 50, cursor, ...filters } = query;
  const cursors = new ScopedCursor('instances', filters, isCreatedPosition);
  const after = cursors.decode(cursor);
  const subtrees = subtreesOf(principal);
  if (subtrees !== 'all' && subtrees.length === 0) return jsonPage('', null);
  const params = new SqlParams();
  const where: string[] = [];
  if (subtrees !== 'all') where.push(`t.path && ${params.add(subtrees)}::text[]`);
  if (filters.tenantId !== undefined) where.push(`i.tenant_id = ${params.add(filters.tenantId)}`);
  if (filters.serviceId !== undefined) where.push(`i.service = ${params.add(filters.serviceId)}`);
  where.push(
    filters.state !== undefined ? `i.state = ${params.add(filters.state)}` : `i.state <> 'deleted'`,
  );
  return selectCreatedPage(
    db,
    {
      select: subtrees === 'all' ? LIST_SELECT : LIST_SELECT_SCOPED,
      table: 'i',
      where,
      params,
      keyset: { createdAt: 13, id: 0 },
      render: instanceJson,
    },
    { cursors, after, limit },
  );
}
