import type { Schemas } from '@zhengwu/openapi';
import type { Principal } from '../auth/principal';
import type { Db } from '../db/database';
import type { PlatformContext } from '../http/context';
import { type FieldError, ProblemError } from '../http/problems';
import { type ActingRequest, actingEvent } from '../services/acting';
import { changeableApp, readableApp } from './app-access';
import { syncReplicaHold } from './replica-hold';
import { type PolicyRow, scalingDb } from './tables';

type AutoscalingPolicy = Schemas['AutoscalingPolicy'];

/** The contract's cooldown when a policy leaves it out. */
export const DEFAULT_COOLDOWN = { scaleUpSeconds: 60, scaleDownSeconds: 300 } as const;

export function toApiPolicy(row: PolicyRow): AutoscalingPolicy {
  return {
    appId: row.app_id,
    enabled: row.enabled,
    process: row.process,
    minReplicas: row.min_replicas,
    maxReplicas: row.max_replicas,
    target: { metric: row.target_metric, value: row.target_value },
    cooldown: { scaleUpSeconds: row.scale_up_seconds, scaleDownSeconds: row.scale_down_seconds },
    updatedAt: row.updated_at.toISOString(),
  };
}

const noPolicy = (appId: string) =>
  new ProblemError('not_found', `应用没有自动伸缩策略 · App ${appId} has no autoscaling policy.`);

/** `minReplicas ≤ maxReplicas` (and an initial count within them, for schedules). */
export function boundsErrors(body: {
  minReplicas: number;
  maxReplicas: number;
  initialReplicas?: number | undefined;
}): FieldError[] {
  const errors: FieldError[] = [];
  if (body.minReplicas > body.maxReplicas) {
    errors.push({
      path: '/body/minReplicas',
      message: `must not be above maxReplicas (${body.maxReplicas})`,
      code: 'minNotAboveMax',
    });
  }
  if (
    body.initialReplicas !== undefined &&
    (body.initialReplicas < body.minReplicas || body.initialReplicas > body.maxReplicas)
  ) {
    errors.push({
      path: '/body/initialReplicas',
      message: `must lie within minReplicas–maxReplicas (${body.minReplicas}–${body.maxReplicas})`,
      code: 'withinBounds',
    });
  }
  return errors;
}

/** A process the app's release does not have (once it has processes at all). */
export async function unknownProcessError(
  db: Db,
  appId: string,
  process: string,
): Promise<FieldError | null> {
  const types = await db
    .selectFrom('app_processes')
    .select('type')
    .where('app_id', '=', appId)
    .execute();
  if (types.length === 0 || types.some((t) => t.type === process)) return null;
  return {
    path: '/body/process',
    message: `the app has no process ${process} (it has ${types.map((t) => t.type).join(', ')})`,
    code: 'unknownProcess',
  };
}

export function failIf(errors: FieldError[], what: string): void {
  if (errors.length > 0) {
    throw new ProblemError(
      'validation_failed',
      `${what}有 ${errors.length} 处问题 · ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      errors,
    );
  }
}

export async function getPolicy(
  db: Db,
  principal: Principal,
  appId: string,
): Promise<AutoscalingPolicy> {
  await readableApp(db, principal, appId);
  const row = await scalingDb(db)
    .selectFrom('scaling_policies')
    .selectAll()
    .where('app_id', '=', appId)
    .executeTakeFirst();
  if (!row) throw noPolicy(appId);
  return toApiPolicy(row);
}

/** `setAutoscalingPolicy`: create or replace, with the quota for its `maxReplicas`. */
export async function setPolicy(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  appId: string,
  body: Schemas['AutoscalingPolicyUpdate'],
): Promise<AutoscalingPolicy> {
  request.auditTarget = { type: 'app', id: appId };
  const process = body.process ?? 'web';
  const cooldown = body.cooldown ?? DEFAULT_COOLDOWN;
  return ctx.db.transaction().execute(async (trx) => {
    const app = await changeableApp(trx, principal, appId, 'Setting an autoscaling policy');
    request.auditTenantId = app.tenant_id;
    const errors = boundsErrors(body);
    if (body.target.metric !== 'requestsPerSecond' && body.target.value > 100) {
      errors.push({
        path: '/body/target/value',
        message: 'a utilisation target is a percentage: at most 100',
        code: 'maximum',
      });
    }
    const unknown = await unknownProcessError(trx, appId, process);
    if (unknown) errors.push(unknown);
    failIf(errors, '自动伸缩策略');
    await syncReplicaHold(trx, ctx.config.defaultQuota, app, {
      policy: { process, maxReplicas: body.maxReplicas },
    });
    const now = new Date();
    const values = {
      enabled: body.enabled ?? true,
      process,
      min_replicas: body.minReplicas,
      max_replicas: body.maxReplicas,
      target_metric: body.target.metric,
      target_value: body.target.value,
      scale_up_seconds: cooldown.scaleUpSeconds,
      scale_down_seconds: cooldown.scaleDownSeconds,
      updated_at: now,
    };
    const row = await scalingDb(trx)
      .insertInto('scaling_policies')
      .values({ app_id: appId, tenant_id: app.tenant_id, created_at: now, ...values })
      .onConflict((oc) => oc.column('app_id').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.audit.append(
      trx,
      actingEvent(request, principal, app.tenant_id, { type: 'app', id: appId }),
    );
    request.audited = true;
    return toApiPolicy(row);
  });
}

/** `deleteAutoscalingPolicy`: the replicas stay; the quota held for its maximum is given back. */
export async function deletePolicy(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  appId: string,
): Promise<void> {
  request.auditTarget = { type: 'app', id: appId };
  await ctx.db.transaction().execute(async (trx) => {
    const app = await changeableApp(trx, principal, appId, 'Deleting an autoscaling policy');
    request.auditTenantId = app.tenant_id;
    const existing = await scalingDb(trx)
      .selectFrom('scaling_policies')
      .select('app_id')
      .where('app_id', '=', appId)
      .executeTakeFirst();
    if (!existing) throw noPolicy(appId);
    await syncReplicaHold(trx, ctx.config.defaultQuota, app, { policy: null });
    await scalingDb(trx).deleteFrom('scaling_policies').where('app_id', '=', appId).execute();
    await ctx.audit.append(
      trx,
      actingEvent(request, principal, app.tenant_id, { type: 'app', id: appId }),
    );
    request.audited = true;
  });
}

/**
 * The bounds an enabled policy puts on a process's replicas, or null (for `scaleApp`: manual
 * replicas must lie within them). Matches `PolicyBounds` of `apps/scale.ts`.
 */
export async function policyBounds(
  db: Db,
  appId: string,
  process: string,
): Promise<{ min: number; max: number } | null> {
  const row = await scalingDb(db)
    .selectFrom('scaling_policies')
    .select(['min_replicas', 'max_replicas'])
    .where('app_id', '=', appId)
    .where('process', '=', process)
    .where('enabled', '=', true)
    .executeTakeFirst();
  return row ? { min: row.min_replicas, max: row.max_replicas } : null;
}

/**
 * Checks manual replicas against the app's enabled policy: 422 `validation_failed` with one
 * field error per process outside `minReplicas`–`maxReplicas`.
 */
export async function checkManualReplicas(
  db: Db,
  appId: string,
  processes: readonly { type: string; replicas: number }[],
): Promise<void> {
  const errors: FieldError[] = [];
  for (const [i, p] of processes.entries()) {
    const bounds = await policyBounds(db, appId, p.type);
    if (bounds && (p.replicas < bounds.min || p.replicas > bounds.max)) {
      errors.push({
        path: `/body/processes/${i}/replicas`,
        message: `must lie within the autoscaling policy's ${bounds.min}–${bounds.max}`,
        code: 'autoscalingBounds',
      });
    }
  }
  failIf(errors, '伸缩请求');
}
