/**
 * The one interface every service broker implements. A broker drives one engine pool (a
 * PostgreSQL cluster, a MariaDB server, a Redis, a RabbitMQ, an MQTT broker, an object
 * store) and turns the control plane's instances and bindings into real engine objects.
 *
 * Rules every broker keeps:
 * - **Deterministic names.** Engine objects are named from the instance and binding ids
 *   (see `engineName`), so an attempt that runs again after a crash finds what the previous
 *   one made, and the reconcile check can tell ours from anything else by the `zw` prefix.
 * - **Idempotent.** Every method may run again after it did part or all of its work:
 *   provision of an existing instance, bind of an existing credential version, deprovision
 *   or unbind of something already gone all succeed.
 * - **Least privilege.** A binding's credentials reach its instance's objects only.
 * - **No secrets in errors.** Errors never carry passwords or admin URLs with passwords.
 */

/** What a broker is told about an instance. */
export interface InstanceSpec {
  /** The control plane's id (`ins_…`). */
  id: string;
  tenantId: string;
  /** The plan id and its limits (from `@zhengwu/catalog`). */
  plan: string;
  limits: PlanLimits;
  /** Provision parameters, already validated against the plan's schema. */
  parameters: Record<string, unknown>;
}

/** The limits of a plan a broker enforces (every field optional: not all apply). */
export interface PlanLimits {
  connections?: number;
  storageMb?: number;
  memoryMb?: number;
  messagesPerSecond?: number;
  [key: string]: unknown;
}

/** What a broker is told about one version of a binding's credentials. */
export interface BindingSpec {
  /** The control plane's id (`bnd_…`). */
  id: string;
  /** From 1; each rotation makes version n + 1 before version n is revoked. */
  version: number;
  /** Binding parameters, already validated against the plan's schema (e.g. `readOnly`). */
  parameters: Record<string, unknown>;
}

/**
 * Credentials handed to an app, shaped by the service's `credentialsSchema` in the catalog
 * (`uri`, `host`, `port`, `username`, `password`, …). Stored encrypted by the platform.
 */
export type Credentials = Record<string, unknown>;

/** Current usage of an instance, as the engine reports it. */
export interface EngineUsage {
  storageMb: number;
  connections?: number;
  memoryMb?: number;
  messages?: number;
}

/** Whether the pool can take work; `reason` is shown in the catalog when it cannot. */
export type PoolHealth = { available: true } | { available: false; reason: string };

/** Everything a broker holds in its engine, by engine name (for the reconcile check). */
export interface EngineInventory {
  /** Names of instance-level objects (databases, vhosts, buckets, key prefixes, …). */
  instances: string[];
  /** Names of credential-level objects (roles, users, access keys, …). */
  credentials: string[];
}

export interface Broker {
  /** The catalog service id this broker provides (`postgresql`, `mysql`, …). */
  readonly service: string;
  /** This pool's id, shown as `Instance.pool` (e.g. `postgresql-embedded`, `redis-1`). */
  readonly pool: string;
  /** How many instances this pool may hold (placement skips a full pool). */
  readonly capacity: number;

  /** Reaches the engine; never throws. */
  health(): Promise<PoolHealth>;
  /** Creates the instance's objects with the plan's limits. */
  provision(instance: InstanceSpec): Promise<void>;
  /** Applies a new plan (limits) and/or parameters to an existing instance. */
  update(instance: InstanceSpec): Promise<void>;
  /** Ends sessions and removes the instance and every credential on it. */
  deprovision(instance: InstanceSpec): Promise<void>;
  /** Creates the credentials of one binding version and returns them. */
  bind(instance: InstanceSpec, binding: BindingSpec): Promise<Credentials>;
  /** Revokes one binding version (ends its sessions where the engine allows). */
  unbind(instance: InstanceSpec, binding: BindingSpec): Promise<void>;
  usage(instance: InstanceSpec): Promise<EngineUsage>;
  /** Lists the objects this broker made in its engine (names with the `zw` prefix). */
  inventory(): Promise<EngineInventory>;
  /** Releases connections (and stops an embedded engine the broker started). */
  close(): Promise<void>;
}

/** A broker's failure that is the engine's fault (down, refused): the operation retries. */
export class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError';
}

/**
 * The engine name of an instance or binding: `zw_i_` / `zw_b_` + the id's random part
 * lowercased (most engine names are case-insensitive; 20 base36 characters still carry
 * ≈103 bits, so two ids never meet), e.g. `zw_i_4fk2x9…`. Binding versions append `_v<n>`.
 * At most 32 characters: fits PostgreSQL (63), MariaDB users (80) and databases (64), S3
 * buckets (63, after `_` → `-`), RabbitMQ and Redis.
 */
export function engineName(id: string, version?: number): string {
  const [kind, random] = id.split('_') as [string, string];
  const base = `zw_${kind === 'ins' ? 'i' : kind === 'bnd' ? 'b' : kind}_${random.toLowerCase()}`;
  return version === undefined ? base : `${base}_v${version}`;
}
