import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The request duration histogram's upper bounds, in seconds. */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** The platform's Prometheus metrics (served at `/metrics`). */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'zhengwu_http_requests_total',
    help: 'HTTP requests by operation and status',
    labelNames: ['operation', 'status'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'zhengwu_http_request_duration_seconds',
    help: 'HTTP request duration by operation',
    labelNames: ['operation'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly authFailures = new Counter({
    name: 'zhengwu_auth_failures_total',
    help: 'Refused authentications by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'zhengwu_' });
  }

  /** Counts one answered request and records how long it took. */
  observe(operation: string, status: number, seconds: number): void {
    this.requests.inc({ operation, status });
    this.duration.observe({ operation }, seconds);
  }
}
