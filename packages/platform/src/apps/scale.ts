import type { Schemas } from '@zhengwu/openapi';
import type { Principal } from '../auth/principal';
import type { Db } from '../db/database';
import type { AppRow } from '../db/schema';
import type { PlatformContext } from '../http/context';
import { ProblemError } from '../http/problems';
import { replicaHold } from '../scaling/replica-hold';
import { type ActingRequest, actingEvent } from '../services/acting';
import { requireWriter } from '../services/instances';
import { release as releaseQuota, reserve } from '../tenancy/quota';
import { gone } from './apps';
import type { AppRuntime } from './runtime';
import { visibleApp } from './views';

type Scale = Schemas['Scale'];

/** A replica change the scaling history records (manual, autoscaler, schedule, rollout). */
export interface ScalingChange {
  appId: string;
  tenantId: string;
  process: string;
  from: number;
  to: number;
  reason: string;
  detail: string;
  /** Who asked (manual changes). */
  principalId?: string | null;
}

/** Checks a manual scale against the app's autoscaling policy (scaling/ supplies it). */
export type PolicyBounds = (
  db: Db,
  appId: string,
  process: string,
) => Promise<{ min: number; max: number } | null>;

export async function scaleOf(db: Db, appId: string): Promise<Scale> {
  const rows = await db
    .selectFrom('app_processes')
    .selectAll()
    .where('app_id', '=', appId)
    .orderBy('type')
    .execute();
  return {
    appId,
    processes: rows.map((r) => ({ type: r.type, replicas: r.replicas, memoryMb: r.memory_mb })),
  };
}

/**
 * Moves an app's hold on the tenant's replicas and memory to `next` (inside the caller's
 * transaction, the app row locked): reserves the increase (422 `quota_exceeded` when it does
 * not fit) or gives back the decrease, and records what it holds.
 */
export async function moveHold(
  ctx: PlatformContext,
  db: Db,
  app: Pick<AppRow, 'id' | 'tenant_id' | 'reserved'>,
  next: { replicas: number; memoryMb: number },
): Promise<void> {
  const held = app.reserved ?? { apps: 1, replicas: 0, memoryMb: 0 };
  const more = {
    replicas: Math.max(0, next.replicas - held.replicas),
    memoryMb: Math.max(0, next.memoryMb - held.memoryMb),
  };
  const less = {
    replicas: Math.max(0, held.replicas - next.replicas),
    memoryMb: Math.max(0, held.memoryMb - next.memoryMb),
  };
  if (more.replicas || more.memoryMb)
    await reserve(db, app.tenant_id, more, ctx.config.defaultQuota);
  if (less.replicas || less.memoryMb) await releaseQuota(db, app.tenant_id, less);
  await db
    .updateTable('apps')
    .set({ reserved: JSON.stringify({ apps: held.apps, ...next }), updated_at: new Date() })
    .where('id', '=', app.id)
    .execute();
}

/**
 * Sets replicas (and memory) of processes, within the tenant's quota: the app's hold on
 * replicas and memory moves by the difference in the same transaction.
 */
export async function setScale(
  ctx: PlatformContext,
  db: Db,
  appId: string,
  changes: { type: string; replicas: number; memoryMb?: number }[],
): Promise<{ type: string; from: number; to: number }[]> {
  const app = await db
    .selectFrom('apps')
    .selectAll()
    .where('id', '=', appId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('app_processes')
    .selectAll()
    .where('app_id', '=', appId)
    .execute();
  const unknown = changes.filter((c) => !rows.some((r) => r.type === c.type));
  if (unknown.length > 0) {
    throw new ProblemError(
      'validation_failed',
      `应用没有进程 ${unknown.map((u) => u.type).join(', ')} · App ${appId} has no process ${unknown.map((u) => u.type).join(', ')} (it has ${rows.map((r) => r.type).join(', ') || 'none'}).`,
      unknown.map((u) => ({
        path: `/body/processes/${changes.indexOf(u)}/type`,
        message: 'unknown process',
        code: 'not_found',
      })),
    );
  }
  const next = rows.map((r) => {
    const change = changes.find((c) => c.type === r.type);
    return {
      type: r.type,
      from: r.replicas,
      replicas: change?.replicas ?? r.replicas,
      memoryMb: change?.memoryMb ?? r.memory_mb,
    };
  });
  // Replicas held = the larger of each process's replicas and its policy and schedule maximums.
  const replicas = await replicaHold(db, appId, {
    replicas: Object.fromEntries(next.map((p) => [p.type, p.replicas])),
  });
  const memoryMb = next.reduce((n, p) => n + p.replicas * p.memoryMb, 0);
  await moveHold(ctx, db, app, { replicas, memoryMb });
  for (const p of next) {
    await db
      .updateTable('app_processes')
      .set({ replicas: p.replicas, memory_mb: p.memoryMb, updated_at: new Date() })
      .where('app_id', '=', appId)
      .where('type', '=', p.type)
      .execute();
  }
  // Every process at 0 replicas is a stopped app; any replica back makes it run again.
  if (app.state === 'running' || app.state === 'stopped') {
    const state = next.every((p) => p.replicas === 0) ? 'stopped' : 'running';
    if (state !== app.state) {
      await db
        .updateTable('apps')
        .set({ state, updated_at: new Date() })
        .where('id', '=', appId)
        .execute();
    }
  }
  return next
    .filter((p) => p.from !== p.replicas)
    .map((p) => ({ type: p.type, from: p.from, to: p.replicas }));
}

/** `scaleApp`: manual scale, audited; replicas start or drain at once. */
export async function scaleApp(
  ctx: PlatformContext,
  runtime: AppRuntime,
  request: ActingRequest,
  principal: Principal,
  appId: string,
  body: Schemas['ScaleUpdate'],
  bounds: PolicyBounds,
  record: (db: Db, change: ScalingChange) => Promise<void>,
): Promise<Scale> {
  request.auditTarget = { type: 'app', id: appId };
  const types = body.processes.map((p) => p.type);
  const dup = types.find((t, i) => types.indexOf(t) !== i);
  if (dup) {
    throw new ProblemError(
      'validation_failed',
      `进程 ${dup} 出现了两次 · Process ${dup} is listed twice.`,
      [{ path: '/body/processes', message: 'duplicate process type', code: 'uniqueItems' }],
    );
  }
  const changed = await ctx.db.transaction().execute(async (trx) => {
    const app = await visibleApp(trx, principal, appId, true);
    request.auditTenantId = app.tenant_id;
    requireWriter(principal, app, 'Scaling an app');
    if (app.state === 'deleting' || app.state === 'deleted') throw gone(app);
    for (const [i, p] of body.processes.entries()) {
      const b = await bounds(trx, appId, p.type);
      if (b && (p.replicas < b.min || p.replicas > b.max)) {
        throw new ProblemError(
          'validation_failed',
          `进程 ${p.type} 受自动伸缩策略约束，副本数须在 ${b.min}–${b.max} 之间 · Process ${p.type} is under an autoscaling policy: replicas must be ${b.min}–${b.max}.`,
          [
            {
              path: `/body/processes/${i}/replicas`,
              message: `outside ${b.min}–${b.max}`,
              code: 'autoscaling',
            },
          ],
        );
      }
    }
    const changed = await setScale(ctx, trx, appId, body.processes);
    for (const c of changed) {
      await record(trx, {
        appId,
        tenantId: app.tenant_id,
        process: c.type,
        from: c.from,
        to: c.to,
        reason: 'manual',
        detail: `手动调整 · Set by ${principal.name ?? principal.id}`,
        principalId: principal.id,
      });
    }
    await ctx.audit.append(
      trx,
      actingEvent(request, principal, app.tenant_id, { type: 'app', id: appId }),
    );
    request.audited = true;
    return changed;
  });
  for (const c of changed) await runtime.scale(appId, c.type, c.to);
  return scaleOf(ctx.db, appId);
}
