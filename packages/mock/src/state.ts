/**
 * The platform's in-memory state: one `Map` per resource, holding objects in the contract's
 * shapes (what the API answers), plus the few things the API never shows (quota settings,
 * token secrets, credentials, creation order).
 */
import type { Schemas } from '@zhengwu/openapi';

type S = Schemas;

/** `T` without `readonly` (the contract marks server-set fields `readOnly`; the mock sets them). */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The contract's schemas as the mock stores them: the same shapes, writable. */
export type Model = { [K in keyof Schemas]: Mutable<Schemas[K]> };

/** One stored log line with its stream position (the SSE event id is `c_<seq>`). */
export interface LogRecord {
  seq: number;
  entry: Schemas['LogEntry'];
}

export interface MockState {
  tenants: Map<string, Model['Tenant']>;
  /** Each tenant's own quota limits (`null` inherits). */
  quotas: Map<string, Model['QuotaLimits']>;
  members: Map<string, Model['Member']>;
  tokens: Map<string, Model['Token']>;
  /** Token secret → token id (the real platform keeps only a hash). */
  tokenSecrets: Map<string, string>;
  services: Model['Service'][];
  instances: Map<string, Model['Instance']>;
  bindings: Map<string, Model['Binding']>;
  /** Current credentials by binding id. */
  credentials: Map<string, Model['BindingCredentials']>;
  operations: Map<string, Model['Operation']>;
  apps: Map<string, Model['App']>;
  sources: Map<string, Model['Source']>;
  releases: Map<string, Model['Release']>;
  /** By app id. */
  autoscalingPolicies: Map<string, Model['AutoscalingPolicy']>;
  schedules: Map<string, Model['Schedule']>;
  scalingEvents: Map<string, Model['ScalingEvent']>;
  /** Log lines by app id, oldest first. */
  logs: Map<string, LogRecord[]>;
  /** The audit chain, in `sequence` order. */
  auditEvents: Model['AuditEvent'][];
  /** Creation order of every resource id (lists sort newest first on it). */
  order: Map<string, number>;
  nextOrder: number;
  nextLogSeq: number;
}

/** A read-only view of the state for assertions in tests (`platform.state`). */
export interface MockStateView {
  readonly tenants: ReadonlyMap<string, Readonly<S['Tenant']>>;
  readonly quotas: ReadonlyMap<string, Readonly<S['QuotaLimits']>>;
  readonly members: ReadonlyMap<string, Readonly<S['Member']>>;
  readonly tokens: ReadonlyMap<string, Readonly<S['Token']>>;
  readonly services: readonly Readonly<S['Service']>[];
  readonly instances: ReadonlyMap<string, Readonly<S['Instance']>>;
  readonly bindings: ReadonlyMap<string, Readonly<S['Binding']>>;
  readonly credentials: ReadonlyMap<string, Readonly<S['BindingCredentials']>>;
  readonly operations: ReadonlyMap<string, Readonly<S['Operation']>>;
  readonly apps: ReadonlyMap<string, Readonly<S['App']>>;
  readonly sources: ReadonlyMap<string, Readonly<S['Source']>>;
  readonly releases: ReadonlyMap<string, Readonly<S['Release']>>;
  readonly autoscalingPolicies: ReadonlyMap<string, Readonly<S['AutoscalingPolicy']>>;
  readonly schedules: ReadonlyMap<string, Readonly<S['Schedule']>>;
  readonly scalingEvents: ReadonlyMap<string, Readonly<S['ScalingEvent']>>;
  readonly logs: ReadonlyMap<string, readonly Readonly<LogRecord>[]>;
  readonly auditEvents: readonly Readonly<S['AuditEvent']>[];
}

export function emptyState(services: Model['Service'][]): MockState {
  return {
    tenants: new Map(),
    quotas: new Map(),
    members: new Map(),
    tokens: new Map(),
    tokenSecrets: new Map(),
    services,
    instances: new Map(),
    bindings: new Map(),
    credentials: new Map(),
    operations: new Map(),
    apps: new Map(),
    sources: new Map(),
    releases: new Map(),
    autoscalingPolicies: new Map(),
    schedules: new Map(),
    scalingEvents: new Map(),
    logs: new Map(),
    auditEvents: [],
    order: new Map(),
    nextOrder: 1,
    nextLogSeq: 1,
  };
}

/** Records that `id` was created now (lists sort on this, newest first). */
export function remember(state: MockState, id: string): void {
  state.order.set(id, state.nextOrder++);
}

/** Newest first, by creation order. */
export function newestFirst<T extends { id: string }>(state: MockState, items: Iterable<T>): T[] {
  return [...items].sort((a, b) => (state.order.get(b.id) ?? 0) - (state.order.get(a.id) ?? 0));
}
