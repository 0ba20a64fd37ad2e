/** Tenants (departments), their quotas and usage. */

import { canSee, subtree, visibleTenantIds } from '../access';
import { created, json, noContent } from '../context';
import { newId } from '../ids';
import { paginate } from '../pagination';
import { invalidField, ProblemError } from '../problems';
import { DIMENSIONS, effectiveLimits, usageOf } from '../quota';
import { type Model, newestFirst, remember } from '../state';
import { nowIso } from '../time';
import { type Body, findTenant, mergePatch, type Resolvers } from './lookup';

const LEVELS: Model['TenantLevel'][] = ['province', 'city', 'district', 'township'];

/** 422 `quota_exceeded` when a limit is above the parent's effective one. */
function checkLimitsFit(
  ctx: Parameters<Resolvers<'setTenantQuota'>['setTenantQuota']>[0],
  parentId: string | null,
  limits: Model['QuotaLimits'],
) {
  if (!parentId) return;
  const parent = effectiveLimits(ctx.rt, parentId);
  for (const d of DIMENSIONS) {
    const value = limits[d];
    if (value !== null && value > parent[d]) {
      throw new ProblemError(
        'quota_exceeded',
        `${d} ${value} is above the parent's effective limit ${parent[d]}.`,
        [
          {
            path: `/body/${d}`,
            message: `must be at most ${parent[d]} (the parent's effective limit)`,
            code: 'quota',
          },
        ],
      );
    }
  }
}

export const tenantResolvers: Resolvers<
  | 'listTenants'
  | 'createTenant'
  | 'getTenant'
  | 'updateTenant'
  | 'deleteTenant'
  | 'getTenantQuota'
  | 'setTenantQuota'
  | 'getTenantUsage'
> = {
  listTenants: (ctx) => {
    const visible = visibleTenantIds(ctx.rt, ctx.caller);
    const { parentId, level } = ctx.query;
    const tenants = newestFirst(ctx.state, ctx.state.tenants.values()).filter(
      (t) =>
        visible.has(t.id) &&
        (parentId === undefined || t.parentId === parentId) &&
        (level === undefined || t.level === level),
    );
    return json(paginate(tenants, (t) => t.id, ctx.query, 'listTenants'));
  },

  createTenant: (ctx) => {
    const body = ctx.body as Body<'createTenant'>;
    let parent: Model['Tenant'] | undefined;
    if (body.parentId === null) {
      if (!ctx.caller.superuser) {
        throw new ProblemError(
          'forbidden',
          'Only a platform-admin creates province roots (parentId: null).',
        );
      }
      if (body.level !== 'province')
        throw invalidField('/body/level', 'a root tenant is a province', 'level');
    } else {
      parent = ctx.state.tenants.get(body.parentId);
      if (!parent || !canSee(ctx.rt, ctx.caller, parent.id)) {
        throw invalidField(
          '/body/parentId',
          `no tenant ${body.parentId} that you can see`,
          'not_found',
        );
      }
      if (LEVELS.indexOf(body.level) <= LEVELS.indexOf(parent.level)) {
        throw invalidField(
          '/body/level',
          `must be below the parent's level (${parent.level})`,
          'level',
        );
      }
    }
    const parentId = parent?.id ?? null;
    if (
      [...ctx.state.tenants.values()].some((t) => t.parentId === parentId && t.name === body.name)
    ) {
      throw new ProblemError(
        'already_exists',
        `A tenant named "${body.name}" already exists under ${parentId ?? 'the platform root'}.`,
      );
    }
    const limits = body.quota ?? {
      instances: null,
      apps: null,
      memoryMb: null,
      storageMb: null,
      replicas: null,
    };
    checkLimitsFit(ctx, parentId, limits);
    const at = nowIso();
    const tenant: Model['Tenant'] = {
      id: newId('ten'),
      name: body.name,
      displayName: body.displayName,
      parentId,
      path: parent ? [...parent.path, parent.id] : [],
      level: body.level,
      regionCode: body.regionCode ?? null,
      labels: body.labels ?? {},
      createdAt: at,
      updatedAt: at,
    };
    ctx.state.tenants.set(tenant.id, tenant);
    ctx.state.quotas.set(tenant.id, limits);
    remember(ctx.state, tenant.id);
    ctx.audit.tenantId = tenant.id;
    return created(tenant, `/v1/tenants/${tenant.id}`);
  },

  getTenant: (ctx) => json(findTenant(ctx, ctx.path.tenantId!)),

  updateTenant: (ctx) => {
    const tenant = findTenant(ctx, ctx.path.tenantId!);
    ctx.audit.tenantId = tenant.id;
    const body = ctx.body as Body<'updateTenant'>;
    if (body.displayName) tenant.displayName = body.displayName;
    if (body.labels) tenant.labels = mergePatch(tenant.labels, body.labels);
    tenant.updatedAt = nowIso();
    return json(tenant);
  },

  deleteTenant: (ctx) => {
    const tenant = findTenant(ctx, ctx.path.tenantId!);
    ctx.audit.tenantId = tenant.id;
    if (!ctx.caller.superuser && ctx.caller.roles.some((r) => r.tenantId === tenant.id)) {
      throw new ProblemError(
        'forbidden',
        "You can't delete the tenant you administer; ask an ancestor's tenant-admin.",
      );
    }
    const children = [...ctx.state.tenants.values()].filter((t) => t.parentId === tenant.id).length;
    const instances = [...ctx.state.instances.values()].filter(
      (i) => i.tenantId === tenant.id && i.state !== 'deleted',
    ).length;
    const apps = [...ctx.state.apps.values()].filter(
      (a) => a.tenantId === tenant.id && a.state !== 'deleted',
    ).length;
    if (children + instances + apps > 0) {
      throw new ProblemError(
        'not_empty',
        `Tenant ${tenant.id} still has ${children} child tenants, ${instances} instances and ${apps} apps.`,
      );
    }
    const at = nowIso();
    for (const [id, m] of ctx.state.members)
      if (m.tenantId === tenant.id) ctx.state.members.delete(id);
    for (const t of ctx.state.tokens.values()) if (t.tenantId === tenant.id) t.revokedAt ??= at;
    ctx.state.tenants.delete(tenant.id);
    ctx.state.quotas.delete(tenant.id);
    return noContent();
  },

  getTenantQuota: (ctx) => {
    const tenant = findTenant(ctx, ctx.path.tenantId!);
    return json({
      tenantId: tenant.id,
      limits: ctx.state.quotas.get(tenant.id),
      effective: effectiveLimits(ctx.rt, tenant.id),
    });
  },

  setTenantQuota: (ctx) => {
    const tenant = findTenant(ctx, ctx.path.tenantId!);
    ctx.audit.tenantId = tenant.id;
    if (!ctx.caller.superuser && ctx.caller.roles.some((r) => r.tenantId === tenant.id)) {
      throw new ProblemError(
        'forbidden',
        "You can't set your own tenant's quota; ask an ancestor's tenant-admin.",
      );
    }
    const limits = ctx.body as Model['QuotaLimits'];
    checkLimitsFit(ctx, tenant.parentId, limits);
    ctx.state.quotas.set(tenant.id, { ...limits });
    return json({ tenantId: tenant.id, limits, effective: effectiveLimits(ctx.rt, tenant.id) });
  },

  getTenantUsage: (ctx) => {
    const tenant = findTenant(ctx, ctx.path.tenantId!);
    const includeDescendants = ctx.query.includeDescendants !== false;
    const tenants = includeDescendants ? subtree(ctx.rt, tenant.id) : new Set([tenant.id]);
    const byService = new Map<string, Model['ServiceUsage']>();
    for (const i of ctx.state.instances.values()) {
      if (!tenants.has(i.tenantId) || i.state === 'deleted') continue;
      const entry = byService.get(i.service) ?? {
        serviceId: i.service,
        instances: 0,
        storageMb: 0,
      };
      const plan = ctx.state.services
        .find((s) => s.id === i.service)
        ?.plans.find((p) => p.id === i.plan);
      entry.instances += 1;
      entry.storageMb += plan?.limits.storageMb ?? 0;
      byService.set(i.service, entry);
    }
    return json({
      tenantId: tenant.id,
      asOf: nowIso(),
      includesDescendants: includeDescendants,
      used: usageOf(ctx.rt, tenant.id, includeDescendants),
      limits: effectiveLimits(ctx.rt, tenant.id),
      byService: [...byService.values()].sort((a, b) => (a.serviceId < b.serviceId ? -1 : 1)),
    });
  },
};
