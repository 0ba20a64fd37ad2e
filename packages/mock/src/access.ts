/**
 * Who is calling and what they may see. A principal reads the subtree of every tenant it
 * holds a role on; a resource outside answers 404. The mock token's principal acts for
 * every role (see the README); tokens made with `createToken` are held to their one role.
 */

import type { OperationId } from '@zhengwu/openapi';
import { ProblemError } from './problems';
import type { Runtime } from './runtime';
import type { Model } from './state';

type Role = Model['Role'];

export interface Caller {
  id: string;
  type: 'user' | 'token';
  name: string;
  tenantId: string | null;
  roles: Model['RoleBinding'][];
  tokenId?: string;
  /** The mock token's principal: every role, every tenant. */
  superuser: boolean;
}

/**
 * Roles an operation needs (on the resource's tenant or an ancestor), from the contract's
 * descriptions. Operations not listed need any role.
 */
const REQUIRED_ROLES: Partial<Record<OperationId, Role[]>> = {
  getMetrics: ['platform-admin', 'auditor'],
  createTenant: ['tenant-admin', 'platform-admin'],
  updateTenant: ['tenant-admin', 'platform-admin'],
  deleteTenant: ['tenant-admin', 'platform-admin'],
  setTenantQuota: ['tenant-admin', 'platform-admin'],
  addMember: ['security-admin'],
  updateMember: ['security-admin'],
  removeMember: ['security-admin'],
  listTokens: ['security-admin', 'auditor'],
  getToken: ['security-admin', 'auditor'],
  createToken: ['security-admin'],
  revokeToken: ['security-admin'],
  createInstance: ['developer', 'tenant-admin'],
  updateInstance: ['developer', 'tenant-admin'],
  deleteInstance: ['developer', 'tenant-admin'],
  createBinding: ['developer', 'tenant-admin'],
  deleteBinding: ['developer', 'tenant-admin'],
  getBindingCredentials: ['developer', 'tenant-admin'],
  rotateBinding: ['developer', 'tenant-admin'],
  cancelOperation: ['developer', 'tenant-admin', 'platform-admin'],
  createApp: ['developer', 'tenant-admin'],
  updateApp: ['developer', 'tenant-admin'],
  deleteApp: ['developer', 'tenant-admin'],
  restartApp: ['developer', 'tenant-admin'],
  uploadSource: ['developer', 'tenant-admin'],
  createRelease: ['developer', 'tenant-admin'],
  rollbackApp: ['developer', 'tenant-admin'],
  scaleApp: ['developer', 'tenant-admin'],
  setAutoscalingPolicy: ['developer', 'tenant-admin'],
  deleteAutoscalingPolicy: ['developer', 'tenant-admin'],
  createSchedule: ['developer', 'tenant-admin'],
  updateSchedule: ['developer', 'tenant-admin'],
  deleteSchedule: ['developer', 'tenant-admin'],
  streamAppLogs: ['developer', 'tenant-admin', 'auditor'],
  listAuditEvents: ['auditor', 'audit-admin'],
  getAuditEvent: ['auditor', 'audit-admin'],
  verifyAuditChain: ['auditor', 'audit-admin'],
};

/** 403 `forbidden` unless the caller holds one of the roles the operation needs. */
export function checkRole(caller: Caller, operationId: OperationId): void {
  const roles = REQUIRED_ROLES[operationId];
  if (!roles || caller.superuser) return;
  if (!caller.roles.some((r) => roles.includes(r.role))) {
    throw new ProblemError(
      'forbidden',
      `${operationId} requires the ${roles.join(' or ')} role; ${caller.id} has ${caller.roles.map((r) => r.role).join(', ') || 'none'}.`,
    );
  }
}

/** The tenant and its ancestors' ids, root first. */
export function lineage(rt: Runtime, tenantId: string): string[] {
  const tenant = rt.state.tenants.get(tenantId);
  return tenant ? [...tenant.path, tenant.id] : [];
}

/** Whether the caller can read resources of `tenantId`. */
export function canSee(rt: Runtime, caller: Caller, tenantId: string | null): boolean {
  if (caller.superuser) return tenantId === null || rt.state.tenants.has(tenantId);
  if (tenantId === null) return false;
  const line = lineage(rt, tenantId);
  // A binding without a tenant is platform-wide.
  return caller.roles.some((r) => r.tenantId === null || line.includes(r.tenantId));
}

/** The ids of every tenant the caller can read. */
export function visibleTenantIds(rt: Runtime, caller: Caller): Set<string> {
  const out = new Set<string>();
  for (const id of rt.state.tenants.keys()) if (canSee(rt, caller, id)) out.add(id);
  return out;
}

/** The tenant and all its descendants' ids. */
export function subtree(rt: Runtime, tenantId: string): Set<string> {
  const out = new Set<string>();
  for (const t of rt.state.tenants.values()) {
    if (t.id === tenantId || t.path.includes(tenantId)) out.add(t.id);
  }
  return out;
}
