/**
 * Autoscaling in Kubernetes: an autoscaling/v2 HorizontalPodAutoscaler when a process scales
 * on a metric only; a KEDA ScaledObject when it has schedules (KEDA then owns the HPA), with
 * a `cron` trigger per schedule next to the metric trigger.
 */
import { DEFAULT_TARGET, isSpecificDate, replicaBounds } from '../defaults';
import { durationSeconds } from '../duration';
import type { Process, Scaling, ScalingTarget, Schedule } from '../types';
import { deploymentName, type ExportContext, type KubernetesObject, metadataOf } from './k8s-meta';

/** The Pods metric a `requestsPerSecond` target reads (served by a metrics adapter). */
export const RPS_METRIC = 'http_requests_per_second';

/** A Kubernetes quantity: `50`, or `500m` for fractions. */
const quantity = (n: number) => (Number.isInteger(n) ? String(n) : `${Math.round(n * 1000)}m`);

function behavior(scaling: Scaling) {
  const rule = (value: string | undefined) => {
    const seconds = value === undefined ? undefined : durationSeconds(value);
    return seconds === undefined ? undefined : { stabilizationWindowSeconds: seconds };
  };
  const scaleUp = rule(scaling.cooldown?.scaleUp);
  const scaleDown = rule(scaling.cooldown?.scaleDown);
  if (!scaleUp && !scaleDown) return undefined;
  return { ...(scaleUp ? { scaleUp } : {}), ...(scaleDown ? { scaleDown } : {}) };
}

const autoscales = (process: Process) => {
  const { min, max } = replicaBounds(process);
  return max > min;
};

/** Whether a process gets an autoscaler (and so no fixed `replicas`). */
export const isAutoscaled = (process: Process) =>
  autoscales(process) || (process.scaling?.schedules?.length ?? 0) > 0;

export function horizontalPodAutoscaler(
  ctx: ExportContext,
  name: string,
  process: Process,
): KubernetesObject {
  const scaling = process.scaling!;
  const { min, max } = replicaBounds(process);
  const target: ScalingTarget = scaling.target ?? DEFAULT_TARGET;
  const rules = behavior(scaling);
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: metadataOf(ctx, deploymentName(ctx, name), name),
    spec: {
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: deploymentName(ctx, name),
      },
      // HPA cannot hold zero replicas (KEDA can, through schedules).
      minReplicas: Math.max(1, min),
      maxReplicas: max,
      metrics: [
        'cpu' in target
          ? {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: { type: 'Utilization', averageUtilization: target.cpu },
              },
            }
          : {
              type: 'Pods',
              pods: {
                metric: { name: RPS_METRIC },
                target: { type: 'AverageValue', averageValue: quantity(target.requestsPerSecond) },
              },
            },
      ],
      ...(rules ? { behavior: rules } : {}),
    },
  };
}

/** Date-time → `minute hour day month` in a time zone, for a KEDA cron field. */
function cronAt(dateTime: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(dateTime));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return `${get('minute')} ${get('hour')} ${get('day')} ${get('month')} *`;
}

function cronTrigger(schedule: Schedule) {
  const window = isSpecificDate(schedule)
    ? {
        timezone: schedule.timezone ?? 'Etc/UTC',
        start: cronAt(schedule.startAt, schedule.timezone ?? 'Etc/UTC'),
        end: cronAt(schedule.endAt, schedule.timezone ?? 'Etc/UTC'),
      }
    : { timezone: schedule.timezone, start: schedule.start, end: schedule.end };
  return {
    type: 'cron',
    name: schedule.name,
    metadata: { ...window, desiredReplicas: String(schedule.min) },
  };
}

function metricTrigger(ctx: ExportContext, name: string, target: ScalingTarget) {
  if ('cpu' in target) {
    return { type: 'cpu', metricType: 'Utilization', metadata: { value: String(target.cpu) } };
  }
  return {
    type: 'prometheus',
    metadata: {
      serverAddress: 'TODO(zhengwu): Prometheus 地址 · Prometheus address',
      query: `sum(rate(http_requests_total{namespace="${ctx.options.namespace}",service="${deploymentName(ctx, name)}"}[1m]))`,
      threshold: quantity(target.requestsPerSecond),
    },
  };
}

/**
 * KEDA's cron trigger has no one-off dates: a `startAt`/`endAt` window becomes a yearly
 * cron, and the annotation says to delete it once the window has passed.
 */
export function scaledObject(ctx: ExportContext, name: string, process: Process): KubernetesObject {
  const scaling = process.scaling!;
  const { min, peak } = replicaBounds(process);
  const schedules = scaling.schedules ?? [];
  const rules = behavior(scaling);
  const oneOff = schedules.filter(isSpecificDate);
  const triggers = [
    ...(autoscales(process) ? [metricTrigger(ctx, name, scaling.target ?? DEFAULT_TARGET)] : []),
    ...schedules.map(cronTrigger),
  ];
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: metadataOf(
      ctx,
      deploymentName(ctx, name),
      name,
      oneOff.length > 0
        ? {
            'zhengwu.gov.cn/one-off-windows': oneOff
              .map((s) => `${s.name}: ${s.startAt}/${s.endAt}`)
              .join('; '),
            'zhengwu.gov.cn/one-off-note':
              'KEDA cron 每年重复，时间窗结束后请删除对应触发器 · KEDA cron repeats yearly: delete these triggers once their window has passed',
          }
        : undefined,
    ),
    spec: {
      scaleTargetRef: { name: deploymentName(ctx, name) },
      minReplicaCount: min,
      maxReplicaCount: peak,
      ...(rules ? { advanced: { horizontalPodAutoscalerConfig: { behavior: rules } } } : {}),
      triggers,
    },
  };
}
