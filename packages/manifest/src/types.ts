/**
 * The TypeScript shape of a valid `zhengwu.yaml`, written by hand to read well in editors.
 * `test/types.test.ts` keeps it in step with the schema (same keys at every level).
 */

/** A duration such as `60s`, `2m` or `1h30m`. */
export type Duration = string;

/** An HTTP GET probe (Score probe shape). */
export interface HttpProbe {
  httpGet: {
    /** Path to request, e.g. `/healthz`. */
    path: string;
    /** Port to probe; the process port by default. */
    port?: number;
  };
}

/** A recurring window: cron `start` / `end` read in `timezone` (KEDA cron semantics). */
export interface RecurringSchedule {
  name: string;
  timezone: string;
  /** 5-field cron: minute hour day month weekday. */
  start: string;
  end: string;
  min: number;
  max?: number;
}

/** A one-off window between two RFC 3339 date-times. */
export interface SpecificDateSchedule {
  name: string;
  timezone?: string;
  startAt: string;
  endAt: string;
  min: number;
  max?: number;
}

export type Schedule = RecurringSchedule | SpecificDateSchedule;

/** What autoscaling holds: exactly one metric. */
export type ScalingTarget = { cpu: number } | { requestsPerSecond: number };

export interface Scaling {
  /** Minimum replicas (0–100). */
  min: number;
  /** Maximum replicas; `min` when left out. Above `min` the process autoscales. */
  max?: number;
  /** `{ cpu: 70 }` by default when `max > min`. */
  target?: ScalingTarget;
  cooldown?: { scaleUp?: Duration; scaleDown?: Duration };
  schedules?: Schedule[];
}

/** One process type (Procfile model). */
export interface Process {
  /** Start command, run by a shell. */
  command: string;
  /** Port the process listens on (`$PORT` is set to it); 8080 by default. */
  port?: number;
  /** Memory per replica in MiB; 512 by default. */
  memoryMb?: number;
  health?: {
    readiness?: HttpProbe;
    liveness?: HttpProbe;
    startupTimeout?: Duration;
  };
  /** One replica when left out. */
  scaling?: Scaling;
}

/** A generated secret: the platform generates it once and keeps it across releases. */
export interface GeneratedSecret {
  generate: 'secret';
}

/** A literal (placeholders allowed) or a generated secret. */
export type EnvValue = string | GeneratedSecret;

/** A service instance the app depends on (Score `resources` semantics). */
export interface Resource {
  /** Catalog service id, e.g. `postgresql`. */
  type: string;
  /** Plan id, e.g. `dev`. */
  class: string;
  /** Shared instance name: same type, class and id means the same instance. */
  id?: string;
  /** Provisioning parameters (the plan's `instanceCreate` schema). */
  params?: Record<string, unknown>;
}

export interface Route {
  host?: string;
  /** Path prefix starting with `/`. */
  path: string;
  process: string;
}

export interface Deploy {
  strategy?: 'rolling';
  maxInFlight?: number;
  autoRollback?: boolean;
  healthTimeout?: Duration;
}

/** A parsed and schema-valid `zhengwu.yaml`. */
export interface Manifest {
  $schema?: string;
  apiVersion: 'zhengwu.gov.cn/v1';
  kind: 'App';
  metadata: { name: string; labels?: Record<string, string> };
  runtime?: 'node@20' | 'node@22';
  build?: { command?: string };
  release?: { command: string };
  processes: Record<string, Process>;
  env?: Record<string, EnvValue>;
  resources?: Record<string, Resource>;
  routes?: Route[];
  deploy?: Deploy;
}
