/**
 * Quotas: a tenant's own limits (`null` inherits), its effective limits, the usage of its
 * subtree, and the check every allocation must pass for the tenant and each ancestor.
 */

import { lineage, subtree } from './access';
import { ProblemError } from './problems';
import type { Runtime } from './runtime';
import { ROOT_DEFAULT_LIMITS } from './seed';
import type { Model } from './state';

type Limits = Model['QuotaLimits'];
type Usage = Model['QuotaUsage'];
type Dimension = keyof Usage;
export const DIMENSIONS: Dimension[] = ['instances', 'apps', 'memoryMb', 'storageMb', 'replicas'];

export const zeroUsage = (): Usage => ({
  instances: 0,
  apps: 0,
  memoryMb: 0,
  storageMb: 0,
  replicas: 0,
});

/** Effective limits: own limits, else the nearest ancestor's, else the platform defaults. */
export function effectiveLimits(rt: Runtime, tenantId: string): Usage {
  const line = lineage(rt, tenantId).reverse();
  const out = zeroUsage();
  for (const d of DIMENSIONS) {
    let value: number | null = null;
    for (const id of line) {
      value = rt.state.quotas.get(id)?.[d] ?? null;
      if (value !== null) break;
    }
    out[d] = value ?? (ROOT_DEFAULT_LIMITS[d] as number);
  }
  return out;
}

/** What an instance of a plan takes from the quota. */
export function instanceUsage(rt: Runtime, service: string, plan: string): Usage {
  const limits = rt.state.services
    .find((s) => s.id === service)
    ?.plans.find((p) => p.id === plan)?.limits;
  return {
    ...zeroUsage(),
    instances: 1,
    memoryMb: limits?.memoryMb ?? 0,
    storageMb: limits?.storageMb ?? 0,
  };
}

/** Replicas an app counts for: current replicas, or an autoscaling or schedule maximum if higher. */
function appReplicas(rt: Runtime, appId: string, process: string, current: number): number {
  let max = current;
  const policy = rt.state.autoscalingPolicies.get(appId);
  if (policy?.process === process) max = Math.max(max, policy.maxReplicas);
  for (const s of rt.state.schedules.values()) {
    if (s.appId === appId && s.process === process) max = Math.max(max, s.maxReplicas);
  }
  return max;
}

/** Usage of one tenant, or of its whole subtree. */
export function usageOf(rt: Runtime, tenantId: string, includeDescendants = true): Usage {
  const tenants = includeDescendants ? subtree(rt, tenantId) : new Set([tenantId]);
  const used = zeroUsage();
  for (const i of rt.state.instances.values()) {
    if (!tenants.has(i.tenantId) || i.state === 'deleted') continue;
    const u = instanceUsage(rt, i.service, i.plan);
    used.instances += 1;
    used.memoryMb += u.memoryMb;
    used.storageMb += u.storageMb;
  }
  for (const a of rt.state.apps.values()) {
    if (!tenants.has(a.tenantId) || a.state === 'deleted') continue;
    used.apps += 1;
    for (const p of a.processes) {
      used.replicas += appReplicas(rt, a.id, p.type, p.replicas);
      used.memoryMb += p.replicas * p.memoryMb;
    }
  }
  return used;
}

/** 422 `quota_exceeded` unless `delta` fits the tenant's and every ancestor's effective limits. */
export function checkQuota(rt: Runtime, tenantId: string, delta: Partial<Usage>): void {
  for (const id of lineage(rt, tenantId).reverse()) {
    const limits = effectiveLimits(rt, id);
    const used = usageOf(rt, id);
    for (const d of DIMENSIONS) {
      const add = delta[d] ?? 0;
      if (add > 0 && used[d] + add > limits[d]) {
        throw new ProblemError(
          'quota_exceeded',
          `Tenant ${id} would use ${used[d] + add} of ${limits[d]} ${d}.`,
        );
      }
    }
  }
}

export type { Limits };

/**
 * Applies `change`, then undoes it and answers 422 `quota_exceeded` if it takes the tenant
 * or an ancestor over an effective limit it was within (or not further over) before.
 */
export function checkQuotaAfter(
  rt: Runtime,
  tenantId: string,
  change: () => void,
  undo: () => void,
): void {
  const line = lineage(rt, tenantId);
  const before = line.map((id) => usageOf(rt, id));
  change();
  for (const [index, id] of line.entries()) {
    const limits = effectiveLimits(rt, id);
    const after = usageOf(rt, id);
    for (const d of DIMENSIONS) {
      if (after[d] > limits[d] && after[d] > before[index]![d]) {
        undo();
        throw new ProblemError(
          'quota_exceeded',
          `Tenant ${id} would use ${after[d]} of ${limits[d]} ${d}.`,
        );
      }
    }
  }
}
