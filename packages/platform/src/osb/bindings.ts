import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database';
import type { BindingRow } from '../db/schema';
import type { PlatformContext } from '../http/context';
import { ProblemError } from '../http/problems';
import type { ActingRequest } from '../services/acting';
import { createBinding, deleteBinding, readCredentials } from '../services/bindings';
import {
  acceptsIncomplete,
  type Fields,
  objectBody,
  optionalObject,
  optionalQuery,
  optionalString,
  requiredQuery,
  requiredString,
} from './body';
import { callOf, checkContextPlatform } from './call';
import { planOfGuids } from './catalog';
import { badRequest, concurrencyError, conflict, gone, notFound } from './errors';
import { fingerprintOf } from './fingerprint';
import { nameFor, serviceGuid } from './ids';
import { lastOperationBody, operationFailed, waitForOperation } from './operations';
import {
  findBinding,
  findInstance,
  inSnapshot,
  isLive,
  type MappedBinding,
  type MappedInstance,
  operationOf,
  saveBinding,
} from './store';
import { requireMinor } from './version';

type Params = { instance_id: string; binding_id: string };

const idsOf = (request: FastifyRequest) => request.params as Params;

/** Another request made the binding between our look and our insert: answer as a repeat. */
class LostRace extends Error {}

const unknownInstance = (id: string) =>
  notFound(`服务实例 ${id} 不存在`, `Service instance ${id} does not exist`);
const unknownBinding = (id: string) =>
  notFound(`服务绑定 ${id} 不存在`, `Service binding ${id} does not exist`);

/** `endpoints` (2.15+): where the app connects, from the credentials' host and port. */
function endpointsOf(credentials: Record<string, unknown>) {
  const { host, port } = credentials;
  if (typeof host === 'string' && (typeof port === 'number' || typeof port === 'string')) {
    return [{ host, ports: [String(port)], protocol: 'tcp' }];
  }
  for (const key of ['uri', 'endpoint', 'url']) {
    const value = credentials[key];
    if (typeof value !== 'string') continue;
    try {
      const url = new URL(value);
      if (url.hostname && url.port)
        return [{ host: url.hostname, ports: [url.port], protocol: 'tcp' }];
    } catch {
      // not a URL: try the next field
    }
  }
  return undefined;
}

/** A binding's OSB body: its credentials (an audited read), endpoints, and parameters on fetch. */
async function bindingBody(
  ctx: PlatformContext,
  request: FastifyRequest,
  acting: ActingRequest,
  binding: BindingRow,
  withParameters: boolean,
) {
  const call = callOf(request);
  const { credentials } = await readCredentials(ctx, acting, call.principal, binding.id);
  const endpoints = call.minor >= 15 ? endpointsOf(credentials) : undefined;
  return {
    credentials,
    ...(endpoints && { endpoints }),
    ...(withParameters && { parameters: binding.parameters }),
  };
}

/** A synchronous bind: waits for the operation, then answers with the credentials. */
async function finishSync(
  ctx: PlatformContext,
  request: FastifyRequest,
  acting: ActingRequest,
  operationId: string,
  bindingId: string,
) {
  const op = await waitForOperation(ctx.db, operationId);
  if (op.state !== 'succeeded') throw operationFailed(op);
  const binding = await ctx.db
    .selectFrom('bindings')
    .selectAll()
    .where('id', '=', bindingId)
    .executeTakeFirstOrThrow();
  return bindingBody(ctx, request, acting, binding, false);
}

/** The answer to a PUT of a binding id that names a live binding (spec: 200, 202 or 409). */
async function repeatBind(
  ctx: PlatformContext,
  request: FastifyRequest,
  reply: FastifyReply,
  acting: ActingRequest,
  existing: MappedBinding,
  fingerprint: string,
  async: boolean,
) {
  const { binding } = existing;
  acting.auditTarget = { type: 'binding', id: binding.id };
  if (existing.fingerprint !== fingerprint) {
    throw conflict(
      `服务绑定 ${existing.osb_id} 已存在，但参数不同`,
      `Service binding ${existing.osb_id} already exists with different parameters`,
    );
  }
  if (binding.state === 'deleting') {
    throw concurrencyError('绑定正在删除', `Service binding ${existing.osb_id} is being deleted`);
  }
  if (binding.state === 'creating' && async) {
    reply.code(202);
    return { operation: existing.create_operation_id };
  }
  const body =
    binding.state === 'creating'
      ? await finishSync(ctx, request, acting, existing.create_operation_id, binding.id)
      : await bindingBody(ctx, request, acting, binding, false);
  reply.code(200);
  return body;
}

/** The predecessor of a rotation (2.17): a live, usable binding of the same instance. */
async function predecessorOf(ctx: PlatformContext, instance: MappedInstance, id: string) {
  const found = await findBinding(ctx.db, instance.osb_id, id);
  if (!found || !['ready', 'rotating'].includes(found.binding.state)) {
    throw badRequest(
      `predecessor_binding_id ${id} 不是该实例的有效绑定`,
      `predecessor_binding_id ${id} is not a usable binding of service instance ${instance.osb_id}`,
    );
  }
  return found;
}

/**
 * `PUT …/service_bindings/:binding_id` — bind. Asynchronous (202) with `accepts_incomplete`
 * on 2.14+, else synchronous (201 with the credentials once the operation is done): 2.13 has
 * no asynchronous bindings, and an engine login is created in well under a second.
 * A 2.17 rotation (`predecessor_binding_id`) is a new binding with the predecessor's
 * parameters; both stay valid until each is unbound.
 */
export async function bind(
  ctx: PlatformContext,
  request: FastifyRequest,
  reply: FastifyReply,
  acting: ActingRequest,
) {
  const call = callOf(request);
  const { instance_id: instanceId, binding_id: bindingId } = idsOf(request);
  const body = objectBody(request);
  const predecessorId =
    call.minor >= 17 ? optionalString(body, 'predecessor_binding_id') : undefined;
  const serviceId = predecessorId
    ? optionalString(body, 'service_id')
    : requiredString(body, 'service_id');
  const planId = predecessorId ? optionalString(body, 'plan_id') : requiredString(body, 'plan_id');
  checkContextPlatform(call, optionalObject(body, 'context'));
  const bindResource: Fields = optionalObject(body, 'bind_resource') ?? {};
  const appGuid = optionalString(bindResource, 'app_guid') ?? optionalString(body, 'app_guid');
  let parameters = optionalObject(body, 'parameters');

  const instance = await findInstance(ctx.db, instanceId);
  if (!instance || !isLive(instance.instance.state)) throw unknownInstance(instanceId);
  acting.auditTenantId = instance.instance.tenant_id;
  acting.auditTarget = { type: 'instance', id: instance.instance.id };
  const ownService = serviceGuid(instance.instance.service);
  if (serviceId !== undefined && serviceId !== ownService) {
    throw badRequest(
      `service_id ${serviceId} 不是该实例的服务`,
      `service_id ${serviceId} is not the service of instance ${instanceId}`,
    );
  }
  if (planId !== undefined && !planOfGuids(ownService, planId)) {
    throw badRequest(`规格 ${planId} 不存在`, `No plan ${planId} of this instance's service`);
  }
  if (predecessorId)
    parameters = (await predecessorOf(ctx, instance, predecessorId)).binding.parameters;
  const fingerprint = fingerprintOf({
    service_id: serviceId ?? ownService,
    plan_id: planId ?? null,
    app_guid: appGuid ?? null,
    parameters: parameters ?? {},
    predecessor_binding_id: predecessorId ?? null,
  });
  const async = acceptsIncomplete(request) && call.minor >= 14;

  const existing = await findBinding(ctx.db, instanceId, bindingId);
  if (existing && isLive(existing.binding.state)) {
    return repeatBind(ctx, request, reply, acting, existing, fingerprint, async);
  }
  let row: BindingRow;
  try {
    row = await createBinding(
      ctx,
      acting,
      call.principal,
      {
        instanceId: instance.instance.id,
        name: nameFor('osbb', bindingId),
        parameters: parameters ?? {},
      },
      // createBinding holds the instance row: binds of one instance run one after another.
      async (trx, created) => {
        const now = await findBinding(trx, instanceId, bindingId);
        if (now && isLive(now.binding.state)) throw new LostRace();
        await saveBinding(trx, {
          osb_instance_id: instanceId,
          osb_id: bindingId,
          binding_id: created.id,
          fingerprint,
          create_operation_id: created.last_operation_id!,
          app_guid: appGuid ?? null,
        });
      },
    );
  } catch (error) {
    const raced =
      error instanceof LostRace ||
      (error instanceof ProblemError && error.code === 'already_exists');
    const now = raced ? await findBinding(ctx.db, instanceId, bindingId) : undefined;
    if (now && isLive(now.binding.state)) {
      return repeatBind(ctx, request, reply, acting, now, fingerprint, async);
    }
    throw error;
  }
  if (async) {
    reply.code(202);
    return { operation: row.last_operation_id };
  }
  const done = await finishSync(ctx, request, acting, row.last_operation_id!, row.id);
  reply.code(201);
  return done;
}

/** The live mapping of a binding route's ids, or 404. */
async function mappedBinding(db: Db, request: FastifyRequest) {
  const { instance_id: instanceId, binding_id: bindingId } = idsOf(request);
  const instance = await findInstance(db, instanceId);
  if (!instance) throw unknownInstance(instanceId);
  const binding = await findBinding(db, instanceId, bindingId);
  if (!binding) throw unknownBinding(bindingId);
  return binding;
}

/** `GET …/service_bindings/:binding_id` — fetch, with credentials (2.14+). */
export async function fetchBinding(
  ctx: PlatformContext,
  request: FastifyRequest,
  _reply: FastifyReply,
  acting: ActingRequest,
) {
  requireMinor(callOf(request).minor, 14, '获取服务绑定', 'Fetching a service binding');
  const mapped = await mappedBinding(ctx.db, request);
  // Still being made, being removed or gone: it does not exist (yet).
  if (!['ready', 'rotating'].includes(mapped.binding.state)) throw unknownBinding(mapped.osb_id);
  return bindingBody(ctx, request, acting, mapped.binding, true);
}

/**
 * `DELETE …/service_bindings/:binding_id` — unbind: asynchronous (202) with
 * `accepts_incomplete` on 2.14+, else it waits and answers 200.
 */
export async function unbind(
  ctx: PlatformContext,
  request: FastifyRequest,
  reply: FastifyReply,
  acting: ActingRequest,
) {
  const call = callOf(request);
  const { instance_id: instanceId, binding_id: bindingId } = idsOf(request);
  requiredQuery(request, 'service_id');
  requiredQuery(request, 'plan_id');
  const instance = await findInstance(ctx.db, instanceId);
  const existing = instance && (await findBinding(ctx.db, instanceId, bindingId));
  if (!existing || existing.binding.state === 'deleted') {
    throw gone(`服务绑定 ${bindingId} 不存在`, `Service binding ${bindingId} does not exist`);
  }
  acting.auditTenantId = existing.binding.tenant_id;
  acting.auditTarget = { type: 'binding', id: existing.binding.id };
  const row = await deleteBinding(ctx, acting, call.principal, existing.binding.id);
  if (acceptsIncomplete(request) && call.minor >= 14) {
    reply.code(202);
    return { operation: row.last_operation_id };
  }
  const op = await waitForOperation(ctx.db, row.last_operation_id!);
  if (op.state !== 'succeeded') throw operationFailed(op);
  reply.code(200);
  return {};
}

/** `GET …/service_bindings/:binding_id/last_operation` (2.14+). */
export async function bindingLastOperation(
  ctx: PlatformContext,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const call = callOf(request);
  requireMinor(call.minor, 14, '查询绑定操作', 'Polling a binding operation');
  const asked = optionalQuery(request, 'operation');
  const { binding, op } = await inSnapshot(ctx.db, async (db) => {
    const { binding } = await mappedBinding(db, request);
    const opId = asked ?? binding.last_operation_id;
    return { binding, op: opId ? await operationOf(db, opId, binding.id) : undefined };
  });
  if (asked && !op) {
    throw badRequest(
      `操作 ${asked} 不属于该绑定`,
      `Operation ${asked} is not an operation of service binding ${idsOf(request).binding_id}`,
    );
  }
  if (binding.state === 'deleted' && (!op || op.type === 'binding.delete')) {
    throw gone('服务绑定已删除', `Service binding ${idsOf(request).binding_id} is gone`);
  }
  if (!op) throw unknownBinding(idsOf(request).binding_id);
  const body = lastOperationBody(op, call.minor);
  if (body.state === 'in progress' && call.minor >= 15) reply.header('retry-after', '1');
  return body;
}
