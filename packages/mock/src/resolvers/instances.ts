/** Service instances: provisioned, updated and deprovisioned through operations. */

import { visibleTenantIds } from '../access';
import { advance, completeNow, startOperation } from '../async-operations';
import { accepted, json, type RequestContext } from '../context';
import { newId } from '../ids';
import { paginate } from '../pagination';
import { invalidField, ProblemError } from '../problems';
import { checkQuota, instanceUsage } from '../quota';
import { type Model, newestFirst, remember } from '../state';
import { nowIso } from '../time';
import {
  type Body,
  findInstance,
  findService,
  invalidState,
  mergePatch,
  RETENTION_MS,
  type Resolvers,
  tenantForCreate,
} from './lookup';

type Instance = Model['Instance'];

/** The catalog's service and plan for a request: 422 `plan_not_found` or `service_unavailable`. */
export function catalogEntry(
  ctx: RequestContext,
  serviceId: string,
  planId: string,
  planPath = '/body/plan',
) {
  const service = findService(ctx, serviceId);
  if (!service) {
    throw new ProblemError('plan_not_found', `No service "${serviceId}" in the catalog.`, [
      { path: '/body/service', message: 'no such service in the catalog', code: 'not_found' },
    ]);
  }
  if (!service.available) {
    const why = service.unavailableReason;
    throw new ProblemError(
      'service_unavailable',
      `服务 ${serviceId} 当前不可开通 · Service "${serviceId}" cannot take instances now: ${why ? why.en : 'no engine pool is configured on this platform'}.`,
    );
  }
  const plan = service.plans.find((p) => p.id === planId);
  if (!plan) {
    throw new ProblemError(
      'plan_not_found',
      `Service "${serviceId}" has no plan "${planId}"; it has ${service.plans.map((p) => p.id).join(', ')}.`,
      [{ path: planPath, message: `no such plan of ${serviceId}`, code: 'not_found' }],
    );
  }
  return { service, plan };
}

function checkParameters(ctx: RequestContext, schema: Model['JsonSchema'], value: unknown) {
  const result = ctx.rt.validators.planParameters(schema, value, '/body/parameters');
  if (result.errors.length > 0) {
    throw new ProblemError(
      'validation_failed',
      `${result.errors.length} problem${result.errors.length === 1 ? '' : 's'} in the parameters.`,
      result.errors,
    );
  }
  return result.value as Record<string, unknown>;
}

/** Bindings that keep an instance from being deleted (not on their way out). */
export const liveBindings = (ctx: RequestContext, instanceId: string) =>
  [...ctx.state.bindings.values()].filter(
    (b) => b.instanceId === instanceId && b.state !== 'deleting' && b.state !== 'deleted',
  );

export const instanceResolvers: Resolvers<
  | 'listInstances'
  | 'createInstance'
  | 'getInstance'
  | 'updateInstance'
  | 'deleteInstance'
  | 'getInstanceUsage'
> = {
  listInstances: (ctx) => {
    const visible = visibleTenantIds(ctx.rt, ctx.caller);
    const { tenantId, serviceId, state } = ctx.query;
    const instances = newestFirst(ctx.state, ctx.state.instances.values()).filter(
      (i) =>
        visible.has(i.tenantId) &&
        (tenantId === undefined || i.tenantId === tenantId) &&
        (serviceId === undefined || i.service === serviceId) &&
        (state === undefined ? i.state !== 'deleted' : i.state === state) &&
        !(i.state === 'deleted' && Date.now() - Date.parse(i.updatedAt) > RETENTION_MS),
    );
    return json(paginate(instances, (i) => i.id, ctx.query, 'listInstances'));
  },

  createInstance: (ctx) => {
    const body = ctx.body as Body<'createInstance'>;
    const tenant = tenantForCreate(ctx, body.tenantId);
    ctx.audit.tenantId = tenant.id;
    const { service, plan } = catalogEntry(ctx, body.service, body.plan);
    const parameters = checkParameters(ctx, plan.schemas.instanceCreate, body.parameters ?? {});
    const taken = [...ctx.state.instances.values()].some(
      (i) => i.tenantId === tenant.id && i.name === body.name && i.state !== 'deleted',
    );
    if (taken) {
      throw new ProblemError(
        'already_exists',
        `An instance named "${body.name}" already exists in tenant ${tenant.id}.`,
      );
    }
    checkQuota(ctx.rt, tenant.id, instanceUsage(ctx.rt, service.id, plan.id));
    const at = nowIso();
    const instance: Instance = {
      id: newId('ins'),
      tenantId: tenant.id,
      name: body.name,
      service: service.id,
      plan: plan.id,
      parameters,
      labels: body.labels ?? {},
      state: 'provisioning',
      pool: null,
      dashboardUrl: null,
      lastOperation: null,
      createdAt: at,
      updatedAt: at,
    };
    ctx.state.instances.set(instance.id, instance);
    remember(ctx.state, instance.id);
    ctx.audit.target = { type: 'instance', id: instance.id };
    const settle = (state: Instance['state']) => {
      instance.state = state;
      instance.updatedAt = nowIso();
    };
    startOperation(ctx.rt, {
      type: 'instance.provision',
      tenantId: tenant.id,
      target: { type: 'instance', id: instance.id },
      holders: [instance],
      requestId: ctx.requestId,
      onSucceeded: () => {
        instance.pool = `${service.id}-mock`;
        settle('ready');
      },
      onFailed: () => settle('failed'),
      // Completed steps are rolled back: nothing is left.
      onCanceled: () => settle('deleted'),
    });
    return accepted(instance, `/v1/instances/${instance.id}`);
  },

  getInstance: (ctx) => {
    findInstance(ctx, ctx.path.instanceId!);
    advance(ctx.rt, ctx.path.instanceId!);
    return json(findInstance(ctx, ctx.path.instanceId!));
  },

  updateInstance: (ctx) => {
    const instance = findInstance(ctx, ctx.path.instanceId!);
    ctx.audit.tenantId = instance.tenantId;
    if (instance.state !== 'ready')
      throw invalidState(`Instance ${instance.id} is ${instance.state}, not ready.`);
    const body = ctx.body as Body<'updateInstance'>;
    let planId = instance.plan;
    if (body.plan !== undefined && body.plan !== instance.plan) {
      const service = findService(ctx, instance.service)!;
      if (!service.planUpdateable) {
        throw invalidField(
          '/body/plan',
          `${service.id} instances can't change plan`,
          'planUpdateable',
        );
      }
      planId = catalogEntry(ctx, instance.service, body.plan).plan.id;
      const before = instanceUsage(ctx.rt, instance.service, instance.plan);
      const after = instanceUsage(ctx.rt, instance.service, planId);
      checkQuota(ctx.rt, instance.tenantId, {
        memoryMb: after.memoryMb - before.memoryMb,
        storageMb: after.storageMb - before.storageMb,
      });
    }
    const { plan } = catalogEntry(ctx, instance.service, planId);
    const parameters =
      body.parameters === undefined
        ? undefined
        : checkParameters(ctx, plan.schemas.instanceUpdate, body.parameters);
    if (body.labels) instance.labels = mergePatch(instance.labels, body.labels);
    const labelsOnly = body.plan === undefined && body.parameters === undefined;
    instance.updatedAt = nowIso();
    if (!labelsOnly) instance.state = 'updating';
    const back = () => {
      instance.state = 'ready';
      instance.updatedAt = nowIso();
    };
    const op = startOperation(ctx.rt, {
      type: 'instance.update',
      tenantId: instance.tenantId,
      target: { type: 'instance', id: instance.id },
      holders: [instance],
      requestId: ctx.requestId,
      onSucceeded: () => {
        instance.plan = planId;
        if (parameters) instance.parameters = { ...instance.parameters, ...parameters };
        back();
      },
      onFailed: back,
      onCanceled: back,
    });
    // A labels-only change finishes at once.
    if (labelsOnly) completeNow(ctx.rt, op.id);
    return accepted(instance);
  },

  deleteInstance: (ctx) => {
    const instance = findInstance(ctx, ctx.path.instanceId!);
    ctx.audit.tenantId = instance.tenantId;
    if (instance.state === 'deprovisioning') return accepted(instance);
    if (
      instance.state === 'provisioning' ||
      instance.state === 'updating' ||
      instance.state === 'deleted'
    ) {
      throw invalidState(`Instance ${instance.id} is ${instance.state}.`);
    }
    const bindings = liveBindings(ctx, instance.id);
    const force = String(ctx.query.force) === 'true';
    if (bindings.length > 0 && !force) {
      throw new ProblemError(
        'not_empty',
        `Instance ${instance.id} still has ${bindings.length} binding${bindings.length === 1 ? '' : 's'}; delete them first, or pass force=true.`,
      );
    }
    // `force`: the bindings go with the instance (deleted when the deprovisioning succeeds).
    for (const b of bindings) b.state = 'deleting';
    const previous = instance.state;
    instance.state = 'deprovisioning';
    instance.updatedAt = nowIso();
    const op = startOperation(ctx.rt, {
      type: 'instance.deprovision',
      tenantId: instance.tenantId,
      target: { type: 'instance', id: instance.id },
      holders: [instance],
      requestId: ctx.requestId,
      // Once running, data is being erased: no way back.
      cancellable: () => op.state === 'pending',
      onSucceeded: () => {
        // Bindings still being deleted go with the instance.
        for (const b of ctx.state.bindings.values()) {
          if (b.instanceId !== instance.id || b.state !== 'deleting') continue;
          if (b.lastOperation) completeNow(ctx.rt, b.lastOperation.id);
          b.state = 'deleted';
        }
        instance.state = 'deleted';
        instance.updatedAt = nowIso();
      },
      onFailed: () => {
        instance.state = 'failed';
        instance.updatedAt = nowIso();
      },
      onCanceled: () => {
        instance.state = previous;
        instance.updatedAt = nowIso();
      },
    });
    return accepted(instance);
  },

  getInstanceUsage: (ctx) => {
    const instance = findInstance(ctx, ctx.path.instanceId!);
    advance(ctx.rt, instance.id);
    if (instance.state !== 'ready' && instance.state !== 'updating') {
      throw invalidState(
        `Instance ${instance.id} is ${instance.state}; usage is reported once it is ready.`,
      );
    }
    const limits =
      findService(ctx, instance.service)?.plans.find((p) => p.id === instance.plan)?.limits ?? {};
    const usage: Model['InstanceUsage'] = {
      instanceId: instance.id,
      asOf: nowIso(),
      storageMb: Math.min(limits.storageMb ?? 0, 64),
    };
    if (limits.connections !== undefined) usage.connections = Math.min(limits.connections, 3);
    if (limits.memoryMb !== undefined) usage.memoryMb = Math.round(limits.memoryMb / 4);
    if (limits.messagesPerSecond !== undefined) usage.messages = 0;
    return json(usage);
  },
};
