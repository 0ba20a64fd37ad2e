import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';
import { authChanged } from '../auth/token-cache';
import type { Handlers, PlatformContext } from '../http/context';
import { principalOf } from '../http/context';
import { ProblemError } from '../http/problems';
import { requireRole, toApiTenant, visibleTenant } from '../tenancy/access';
import {
  type Audit,
  administersFromAbove,
  createTenant,
  deleteTenant,
  getQuota,
  getUsage,
  listTenants,
  setQuota,
  updateTenant,
} from '../tenancy/tenants';

/** Writes a tenant mutation's audit event in its transaction, and marks the request audited. */
function auditor(ctx: PlatformContext, request: FastifyRequest, principal: Principal): Audit {
  return async (trx, action, tenantId) => {
    await ctx.audit.append(trx, {
      principal: { type: principal.type, id: principal.id, name: principal.name },
      tenantId,
      action,
      target: { type: 'tenant', id: tenantId },
      outcome: 'success',
      reason: null,
      sourceIp: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      requestId: request.id,
    });
    request.audited = true;
  };
}

/**
 * Names the tenant for the app's own audit event of a refused or failed call — also when
 * the caller got 404 for it: the tenant's auditors see attempts from outside.
 */
function auditTarget(request: FastifyRequest, tenantId: string): void {
  request.auditTarget = { type: 'tenant', id: tenantId };
  request.auditTenantId = tenantId;
}

/**
 * Tenants, quotas and usage. A tenant outside the caller's subtrees answers 404 (through
 * `visibleTenant`), a visible one the caller's role doesn't allow acting on 403.
 */
export const tenantHandlers: Handlers = {
  listTenants: (request, _reply, ctx) => listTenants(ctx.db, principalOf(request), request.query),

  createTenant: async (request, reply, ctx) => {
    const principal = principalOf(request);
    request.auditTenantId = request.body.parentId;
    const row = await createTenant(
      ctx.db,
      principal,
      request.body,
      ctx.config.defaultQuota,
      auditor(ctx, request, principal),
    );
    reply.code(201).header('location', `/v1/tenants/${row.id}`);
    return toApiTenant(row);
  },

  getTenant: async (request, _reply, ctx) =>
    toApiTenant(await visibleTenant(ctx.db, principalOf(request), request.params.tenantId)),

  updateTenant: async (request, _reply, ctx) => {
    const principal = principalOf(request);
    auditTarget(request, request.params.tenantId);
    const tenant = await visibleTenant(ctx.db, principal, request.params.tenantId);
    requireRole(principal, tenant, ['tenant-admin', 'platform-admin'], 'Updating a tenant');
    const row = await updateTenant(ctx.db, tenant, request.body, auditor(ctx, request, principal));
    return toApiTenant(row);
  },

  deleteTenant: async (request, reply, ctx) => {
    const principal = principalOf(request);
    auditTarget(request, request.params.tenantId);
    const tenant = await visibleTenant(ctx.db, principal, request.params.tenantId);
    if (!administersFromAbove(principal, tenant)) {
      throw new ProblemError(
        'forbidden',
        `删除租户 ${tenant.id} 需要其上级（不是它自己）的 tenant-admin 角色或 platform-admin · Deleting tenant ${tenant.id} needs the tenant-admin role on an ancestor (not on the tenant itself) or platform-admin.`,
      );
    }
    await deleteTenant(ctx.db, tenant, auditor(ctx, request, principal));
    // Its tokens went with it (cascade): stop trusting cached ones.
    await authChanged(ctx);
    return reply.code(204).send();
  },

  getTenantQuota: async (request, _reply, ctx) => {
    const tenant = await visibleTenant(ctx.db, principalOf(request), request.params.tenantId);
    return getQuota(ctx.db, tenant, ctx.config.defaultQuota);
  },

  setTenantQuota: async (request, _reply, ctx) => {
    const principal = principalOf(request);
    auditTarget(request, request.params.tenantId);
    const tenant = await visibleTenant(ctx.db, principal, request.params.tenantId);
    if (!administersFromAbove(principal, tenant)) {
      throw new ProblemError(
        'forbidden',
        `设置租户 ${tenant.id} 的配额需要其上级的 tenant-admin 角色（不能给自己的租户设配额）或 platform-admin · Setting the quota of tenant ${tenant.id} needs the tenant-admin role on an ancestor (you can't set your own tenant's quota) or platform-admin.`,
      );
    }
    return setQuota(
      ctx.db,
      tenant,
      request.body,
      ctx.config.defaultQuota,
      auditor(ctx, request, principal),
    );
  },

  getTenantUsage: async (request, _reply, ctx) => {
    const tenant = await visibleTenant(ctx.db, principalOf(request), request.params.tenantId);
    return getUsage(
      ctx.db,
      tenant,
      request.query.includeDescendants ?? true,
      ctx.config.defaultQuota,
    );
  },
};
