import type { MetricSample, ScalingMetric } from './tables';

/** What the runtime reports of a process right now. */
export interface ProcessMetrics {
  /** CPU utilisation of each replica that reports, in percent. */
  cpuPercent: number[];
  /** Memory utilisation of each replica that reports, in percent (when the runtime knows it). */
  memoryPercent?: number[];
  /** Requests per second to the whole process. */
  requestsPerSecond: number;
}

const mean = (values: readonly number[]) =>
  values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);

/**
 * The per-replica value of `metric` (what a policy's target is expressed in), or null when
 * the runtime has nothing to say: average utilisation over the replicas that report, or the
 * process's requests per second shared by its replicas.
 */
export function observedValue(
  metric: ScalingMetric,
  metrics: ProcessMetrics,
  replicas: number,
): number | null {
  if (replicas <= 0) return null;
  switch (metric) {
    case 'cpu':
      return metrics.cpuPercent.length > 0 ? mean(metrics.cpuPercent) : null;
    case 'memory':
      return metrics.memoryPercent && metrics.memoryPercent.length > 0
        ? mean(metrics.memoryPercent)
        : null;
    case 'requestsPerSecond':
      return Number.isFinite(metrics.requestsPerSecond)
        ? metrics.requestsPerSecond / replicas
        : null;
  }
}

/**
 * The samples a decision needs: those within the last `windowSeconds`, plus the newest one
 * before them (it shows that the window has been watched from its start), in time order.
 */
export function retainSamples(
  samples: readonly MetricSample[],
  now: Date,
  windowSeconds: number,
): MetricSample[] {
  const from = now.getTime() - windowSeconds * 1000;
  const sorted = [...samples].sort((a, b) => a.at - b.at);
  const firstInside = sorted.findIndex((s) => s.at >= from);
  if (firstInside === -1) return sorted.slice(-1);
  return sorted.slice(Math.max(0, firstInside - 1));
}
