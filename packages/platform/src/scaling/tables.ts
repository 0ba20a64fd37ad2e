import type { Schemas } from '@zhengwu/openapi';
import type { ColumnType, Kysely, Selectable } from 'kysely';
import type { Db } from '../db/database';
import type { Database } from '../db/schema';

/**
 * The tables of migration `0009_scaling`, as Kysely sees them. Until they are part of
 * `Database` in `db/schema.ts`, `scalingDb` widens a `Db` to know them (a plain cast: the
 * same connection or transaction).
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, T | string, T | string>;

export type ScalingMetric = Schemas['AutoscalingTarget']['metric'];

/** One autoscaling policy per app (`app_id` is the key). */
export interface ScalingPoliciesTable {
  app_id: string;
  tenant_id: string;
  enabled: boolean;
  process: string;
  min_replicas: number;
  max_replicas: number;
  target_metric: ScalingMetric;
  target_value: number;
  scale_up_seconds: number;
  scale_down_seconds: number;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

/** Scaling schedules; the columns of the other `kind` are null. */
export interface ScalingSchedulesTable {
  id: string;
  app_id: string;
  tenant_id: string;
  name: string;
  kind: 'recurring' | 'specificDate';
  process: string;
  timezone: string;
  start_cron: string | null;
  end_cron: string | null;
  start_at: Timestamp | null;
  end_at: Timestamp | null;
  min_replicas: number;
  max_replicas: number;
  initial_replicas: number | null;
  enabled: boolean;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

/** Every change of a process's replicas, with its reason (kept 90 days). */
export interface ScalingEventsTable {
  id: string;
  app_id: string;
  tenant_id: string;
  process: string;
  from_replicas: number;
  to_replicas: number;
  reason: Json<Schemas['ScalingReason']>;
  principal_id: string | null;
  created_at: CreatedAt;
}

/** A metric observation: the per-replica value and the replicas it was measured at. */
export interface MetricSample {
  /** Epoch milliseconds. */
  at: number;
  value: number;
  replicas: number;
}

/** What the autoscaler remembers of a process between ticks (and between platform replicas). */
export interface ScalingStateTable {
  app_id: string;
  process: string;
  last_scale_up_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_scale_down_at: ColumnType<
    Date | null,
    Date | string | null | undefined,
    Date | string | null
  >;
  window_key: ColumnType<string | null, string | null | undefined, string | null>;
  samples: ColumnType<MetricSample[], MetricSample[] | string | undefined, MetricSample[] | string>;
  evaluated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface ScalingTables {
  scaling_policies: ScalingPoliciesTable;
  scaling_schedules: ScalingSchedulesTable;
  scaling_events: ScalingEventsTable;
  scaling_state: ScalingStateTable;
}

export type ScalingDb = Kysely<Database & ScalingTables>;

/** The same database handle (or transaction), typed to know the scaling tables. */
export const scalingDb = (db: Db): ScalingDb => db as unknown as ScalingDb;

export type PolicyRow = Selectable<ScalingPoliciesTable>;
export type ScheduleRow = Selectable<ScalingSchedulesTable>;
export type ScalingEventRow = Selectable<ScalingEventsTable>;
export type ScalingStateRow = Selectable<ScalingStateTable>;
