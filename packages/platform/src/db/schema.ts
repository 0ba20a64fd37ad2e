import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ScalingTables } from '../scaling/tables';

/** `timestamptz`: read as `Date`, written as `Date` or an ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** `timestamptz` with a `now()` default: optional on insert. */
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** `jsonb`: objects in, objects out. */
type Json<T> = ColumnType<T, T | string, T | string>;

export interface LocalizedText {
  zh: string;
  en: string;
}

/** Departments: a tree by `parent_id`; `path` lists the ancestors' ids, root first, then its own id. */
export interface TenantsTable {
  id: string;
  name: string;
  display_name: Json<LocalizedText>;
  parent_id: string | null;
  path: string[];
  level: 'province' | 'city' | 'district' | 'township';
  region_code: string | null;
  labels: Json<Record<string, string>>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

/**
 * Tenants removed by `deleteTenant` (migration `0010`), with the `path` they had: what
 * places a deleted tenant's audit events in its ancestors' subtrees. Never deleted.
 */
export interface DeletedTenantsTable {
  id: string;
  path: string[];
  deleted_at: CreatedAt;
}

/** One failed authentication of a source address (the limiter's window, all replicas). */
export interface AuthFailuresTable {
  id: Generated<number>;
  address: string;
  at: CreatedAt;
}

/** A tenant's own limits; `null` inherits the parent's. One row per tenant. */
export interface QuotasTable {
  tenant_id: string;
  instances: number | null;
  apps: number | null;
  memory_mb: number | null;
  storage_mb: number | null;
  replicas: number | null;
}

/** What a tenant itself uses (not its descendants), kept in step with its resources. */
export interface UsageTable {
  tenant_id: string;
  instances: number;
  apps: number;
  memory_mb: number;
  storage_mb: number;
  replicas: number;
}

export type Role =
  | 'platform-admin'
  | 'security-admin'
  | 'audit-admin'
  | 'tenant-admin'
  | 'developer'
  | 'auditor';

/** A principal's role on a tenant subtree. */
export interface MembersTable {
  id: string;
  tenant_id: string;
  principal_type: 'user' | 'oidc';
  principal_id: string;
  display_name: string | null;
  role: Role;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  created_by: string;
}

/**
 * API tokens. Only a SHA-256 of the secret is kept. `system` tokens (the bootstrap
 * platform-admin token) have no tenant and never appear in the API's lists.
 */
export interface TokensTable {
  id: string;
  name: string;
  tenant_id: string | null;
  role: Role;
  prefix: string;
  secret_hash: string;
  system: Generated<boolean>;
  created_at: CreatedAt;
  expires_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  created_by: string;
}

/**
 * The audit log: an HMAC-SM3 hash chain ordered by `sequence`, which is assigned as the
 * previous event's + 1 under a lock (not a database sequence, whose rolled-back values
 * would leave gaps that look like deleted events).
 */
export interface AuditEventsTable {
  sequence: number;
  id: string;
  occurred_at: Timestamp;
  principal: Json<{ type: string; id: string | null; name: string | null }>;
  tenant_id: string | null;
  action: string;
  target: Json<{ type: string; id: string } | null>;
  outcome: 'success' | 'failure' | 'denied';
  reason: string | null;
  source_ip: string;
  user_agent: string | null;
  request_id: string;
  prev_hash: string;
  hash: string;
}

export type OperationState = 'pending' | 'running' | 'succeeded' | 'failed' | 'canceled';

/** Durable long work, claimed by workers with `FOR UPDATE SKIP LOCKED`. */
export interface OperationsTable {
  id: string;
  tenant_id: string;
  type: string;
  state: OperationState;
  target_type: string;
  target_id: string;
  progress: Json<{ percent: number; step: string | null; message: LocalizedText | null }>;
  input: Json<Record<string, unknown>>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  error: Json<Record<string, unknown> | null>;
  cancel_requested: Generated<boolean>;
  run_after: CreatedAt;
  locked_by: string | null;
  locked_until: Timestamp | null;
  created_at: CreatedAt;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  updated_at: CreatedAt;
}

/** First responses of idempotent calls, replayed for 24 h. */
export interface IdempotencyKeysTable {
  principal_id: string;
  key: string;
  fingerprint: string;
  state: 'pending' | 'done';
  status: number | null;
  headers: Json<Record<string, string> | null>;
  body: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export type InstanceState =
  | 'provisioning'
  | 'ready'
  | 'updating'
  | 'deprovisioning'
  | 'deleted'
  | 'failed';

/** Service instances: one per provisioned engine object set (a database, a vhost, a bucket…). */
export interface InstancesTable {
  id: string;
  tenant_id: string;
  name: string;
  service: string;
  plan: string;
  parameters: Json<Record<string, unknown>>;
  labels: Json<Record<string, string>>;
  state: InstanceState;
  /** The engine pool it was placed on; null until placed. */
  pool: string | null;
  dashboard_url: string | null;
  last_operation_id: string | null;
  /** What it holds of the tenant's quota (`{ instances, storageMb }`); null once released. */
  reserved: Json<{ instances: number; storageMb: number } | null>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  deleted_at: Timestamp | null;
}

export type BindingState = 'creating' | 'ready' | 'rotating' | 'deleting' | 'deleted' | 'failed';

export interface BindingsTable {
  id: string;
  tenant_id: string;
  instance_id: string;
  app_id: string | null;
  name: string;
  parameters: Json<Record<string, unknown>>;
  state: BindingState;
  credentials_version: Generated<number>;
  rotated_at: Timestamp | null;
  last_operation_id: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  deleted_at: Timestamp | null;
}

/** One version of a binding's credentials, sealed with the tenant's data key. */
export interface BindingCredentialsTable {
  binding_id: string;
  version: number;
  sealed: string;
  issued_at: CreatedAt;
  revoke_after: Timestamp | null;
  revoked_at: Timestamp | null;
}

/**
 * Per-tenant data keys of the secrets keyring (`src/secrets`), one per algorithm, held only
 * wrapped (encrypted) by the master key named in `master_key_id`.
 */
export interface DataKeysTable {
  id: string;
  tenant_id: string;
  algorithm: 'a256gcm' | 'sm4ctr-hsm3';
  master_key_id: string;
  wrapped: Buffer;
  created_at: CreatedAt;
  rewrapped_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** An Open Service Broker instance id and the instance it names (`0007_osb`). */
export interface OsbInstancesTable {
  osb_id: string;
  instance_id: string;
  fingerprint: string;
  provision_operation_id: string;
  update_fingerprint: string | null;
  update_operation_id: string | null;
  organization_guid: string;
  space_guid: string;
  context: Json<Record<string, unknown>>;
  created_at: CreatedAt;
}

/** An Open Service Broker binding id (within its instance) and the binding it names. */
export interface OsbBindingsTable {
  osb_instance_id: string;
  osb_id: string;
  binding_id: string;
  fingerprint: string;
  create_operation_id: string;
  app_guid: string | null;
  created_at: CreatedAt;
}

export type AppState =
  | 'created'
  | 'deploying'
  | 'running'
  | 'degraded'
  | 'stopped'
  | 'failed'
  | 'deleting'
  | 'deleted';

/** What an app holds of its tenant's quota. */
export interface AppReservation {
  apps: number;
  replicas: number;
  memoryMb: number;
}

export interface AppsTable {
  id: string;
  tenant_id: string;
  name: string;
  state: AppState;
  current_release_id: string | null;
  env: Json<Record<string, string>>;
  labels: Json<Record<string, string>>;
  /** Generated secrets (`{ generate: secret }`), sealed as JSON with the tenant's data key. */
  secrets: string | null;
  last_operation_id: string | null;
  reserved: Json<AppReservation | null>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  deleted_at: Timestamp | null;
}

/** Desired scale of one process type of an app. */
export interface AppProcessesTable {
  app_id: string;
  type: string;
  replicas: number;
  memory_mb: number;
  updated_at: CreatedAt;
}

export interface SourcesTable {
  id: string;
  app_id: string;
  tenant_id: string;
  sha256: string;
  size_bytes: ColumnType<string, number, number>;
  created_at: CreatedAt;
}

export type ReleaseState =
  | 'pending'
  | 'building'
  | 'releasing'
  | 'deploying'
  | 'succeeded'
  | 'failed'
  | 'superseded';

export interface ReleasesTable {
  id: string;
  app_id: string;
  tenant_id: string;
  version: number;
  state: ReleaseState;
  source_id: string | null;
  artifact_sha256: string | null;
  rollback_of: string | null;
  description: string | null;
  manifest: Json<Record<string, unknown>>;
  failure: Json<Record<string, unknown> | null>;
  last_operation_id: string | null;
  created_at: CreatedAt;
  finished_at: Timestamp | null;
}

/** The instance (and the app's binding to it) a manifest resource resolved to. */
export interface AppResourcesTable {
  app_id: string;
  name: string;
  instance_id: string;
  binding_id: string | null;
}

export interface Database extends ScalingTables {
  tenants: TenantsTable;
  deleted_tenants: DeletedTenantsTable;
  auth_failures: AuthFailuresTable;
  quotas: QuotasTable;
  usage: UsageTable;
  members: MembersTable;
  tokens: TokensTable;
  audit_events: AuditEventsTable;
  operations: OperationsTable;
  idempotency_keys: IdempotencyKeysTable;
  data_keys: DataKeysTable;
  instances: InstancesTable;
  bindings: BindingsTable;
  binding_credentials: BindingCredentialsTable;
  osb_instances: OsbInstancesTable;
  osb_bindings: OsbBindingsTable;
  apps: AppsTable;
  app_processes: AppProcessesTable;
  sources: SourcesTable;
  releases: ReleasesTable;
  app_resources: AppResourcesTable;
}

export type TenantRow = Selectable<TenantsTable>;
export type NewTenant = Insertable<TenantsTable>;
export type TenantUpdate = Updateable<TenantsTable>;
export type MemberRow = Selectable<MembersTable>;
export type TokenRow = Selectable<TokensTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type OperationRow = Selectable<OperationsTable>;
export type InstanceRow = Selectable<InstancesTable>;
export type BindingRow = Selectable<BindingsTable>;
export type DataKeyRow = Selectable<DataKeysTable>;
export type OsbInstanceRow = Selectable<OsbInstancesTable>;
export type OsbBindingRow = Selectable<OsbBindingsTable>;
export type AppRow = Selectable<AppsTable>;
export type AppProcessRow = Selectable<AppProcessesTable>;
export type SourceRow = Selectable<SourcesTable>;
export type ReleaseRow = Selectable<ReleasesTable>;
