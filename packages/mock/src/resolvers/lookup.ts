/** Finding resources the caller may see (404 otherwise), and small shared helpers. */

import type { OperationId, operations } from '@zhengwu/openapi';
import { canSee } from '../access';
import type { RequestContext, Resolver } from '../context';
import { invalidField, notFound, ProblemError } from '../problems';
import type { Model } from '../state';
import { DAY_MS } from '../time';

/** The JSON body type of an operation. */
export type Body<K extends OperationId> = operations[K] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

/** A table of resolvers for some operations. */
export type Resolvers<K extends OperationId> = { [P in K]: Resolver };

/** Deleted instances and apps stay readable for 7 days. */
export const RETENTION_MS = 7 * DAY_MS;
const expired = (r: { state: string; updatedAt: string }) =>
  r.state === 'deleted' && Date.now() - Date.parse(r.updatedAt) > RETENTION_MS;

export function findTenant(ctx: RequestContext, id: string): Model['Tenant'] {
  const tenant = ctx.state.tenants.get(id);
  if (!tenant || !canSee(ctx.rt, ctx.caller, id)) throw notFound('Tenant', id);
  return tenant;
}

export function findInstance(ctx: RequestContext, id: string): Model['Instance'] {
  const instance = ctx.state.instances.get(id);
  if (!instance || !canSee(ctx.rt, ctx.caller, instance.tenantId) || expired(instance)) {
    throw notFound('Instance', id);
  }
  return instance;
}

/** A binding; deleted bindings are gone (404), as are their credentials. */
export function findBinding(ctx: RequestContext, id: string): Model['Binding'] {
  const binding = ctx.state.bindings.get(id);
  if (!binding || binding.state === 'deleted' || !canSee(ctx.rt, ctx.caller, binding.tenantId)) {
    throw notFound('Binding', id);
  }
  return binding;
}

export function findApp(ctx: RequestContext, id: string): Model['App'] {
  const app = ctx.state.apps.get(id);
  if (!app || !canSee(ctx.rt, ctx.caller, app.tenantId) || expired(app)) throw notFound('App', id);
  return app;
}

/** An app that can still change (not deleting or deleted): 409 `invalid_state` otherwise. */
export function findLiveApp(ctx: RequestContext, id: string): Model['App'] {
  const app = findApp(ctx, id);
  ctx.audit.tenantId = app.tenantId;
  ctx.audit.target = { type: 'app', id };
  if (app.state === 'deleting' || app.state === 'deleted') {
    throw invalidState(`App ${id} is ${app.state}.`);
  }
  return app;
}

/** 409 `invalid_state`. */
export const invalidState = (detail: string) => new ProblemError('invalid_state', detail);

/**
 * The tenant a new resource goes to: the body's `tenantId`, else the caller's default.
 * These operations declare no 404, so a tenant you can't see is a field error (422).
 */
export function tenantForCreate(
  ctx: RequestContext,
  tenantId: string | undefined,
): Model['Tenant'] {
  const id = tenantId ?? ctx.caller.tenantId;
  if (!id)
    throw invalidField('/body/tenantId', 'is required: you have no default tenant', 'required');
  const tenant = ctx.state.tenants.get(id);
  if (!tenant || !canSee(ctx.rt, ctx.caller, id)) {
    throw invalidField('/body/tenantId', `no tenant ${id} that you can see`, 'not_found');
  }
  return tenant;
}

export function findService(ctx: RequestContext, id: string): Model['Service'] | undefined {
  return ctx.state.services.find((s) => s.id === id);
}

/** A merge patch of a string map: `null` removes a key. */
export function mergePatch(
  target: Record<string, string>,
  patch: Record<string, string | null> | undefined,
): Record<string, string> {
  const out = { ...target };
  for (const [k, v] of Object.entries(patch ?? {})) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}
