/** Bindings: credentials for an instance, created, rotated and deleted through operations. */

import { canSee, visibleTenantIds } from '../access';
import { advance, startOperation } from '../async-operations';
import { accepted, json, type RequestContext } from '../context';
import { generateCredentials } from '../credentials';
import { newId } from '../ids';
import { paginate } from '../pagination';
import { invalidField, ProblemError } from '../problems';
import { auditRead } from '../request-info';
import { type Model, newestFirst, remember } from '../state';
import { nowIso } from '../time';
import { catalogEntry } from './instances';
import { type Body, findBinding, invalidState, type Resolvers } from './lookup';

type Binding = Model['Binding'];

function issue(ctx: RequestContext, binding: Binding, version: number): void {
  const instance = ctx.state.instances.get(binding.instanceId)!;
  ctx.state.credentials.set(binding.id, {
    bindingId: binding.id,
    version,
    credentials: generateCredentials(instance.service, instance.name, binding.name),
    issuedAt: nowIso(),
  });
}

export const bindingResolvers: Resolvers<
  | 'listBindings'
  | 'createBinding'
  | 'getBinding'
  | 'deleteBinding'
  | 'getBindingCredentials'
  | 'rotateBinding'
> = {
  listBindings: (ctx) => {
    const visible = visibleTenantIds(ctx.rt, ctx.caller);
    const { instanceId, appId, tenantId } = ctx.query;
    const bindings = newestFirst(ctx.state, ctx.state.bindings.values()).filter(
      (b) =>
        visible.has(b.tenantId) &&
        b.state !== 'deleted' &&
        (instanceId === undefined || b.instanceId === instanceId) &&
        (appId === undefined || b.appId === appId) &&
        (tenantId === undefined || b.tenantId === tenantId),
    );
    return json(paginate(bindings, (b) => b.id, ctx.query, 'listBindings'));
  },

  createBinding: (ctx) => {
    const body = ctx.body as Body<'createBinding'>;
    const instance = ctx.state.instances.get(body.instanceId);
    if (
      !instance ||
      instance.state === 'deleted' ||
      !canSee(ctx.rt, ctx.caller, instance.tenantId)
    ) {
      throw invalidField(
        '/body/instanceId',
        `no instance ${body.instanceId} that you can see`,
        'not_found',
      );
    }
    ctx.audit.tenantId = instance.tenantId;
    if (instance.state !== 'ready')
      throw invalidState(`Instance ${instance.id} is ${instance.state}, not ready.`);
    const { service, plan } = catalogEntry(ctx, instance.service, instance.plan);
    if (!service.bindable)
      throw invalidField(
        '/body/instanceId',
        `${service.id} instances take no bindings`,
        'bindable',
      );
    if (body.appId !== undefined) {
      const app = ctx.state.apps.get(body.appId);
      if (
        !app ||
        app.state === 'deleted' ||
        app.state === 'deleting' ||
        app.tenantId !== instance.tenantId
      ) {
        throw invalidField('/body/appId', "must be an app in the instance's tenant", 'sameTenant');
      }
    }
    const params = ctx.rt.validators.planParameters(
      plan.schemas.bindingCreate,
      body.parameters ?? {},
      '/body/parameters',
    );
    if (params.errors.length > 0) {
      throw new ProblemError(
        'validation_failed',
        'The binding parameters fail the plan’s schema.',
        params.errors,
      );
    }
    const taken = [...ctx.state.bindings.values()].some(
      (b) => b.instanceId === instance.id && b.name === body.name && b.state !== 'deleted',
    );
    if (taken)
      throw new ProblemError(
        'already_exists',
        `Instance ${instance.id} already has a binding named "${body.name}".`,
      );
    const at = nowIso();
    const binding: Binding = {
      id: newId('bnd'),
      tenantId: instance.tenantId,
      instanceId: instance.id,
      appId: body.appId ?? null,
      name: body.name,
      state: 'creating',
      credentialsVersion: 1,
      rotatedAt: null,
      lastOperation: null,
      createdAt: at,
      updatedAt: at,
    };
    ctx.state.bindings.set(binding.id, binding);
    remember(ctx.state, binding.id);
    ctx.audit.target = { type: 'binding', id: binding.id };
    const settle = (state: Binding['state']) => {
      binding.state = state;
      binding.updatedAt = nowIso();
    };
    startOperation(ctx.rt, {
      type: 'binding.create',
      tenantId: binding.tenantId,
      target: { type: 'binding', id: binding.id },
      holders: [binding],
      requestId: ctx.requestId,
      onSucceeded: () => {
        issue(ctx, binding, 1);
        settle('ready');
      },
      onFailed: () => settle('failed'),
      onCanceled: () => settle('deleted'),
    });
    return accepted(binding, `/v1/bindings/${binding.id}`);
  },

  getBinding: (ctx) => {
    findBinding(ctx, ctx.path.bindingId!);
    advance(ctx.rt, ctx.path.bindingId!);
    return json(findBinding(ctx, ctx.path.bindingId!));
  },

  deleteBinding: (ctx) => {
    const binding = findBinding(ctx, ctx.path.bindingId!);
    ctx.audit.tenantId = binding.tenantId;
    if (binding.state === 'deleting') return accepted(binding);
    if (binding.state !== 'ready' && binding.state !== 'failed') {
      throw invalidState(
        `Binding ${binding.id} is ${binding.state}; wait for its operation to finish.`,
      );
    }
    const previous = binding.state;
    binding.state = 'deleting';
    binding.updatedAt = nowIso();
    startOperation(ctx.rt, {
      type: 'binding.delete',
      tenantId: binding.tenantId,
      target: { type: 'binding', id: binding.id },
      holders: [binding],
      requestId: ctx.requestId,
      onSucceeded: () => {
        ctx.state.credentials.delete(binding.id);
        binding.state = 'deleted';
        binding.updatedAt = nowIso();
      },
      onFailed: () => {
        binding.state = 'failed';
        binding.updatedAt = nowIso();
      },
      onCanceled: () => {
        binding.state = previous;
        binding.updatedAt = nowIso();
      },
    });
    return accepted(binding);
  },

  getBindingCredentials: (ctx) => {
    findBinding(ctx, ctx.path.bindingId!);
    advance(ctx.rt, ctx.path.bindingId!);
    const binding = findBinding(ctx, ctx.path.bindingId!);
    if (binding.state !== 'ready') {
      throw invalidState(
        `Binding ${binding.id} is ${binding.state}; credentials are readable once it is ready.`,
      );
    }
    auditRead(
      ctx,
      'binding.credentials.read',
      { type: 'binding', id: binding.id },
      binding.tenantId,
    );
    return json(ctx.state.credentials.get(binding.id), 200, { 'cache-control': 'no-store' });
  },

  rotateBinding: (ctx) => {
    const binding = findBinding(ctx, ctx.path.bindingId!);
    ctx.audit.tenantId = binding.tenantId;
    if (binding.state !== 'ready')
      throw invalidState(`Binding ${binding.id} is ${binding.state}, not ready.`);
    binding.state = 'rotating';
    binding.updatedAt = nowIso();
    startOperation(ctx.rt, {
      type: 'binding.rotate',
      tenantId: binding.tenantId,
      target: { type: 'binding', id: binding.id },
      holders: [binding],
      requestId: ctx.requestId,
      onSucceeded: () => {
        binding.credentialsVersion += 1;
        issue(ctx, binding, binding.credentialsVersion);
        binding.rotatedAt = nowIso();
        binding.state = 'ready';
        binding.updatedAt = binding.rotatedAt;
      },
      onFailed: () => {
        binding.state = 'failed';
        binding.updatedAt = nowIso();
      },
      onCanceled: () => {
        binding.state = 'ready';
        binding.updatedAt = nowIso();
      },
    });
    return accepted(binding);
  },
};
