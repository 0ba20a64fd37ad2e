import type { Schemas } from '@zhengwu/openapi';
import type { MetricSample, ScalingMetric } from './tables';

/**
 * The autoscaler's decision for one process, as a pure function of what it is given.
 *
 * Proportional, like the Kubernetes HPA: each metric sample recommends
 * `ceil(replicas × observed / target)` replicas, or the replicas it was measured at when the
 * ratio is within ±10 % of 1 (the tolerance: no flapping around the target).
 *
 * - Scaling up follows the latest sample, once `scaleUpSeconds` have passed since the last
 *   scale-up.
 * - Scaling down follows the highest recommendation of the last `scaleDownSeconds` (the
 *   stabilisation window, which must have been watched whole), once `scaleDownSeconds` have
 *   passed since the last scale-down.
 * - Everything is clamped to the bounds: a schedule window's while one is in effect, else the
 *   policy's. Replicas outside the bounds are brought inside at once, whatever the cooldown
 *   (reason `schedule` when a schedule set the bounds).
 * - A schedule window starting sets its `initialReplicas` (or just clamps), and a window
 *   ending hands back to the policy's bounds (or leaves the replicas as they are without a
 *   policy): both are decisions with reason `schedule`, recorded even if the count stays.
 */

export type ScalingReason = Schemas['ScalingReason'];

/** Within this relative distance of the target, nothing changes. */
export const TOLERANCE = 0.1;

export interface PolicyInput {
  min: number;
  max: number;
  metric: ScalingMetric;
  target: number;
  scaleUpSeconds: number;
  scaleDownSeconds: number;
}

export interface ScheduleInput {
  scheduleId: string;
  name: string;
  min: number;
  max: number;
  initialReplicas: number | null;
  /** The window began since the last decision. */
  started: boolean;
}

export interface DecideInput {
  now: Date;
  current: number;
  /** The enabled policy acting on this process, or null. */
  policy: PolicyInput | null;
  /** The schedule window in effect, or null. */
  schedule: ScheduleInput | null;
  /** A window that was in effect at the last decision and no longer is. */
  ended: { scheduleId: string; name: string } | null;
  /** Recent samples of the policy's metric, oldest first (see `retainSamples`). */
  samples: readonly MetricSample[];
  lastScaleUpAt: Date | null;
  lastScaleDownAt: Date | null;
}

/** Why nothing was done (for logs and tests). */
export type HoldNote =
  | 'no-policy'
  | 'no-metrics'
  | 'tolerance'
  | 'at-bound'
  | 'cooldown'
  | 'stabilising';

export type Decision =
  | { replicas: number; reason: ScalingReason; note: 'scaled' }
  | { replicas: number; reason: null; note: HoldNote };

const METRIC_WORDS: Record<ScalingMetric, { zh: string; en: string; unit: string }> = {
  cpu: { zh: 'CPU 利用率', en: 'CPU', unit: '%' },
  memory: { zh: '内存利用率', en: 'memory', unit: '%' },
  requestsPerSecond: { zh: '每副本每秒请求数', en: 'requests per second per replica', unit: '' },
};

const round1 = (n: number) => Math.round(n * 10) / 10;
const clamp = (n: number, b: { min: number; max: number }) => Math.min(b.max, Math.max(b.min, n));
const since = (now: Date, then: Date | null) =>
  then === null ? Number.POSITIVE_INFINITY : (now.getTime() - then.getTime()) / 1000;

/** The replicas one sample asks for. */
export function recommendation(sample: MetricSample, target: number): number {
  if (sample.replicas <= 0) return 0;
  const ratio = sample.value / target;
  if (Math.abs(ratio - 1) <= TOLERANCE) return sample.replicas;
  // The epsilon keeps 2 × 105 / 70 = 3.0000000000000004 at 3.
  return Math.max(0, Math.ceil(sample.replicas * ratio - 1e-9));
}

function scheduleReason(id: string, zh: string, en: string): ScalingReason {
  return { kind: 'schedule', scheduleId: id, message: { zh, en } };
}

function metricReason(
  policy: PolicyInput,
  observed: number,
  from: number,
  to: number,
): ScalingReason {
  const w = METRIC_WORDS[policy.metric];
  const o = round1(observed);
  return {
    kind: 'autoscaler',
    metric: policy.metric,
    observed: o,
    target: policy.target,
    message: {
      zh: `${w.zh} ${o}${w.unit}，目标 ${policy.target}${w.unit}：副本 ${from} → ${to}`,
      en: `${w.en} at ${o}${w.unit} against a target of ${policy.target}${w.unit}: replicas ${from} → ${to}`,
    },
  };
}

export function decide(input: DecideInput): Decision {
  const { current, policy, schedule, ended } = input;
  const bounds = schedule ?? policy;

  // A window starting is a decision of its own: its initial replicas, within its bounds.
  if (schedule?.started) {
    const replicas = clamp(schedule.initialReplicas ?? current, schedule);
    const after = ended && ended.scheduleId !== schedule.scheduleId ? `（接替 ${ended.name}）` : '';
    return {
      replicas,
      note: 'scaled',
      reason: scheduleReason(
        schedule.scheduleId,
        `伸缩计划 ${schedule.name} 开始${after}：副本限定在 ${schedule.min}–${schedule.max}，${current} → ${replicas}`,
        `Schedule ${schedule.name} started${after ? ` (after ${ended!.name})` : ''}: replicas kept within ${schedule.min}–${schedule.max}, ${current} → ${replicas}`,
      ),
    };
  }
  // A window ending hands back to the policy (or to nothing: the replicas stay).
  if (ended && !schedule) {
    const replicas = policy ? clamp(current, policy) : current;
    const back = policy ? `自动伸缩策略的 ${policy.min}–${policy.max}` : '当前副本数';
    const backEn = policy ? `the policy's ${policy.min}–${policy.max}` : 'the current replicas';
    return {
      replicas,
      note: 'scaled',
      reason: scheduleReason(
        ended.scheduleId,
        `伸缩计划 ${ended.name} 结束，回到${back}：${current} → ${replicas}`,
        `Schedule ${ended.name} ended, back to ${backEn}: ${current} → ${replicas}`,
      ),
    };
  }
  if (bounds && (current < bounds.min || current > bounds.max)) {
    const replicas = clamp(current, bounds);
    if (schedule) {
      return {
        replicas,
        note: 'scaled',
        reason: scheduleReason(
          schedule.scheduleId,
          `伸缩计划 ${schedule.name} 要求副本在 ${schedule.min}–${schedule.max}：${current} → ${replicas}`,
          `Schedule ${schedule.name} keeps replicas within ${schedule.min}–${schedule.max}: ${current} → ${replicas}`,
        ),
      };
    }
    return {
      replicas,
      note: 'scaled',
      reason: {
        kind: 'autoscaler',
        message: {
          zh: `自动伸缩策略要求副本在 ${bounds.min}–${bounds.max}：${current} → ${replicas}`,
          en: `The autoscaling policy keeps replicas within ${bounds.min}–${bounds.max}: ${current} → ${replicas}`,
        },
      },
    };
  }
  if (!policy || !bounds) return { replicas: current, reason: null, note: 'no-policy' };

  const latest = input.samples[input.samples.length - 1];
  if (!latest || current <= 0) return { replicas: current, reason: null, note: 'no-metrics' };

  const up = clamp(recommendation(latest, policy.target), bounds);
  if (up > current) {
    if (since(input.now, input.lastScaleUpAt) < policy.scaleUpSeconds) {
      return { replicas: current, reason: null, note: 'cooldown' };
    }
    return {
      replicas: up,
      note: 'scaled',
      reason: metricReason(policy, latest.value, current, up),
    };
  }

  const windowMs = policy.scaleDownSeconds * 1000;
  const from = input.now.getTime() - windowMs;
  const inWindow = windowMs === 0 ? [latest] : input.samples.filter((s) => s.at >= from);
  const down = clamp(Math.max(...inWindow.map((s) => recommendation(s, policy.target))), bounds);
  if (down >= current) {
    const raw = recommendation(latest, policy.target);
    const note: HoldNote =
      raw === current
        ? 'tolerance'
        : raw > current || clamp(raw, bounds) >= current
          ? 'at-bound'
          : // The latest sample asks for fewer, but the window still holds higher ones.
            'stabilising';
    return { replicas: current, reason: null, note };
  }
  const watchedWhole = windowMs === 0 || input.samples.some((s) => s.at <= from);
  if (!watchedWhole) return { replicas: current, reason: null, note: 'stabilising' };
  if (since(input.now, input.lastScaleDownAt) < policy.scaleDownSeconds) {
    return { replicas: current, reason: null, note: 'cooldown' };
  }
  return {
    replicas: down,
    note: 'scaled',
    reason: metricReason(policy, latest.value, current, down),
  };
}
