import type { FastifyReply, FastifyRequest } from 'fastify';
import type { InstanceRow } from '../db/schema';
import type { PlatformContext } from '../http/context';
import { ProblemError } from '../http/problems';
import type { ActingRequest } from '../services/acting';
import { createInstance, deleteInstance, updateInstance } from '../services/instances';
import {
  acceptsIncomplete,
  maintenanceVersion,
  objectBody,
  optionalObject,
  optionalQuery,
  optionalString,
  requiredQuery,
  requiredString,
} from './body';
import { callOf, checkContextPlatform } from './call';
import { MAINTENANCE_INFO, planOfGuids, serviceOfGuid } from './catalog';
import {
  asyncRequired,
  badRequest,
  concurrencyError,
  conflict,
  gone,
  notFound,
  OsbError,
  text,
} from './errors';
import { fingerprintOf } from './fingerprint';
import { nameFor, planGuid, serviceGuid } from './ids';
import { lastOperationBody } from './operations';
import {
  findInstance,
  inSnapshot,
  isLive,
  lockOsbInstanceId,
  type MappedInstance,
  operationOf,
  saveInstance,
  saveUpdate,
} from './store';
import { resolveTenant } from './tenants';
import { requireMinor } from './version';

type Params = { instance_id: string };

const idOf = (request: FastifyRequest) => (request.params as Params).instance_id;

/** Another request created the instance between our look and our insert: answer as a repeat. */
class LostRace extends Error {}

/** Instance `metadata` (2.16+): labels platforms may show, naming our instance and tenant. */
function metadataOf(row: InstanceRow) {
  return {
    labels: { 'zhengwu.gov.cn/instance-id': row.id, 'zhengwu.gov.cn/tenant-id': row.tenant_id },
  };
}

function maintenanceCheck(minor: number, body: Record<string, unknown>): void {
  const version = maintenanceVersion(body);
  if (minor < 15 || version === undefined || version === MAINTENANCE_INFO.version) return;
  throw new OsbError(
    422,
    'MaintenanceInfoConflict',
    text(
      `规格的维护版本已变为 ${MAINTENANCE_INFO.version}，请刷新服务目录`,
      `The plan's maintenance_info.version is now ${MAINTENANCE_INFO.version} (got ${version}); fetch the catalog again`,
    ),
  );
}

const notProvisioned = (osbId: string) =>
  notFound(`服务实例 ${osbId} 不存在`, `Service instance ${osbId} does not exist`);

/** The answer to a PUT of an id that names a live instance (spec: 200, 202 or 409). */
function repeatProvision(
  request: FastifyRequest,
  reply: FastifyReply,
  acting: ActingRequest,
  existing: MappedInstance,
  fingerprint: string,
) {
  const { instance } = existing;
  acting.auditTenantId = instance.tenant_id;
  acting.auditTarget = { type: 'instance', id: instance.id };
  if (existing.fingerprint !== fingerprint) {
    throw conflict(
      `服务实例 ${existing.osb_id} 已存在，但属性不同`,
      `Service instance ${existing.osb_id} already exists with different attributes`,
    );
  }
  if (instance.state === 'provisioning') {
    if (!acceptsIncomplete(request)) throw asyncRequired('开通', 'Provisioning');
    reply.code(202);
    return { operation: existing.provision_operation_id };
  }
  if (instance.state === 'deprovisioning') {
    throw concurrencyError(
      '实例正在删除',
      `Service instance ${existing.osb_id} is being deprovisioned`,
    );
  }
  reply.code(200);
  return callOf(request).minor >= 16 ? { metadata: metadataOf(instance) } : {};
}

/** `PUT /v2/service_instances/:instance_id` — provision (asynchronous only). */
export async function provision(
  ctx: PlatformContext,
  request: FastifyRequest,
  reply: FastifyReply,
  acting: ActingRequest,
) {
  const call = callOf(request);
  const osbId = idOf(request);
  const body = objectBody(request);
  const serviceId = requiredString(body, 'service_id');
  const planId = requiredString(body, 'plan_id');
  const organizationGuid = requiredString(body, 'organization_guid');
  const spaceGuid = requiredString(body, 'space_guid');
  const context = optionalObject(body, 'context');
  const parameters = optionalObject(body, 'parameters');
  checkContextPlatform(call, context);
  const found = planOfGuids(serviceId, planId);
  if (!found) {
    throw badRequest(
      `目录中没有服务 ${serviceId} 的规格 ${planId}`,
      `No plan ${planId} of service ${serviceId} in the catalog`,
    );
  }
  maintenanceCheck(call.minor, body);
  const tenantId = await resolveTenant(ctx.db, context, organizationGuid);
  acting.auditTenantId = tenantId;
  const fingerprint = fingerprintOf({
    service_id: serviceId,
    plan_id: planId,
    organization_guid: organizationGuid,
    space_guid: spaceGuid,
    tenant_id: tenantId,
    parameters: parameters ?? {},
  });

  const existing = await findInstance(ctx.db, osbId);
  if (existing && isLive(existing.instance.state)) {
    return repeatProvision(request, reply, acting, existing, fingerprint);
  }
  // Provisioning runs as a durable operation: there is no synchronous way.
  if (!acceptsIncomplete(request)) throw asyncRequired('开通', 'Provisioning');

  const platform =
    typeof context?.platform === 'string' ? context.platform : call.identity?.platform;
  try {
    const row = await createInstance(
      ctx,
      acting,
      call.principal,
      {
        tenantId,
        name: nameFor('osb', osbId),
        service: found.service.id,
        plan: found.plan.id,
        parameters: parameters ?? {},
        labels: platform ? { 'osb/platform': platform.slice(0, 255) } : {},
      },
      async (trx, row) => {
        await lockOsbInstanceId(trx, osbId);
        const now = await findInstance(trx, osbId);
        if (now && isLive(now.instance.state)) throw new LostRace();
        await saveInstance(trx, {
          osb_id: osbId,
          instance_id: row.id,
          fingerprint,
          provision_operation_id: row.last_operation_id!,
          organization_guid: organizationGuid,
          space_guid: spaceGuid,
          context: context ?? {},
        });
      },
    );
    reply.code(202);
    return {
      operation: row.last_operation_id,
      ...(call.minor >= 16 && { metadata: metadataOf(row) }),
    };
  } catch (error) {
    const raced =
      error instanceof LostRace ||
      (error instanceof ProblemError && error.code === 'already_exists');
    const now = raced ? await findInstance(ctx.db, osbId) : undefined;
    if (now && isLive(now.instance.state)) {
      return repeatProvision(request, reply, acting, now, fingerprint);
    }
    throw error;
  }
}

/** The mapped instance of a request, live, or 404. */
async function liveInstance(ctx: PlatformContext, osbId: string): Promise<MappedInstance> {
  const existing = await findInstance(ctx.db, osbId);
  if (!existing || !isLive(existing.instance.state)) throw notProvisioned(osbId);
  return existing;
}

/** `GET /v2/service_instances/:instance_id` — fetch (2.14+). */
export async function fetchInstance(ctx: PlatformContext, request: FastifyRequest) {
  const call = callOf(request);
  requireMinor(call.minor, 14, '获取服务实例', 'Fetching a service instance');
  const osbId = idOf(request);
  const existing = await findInstance(ctx.db, osbId);
  const instance = existing?.instance;
  // Not there, still being provisioned, or its provisioning failed: it does not exist.
  if (!existing || !instance || ['provisioning', 'deleted', 'failed'].includes(instance.state)) {
    throw notProvisioned(osbId);
  }
  if (instance.state !== 'ready') {
    throw concurrencyError(
      `实例正在${instance.state === 'updating' ? '变更' : '删除'}，暂不能获取`,
      `Service instance ${osbId} is ${instance.state}; fetch it once the operation is done`,
    );
  }
  return {
    service_id: serviceGuid(instance.service),
    plan_id: planGuid(instance.service, instance.plan),
    ...(instance.dashboard_url && { dashboard_url: instance.dashboard_url }),
    parameters: instance.parameters,
    ...(call.minor >= 17 && { maintenance_info: MAINTENANCE_INFO, metadata: metadataOf(instance) }),
  };
}

/** `PATCH /v2/service_instances/:instance_id` — plan and parameter changes (asynchronous). */
export async function update(
  ctx: PlatformContext,
  request: FastifyRequest,
  reply: FastifyReply,
  acting: ActingRequest,
) {
  const call = callOf(request);
  const osbId = idOf(request);
  const body = objectBody(request);
  const serviceId = requiredString(body, 'service_id');
  const planId = optionalString(body, 'plan_id');
  const parameters = optionalObject(body, 'parameters');
  checkContextPlatform(call, optionalObject(body, 'context'));
  const existing = await liveInstance(ctx, osbId);
  const { instance } = existing;
  acting.auditTenantId = instance.tenant_id;
  acting.auditTarget = { type: 'instance', id: instance.id };
  const service = serviceOfGuid(serviceId);
  if (!service || service.id !== instance.service) {
    throw badRequest(
      `service_id ${serviceId} 不是该实例的服务`,
      `service_id ${serviceId} is not the service of instance ${osbId}`,
    );
  }
  const target = planId === undefined ? undefined : planOfGuids(serviceId, planId);
  if (planId !== undefined && !target) {
    throw badRequest(
      `服务 ${service.id} 没有规格 ${planId}`,
      `Service ${service.id} has no plan ${planId}`,
    );
  }
  maintenanceCheck(call.minor, body);
  const fingerprint = fingerprintOf({ plan_id: planId ?? null, parameters: parameters ?? null });
  if (instance.state === 'updating') {
    if (existing.update_fingerprint !== fingerprint || !existing.update_operation_id) {
      throw concurrencyError('实例正在变更', `Service instance ${osbId} is being updated`);
    }
    if (!acceptsIncomplete(request)) throw asyncRequired('变更', 'An update');
    reply.code(202);
    return { operation: existing.update_operation_id };
  }
  if (instance.state !== 'ready') {
    throw concurrencyError(
      `实例当前为 ${instance.state}`,
      `Service instance ${osbId} is ${instance.state}`,
    );
  }
  const newPlan = target && target.plan.id !== instance.plan ? target.plan.id : undefined;
  if (newPlan === undefined && parameters === undefined) {
    // Nothing the engine needs to apply (context or maintenance_info at its version).
    reply.code(200);
    return call.minor >= 16 ? { metadata: metadataOf(instance) } : {};
  }
  if (newPlan !== undefined && !service.planUpdateable) {
    throw new OsbError(
      422,
      'PlanChangeNotSupported',
      text(
        `服务 ${service.id} 不支持变更规格`,
        `Service ${service.id} does not allow plan changes`,
      ),
      { instance_usable: true, update_repeatable: false },
    );
  }
  if (!acceptsIncomplete(request)) throw asyncRequired('变更', 'An update');
  const row = await updateInstance(
    ctx,
    acting,
    call.principal,
    instance.id,
    { ...(newPlan && { plan: newPlan }), ...(parameters && { parameters }) },
    (trx, updated) => saveUpdate(trx, osbId, fingerprint, updated.last_operation_id!),
  );
  reply.code(202);
  return {
    operation: row.last_operation_id,
    ...(call.minor >= 16 && { metadata: metadataOf(row) }),
  };
}

/** `DELETE /v2/service_instances/:instance_id` — deprovision (asynchronous). */
export async function deprovision(
  ctx: PlatformContext,
  request: FastifyRequest,
  reply: FastifyReply,
  acting: ActingRequest,
) {
  const call = callOf(request);
  const osbId = idOf(request);
  requiredQuery(request, 'service_id');
  requiredQuery(request, 'plan_id');
  const existing = await findInstance(ctx.db, osbId);
  if (!existing || existing.instance.state === 'deleted') {
    throw gone(`服务实例 ${osbId} 不存在`, `Service instance ${osbId} does not exist`);
  }
  const { instance } = existing;
  acting.auditTenantId = instance.tenant_id;
  acting.auditTarget = { type: 'instance', id: instance.id };
  if (!acceptsIncomplete(request)) throw asyncRequired('删除', 'Deprovisioning');
  // Bindings first, as the spec has platforms do: 422 `BindingsExist` otherwise (no force).
  const row = await deleteInstance(ctx, acting, call.principal, instance.id, false);
  reply.code(202);
  return { operation: row.last_operation_id };
}

/** `GET /v2/service_instances/:instance_id/last_operation`. */
export async function instanceLastOperation(
  ctx: PlatformContext,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const call = callOf(request);
  const osbId = idOf(request);
  const asked = optionalQuery(request, 'operation');
  const { existing, op } = await inSnapshot(ctx.db, async (db) => {
    const existing = await findInstance(db, osbId);
    const opId = asked ?? existing?.instance.last_operation_id;
    const op = existing && opId ? await operationOf(db, opId, existing.instance.id) : undefined;
    return { existing, op };
  });
  if (!existing) throw notProvisioned(osbId);
  const { instance } = existing;
  if (asked && !op) {
    throw badRequest(
      `操作 ${asked} 不属于服务实例 ${osbId}`,
      `Operation ${asked} is not an operation of service instance ${osbId}`,
    );
  }
  // A finished deprovisioning: the platform forgets the instance.
  if (instance.state === 'deleted' && (!op || op.type === 'instance.deprovision')) {
    throw gone(`服务实例 ${osbId} 已删除`, `Service instance ${osbId} is gone`);
  }
  if (!op) throw notProvisioned(osbId);
  const body = lastOperationBody(op, call.minor);
  if (body.state === 'in progress' && call.minor >= 15) reply.header('retry-after', '2');
  return body;
}
