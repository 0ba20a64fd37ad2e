import type { AuditInput } from '../audit/log';
import type { Db } from '../db/database';
import { type Decision, decide, type ScalingReason } from './decide';
import { recordScalingEvent } from './events';
import { observedValue, type ProcessMetrics, retainSamples } from './samples';
import { effectiveWindow, type ScheduleSpec } from './schedule';
import { type PolicyRow, scalingDb } from './tables';

/** A process the runtime runs. */
export interface ScaledProcess {
  appId: string;
  tenantId: string;
  process: string;
  /** Desired replicas. */
  replicas: number;
  /** Replicas passing their readiness check. */
  ready: number;
}

/** Where the autoscaler reads metrics and sets replicas: the app runtime (local or Kubernetes). */
export interface ScalingTarget {
  processes(): Promise<ScaledProcess[]>;
  metrics(appId: string, process: string): ProcessMetrics;
  /** Changes the desired replicas; `detail` is the reason's message as `zh · en`. */
  setReplicas(
    appId: string,
    process: string,
    replicas: number,
    reason: ScalingReason,
    detail: string,
  ): Promise<void>;
}

/** Who writes the audit log (an `AuditLog`). */
export interface AuditAppender {
  append(db: Db, input: AuditInput): Promise<unknown>;
}

export type Evaluation =
  /** Another platform replica holds this process right now. */
  | { outcome: 'busy' }
  /** Decided by some replica less than half an interval ago, and no window changed since. */
  | { outcome: 'fresh' }
  | { outcome: 'decided'; decision: Decision; from: number };

const AUTOSCALER = { type: 'system', id: 'autoscaler', name: 'autoscaler' } as const;

/**
 * Decides for one process, alone among the platform's replicas: its `scaling_state` row is
 * locked `FOR UPDATE SKIP LOCKED` for the whole decision, so a replica that finds it locked
 * moves on. A decision that changes something sets the replicas, then records the scaling
 * event and the audit event in the same transaction as the new state.
 */
export async function evaluateProcess(
  db: Db,
  deps: { target: ScalingTarget; audit: AuditAppender; intervalMs: number },
  proc: ScaledProcess,
  policy: PolicyRow | null,
  schedules: readonly ScheduleSpec[],
  now: Date,
): Promise<Evaluation> {
  const key = { app_id: proc.appId, process: proc.process };
  await scalingDb(db)
    .insertInto('scaling_state')
    .values(key)
    .onConflict((oc) => oc.columns(['app_id', 'process']).doNothing())
    .execute();
  return db.transaction().execute(async (trx) => {
    const sdb = scalingDb(trx);
    const state = await sdb
      .selectFrom('scaling_state')
      .selectAll()
      .where('app_id', '=', proc.appId)
      .where('process', '=', proc.process)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!state) return { outcome: 'busy' } as const;
    const window = effectiveWindow(schedules, proc.process, now);
    const windowKey = window?.key ?? null;
    const recent =
      state.evaluated_at !== null &&
      Math.abs(now.getTime() - state.evaluated_at.getTime()) < deps.intervalMs / 2;
    if (recent && windowKey === state.window_key) return { outcome: 'fresh' } as const;

    // A history with a hole in it (no decisions for a while) proves nothing about the window.
    const last = state.samples[state.samples.length - 1];
    const stale = last !== undefined && now.getTime() - last.at > 3 * deps.intervalMs;
    let samples = stale ? [] : state.samples;
    if (policy) {
      const observed = observedValue(
        policy.target_metric,
        deps.target.metrics(proc.appId, proc.process),
        proc.replicas,
      );
      if (observed !== null) {
        samples = [...samples, { at: now.getTime(), value: observed, replicas: proc.replicas }];
      }
      samples = retainSamples(samples, now, policy.scale_down_seconds);
    } else {
      samples = [];
    }
    const endedId =
      state.window_key !== null && state.window_key !== windowKey
        ? state.window_key.slice(0, state.window_key.indexOf('@'))
        : null;
    const decision = decide({
      now,
      current: proc.replicas,
      policy: policy && {
        min: policy.min_replicas,
        max: policy.max_replicas,
        metric: policy.target_metric,
        target: policy.target_value,
        scaleUpSeconds: policy.scale_up_seconds,
        scaleDownSeconds: policy.scale_down_seconds,
      },
      schedule: window && {
        scheduleId: window.schedule.id,
        name: window.schedule.name,
        min: window.schedule.minReplicas,
        max: window.schedule.maxReplicas,
        initialReplicas: window.schedule.initialReplicas,
        started: windowKey !== state.window_key,
      },
      ended: endedId
        ? { scheduleId: endedId, name: schedules.find((s) => s.id === endedId)?.name ?? endedId }
        : null,
      samples,
      lastScaleUpAt: state.last_scale_up_at,
      lastScaleDownAt: state.last_scale_down_at,
    });

    if (decision.reason) {
      const { message } = decision.reason;
      if (decision.replicas !== proc.replicas) {
        await deps.target.setReplicas(
          proc.appId,
          proc.process,
          decision.replicas,
          decision.reason,
          `${message.zh} · ${message.en}`,
        );
      }
      const event = await recordScalingEvent(trx, {
        appId: proc.appId,
        tenantId: proc.tenantId,
        process: proc.process,
        from: proc.replicas,
        to: decision.replicas,
        reason: decision.reason,
        principalId: null,
        at: now,
      });
      await deps.audit.append(trx, {
        principal: AUTOSCALER,
        tenantId: proc.tenantId,
        action: 'app.scale',
        target: { type: 'app', id: proc.appId },
        outcome: 'success',
        reason: `${decision.reason.kind}: ${proc.process} ${proc.replicas} → ${decision.replicas}`,
        sourceIp: '127.0.0.1',
        userAgent: null,
        requestId: event.id,
      });
    }
    await sdb
      .updateTable('scaling_state')
      .set({
        evaluated_at: now,
        samples: JSON.stringify(samples),
        window_key: windowKey,
        ...(decision.replicas > proc.replicas && { last_scale_up_at: now }),
        ...(decision.replicas < proc.replicas && { last_scale_down_at: now }),
      })
      .where('app_id', '=', proc.appId)
      .where('process', '=', proc.process)
      .execute();
    return { outcome: 'decided', decision, from: proc.replicas } as const;
  });
}
