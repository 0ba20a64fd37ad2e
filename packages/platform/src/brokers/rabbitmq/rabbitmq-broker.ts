import { randomBytes } from 'node:crypto';
import {
  type BindingSpec,
  type Broker,
  type Credentials,
  type EngineInventory,
  EngineUnavailableError,
  type EngineUsage,
  engineName,
  type InstanceSpec,
  type PoolHealth,
} from '../broker';
import { ManagementApi } from './management-api';

export interface RabbitmqBrokerOptions {
  /** `ZW_RABBITMQ_MANAGEMENT_URL`, with an administrator's user and password. */
  managementUrl: string;
  /** `ZW_RABBITMQ_URL`: the AMQP address apps get (its user info is not used). */
  amqpUrl: string;
  /** Pool id shown as `Instance.pool`. */
  pool?: string;
  /** Instances (vhosts) this pool may hold. */
  capacity?: number;
  /** Vhost limits for a plan that names none (`limits.connections`, `limits.queues`). */
  defaultLimits?: { connections: number; queues: number };
  /** Per management API request. */
  timeoutMs?: number;
}

interface Named {
  name: string;
}
interface Permission {
  user: string;
}
interface QueueStats {
  messages_ready?: number;
  messages_unacknowledged?: number;
  message_bytes?: number;
}

const MIB = 1024 * 1024;
const ENGINE_NAME = /^zw_[a-z]+_[a-z0-9]+(_v\d+)?$/;
// A header value: ASCII only.
const REVOKED = 'zhengwu: credentials revoked';
const CLOSE_TIMEOUT_MS = 5000;

/**
 * RabbitMQ as a shared pool, driven through the management HTTP API: an instance is a vhost
 * with `max-connections` and `max-queues` limits, a binding version is a user without tags
 * (no management access) with permissions on that vhost only.
 *
 * A plan's `storageMb`, `memoryMb` and `messagesPerSecond` have no per-vhost equivalent in
 * RabbitMQ: they are reported by `usage()` (message bytes) but not enforced by the engine.
 */
export class RabbitmqBroker implements Broker {
  readonly service = 'rabbitmq';
  readonly pool: string;
  readonly capacity: number;
  readonly #api: ManagementApi;
  readonly #host: string;
  readonly #port: number;
  readonly #tls: boolean;
  readonly #defaults: { connections: number; queues: number };

  constructor(options: RabbitmqBrokerOptions) {
    const amqp = new URL(options.amqpUrl);
    this.#api = new ManagementApi(options.managementUrl, options.timeoutMs);
    this.pool = options.pool ?? 'rabbitmq-1';
    this.capacity = options.capacity ?? 500;
    this.#tls = amqp.protocol === 'amqps:';
    this.#host = amqp.hostname;
    this.#port = Number(amqp.port || (this.#tls ? 5671 : 5672));
    this.#defaults = options.defaultLimits ?? { connections: 100, queues: 1000 };
  }

  async health(): Promise<PoolHealth> {
    try {
      const me = await this.#api.get<{ tags: string | string[] }>('/whoami');
      const tags = [me?.tags ?? []].flat().join(',');
      if (!tags.includes('administrator')) {
        return {
          available: false,
          reason:
            'RabbitMQ 管理账号不是 administrator · The RabbitMQ management user is not an administrator',
        };
      }
      return { available: true };
    } catch (error) {
      return { available: false, reason: (error as Error).message };
    }
  }

  async provision(instance: InstanceSpec): Promise<void> {
    const vhost = vhostOf(instance);
    // PUT on an existing vhost answers 204 and changes nothing: provision is idempotent.
    await this.#api.put(`/vhosts/${vhost}`, { description: `zhengwu ${instance.id}`, tags: '' });
    await this.#applyLimits(instance);
  }

  /** New limits apply to new connections and queues; existing ones stay until they close. */
  async update(instance: InstanceSpec): Promise<void> {
    await this.#applyLimits(instance);
  }

  async deprovision(instance: InstanceSpec): Promise<void> {
    const vhost = vhostOf(instance);
    const permissions = (await this.#api.get<Permission[]>(`/vhosts/${vhost}/permissions`)) ?? [];
    for (const { user } of permissions) {
      if (user.startsWith('zw_')) await this.#revoke(user);
    }
    // Deleting the vhost closes its remaining connections and drops its queues.
    await this.#api.delete(`/vhosts/${vhost}`);
  }

  async bind(instance: InstanceSpec, binding: BindingSpec): Promise<Credentials> {
    const vhost = vhostOf(instance);
    const username = checked(engineName(binding.id, binding.version));
    const password = randomBytes(32).toString('base64url');
    const readOnly = binding.parameters.readOnly === true;
    // `tags: ''` — no management UI or HTTP API access for apps.
    await this.#api.put(`/users/${username}`, { password, tags: '' }, true);
    // Read-only: no queue or exchange declarations, no publishing (the default exchange
    // counts as `amq.default`, which `^$` does not match), consuming allowed.
    const permission = readOnly
      ? { configure: '^$', write: '^$', read: '.*' }
      : { configure: '.*', write: '.*', read: '.*' };
    await this.#api.put(`/permissions/${vhost}/${username}`, permission);
    return this.#credentials(decodeURIComponent(vhost), username, password);
  }

  async unbind(_instance: InstanceSpec, binding: BindingSpec): Promise<void> {
    await this.#revoke(checked(engineName(binding.id, binding.version)));
  }

  async usage(instance: InstanceSpec): Promise<EngineUsage> {
    const vhost = vhostOf(instance);
    const columns = 'columns=messages_ready,messages_unacknowledged,message_bytes';
    const queues = (await this.#api.get<QueueStats[]>(`/queues/${vhost}?${columns}`)) ?? [];
    const connections =
      (await this.#api.get<Named[]>(`/vhosts/${vhost}/connections?columns=name`)) ?? [];
    let messages = 0;
    let bytes = 0;
    for (const queue of queues) {
      messages += (queue.messages_ready ?? 0) + (queue.messages_unacknowledged ?? 0);
      bytes += queue.message_bytes ?? 0;
    }
    return { storageMb: Math.ceil(bytes / MIB), messages, connections: connections.length };
  }

  async inventory(): Promise<EngineInventory> {
    const ours = (list: Named[] | undefined) =>
      (list ?? [])
        .map(({ name }) => name)
        .filter((name) => name.startsWith('zw_'))
        .sort();
    return {
      instances: ours(await this.#api.get<Named[]>('/vhosts?columns=name')),
      credentials: ours(await this.#api.get<Named[]>('/users?columns=name')),
    };
  }

  async close(): Promise<void> {
    // Each call is one HTTP request: nothing is held between calls.
  }

  async #applyLimits(instance: InstanceSpec): Promise<void> {
    const vhost = vhostOf(instance);
    const { connections, queues } = instance.limits;
    const limits = {
      'max-connections': typeof connections === 'number' ? connections : this.#defaults.connections,
      'max-queues': typeof queues === 'number' ? queues : this.#defaults.queues,
    };
    for (const [name, value] of Object.entries(limits)) {
      await this.#api.put(`/vhost-limits/${vhost}/${name}`, { value });
    }
  }

  /**
   * Deletes the user (no new logins), then makes sure none of its connections stays open.
   * Both are no-ops for a user already gone.
   */
  async #revoke(username: string): Promise<void> {
    await this.#api.delete(`/users/${encodeURIComponent(username)}`);
    await this.#closeConnections(username);
  }

  async #closeConnections(username: string): Promise<void> {
    const path = `/connections/username/${encodeURIComponent(username)}`;
    const deadline = Date.now() + CLOSE_TIMEOUT_MS;
    for (;;) {
      const open = (await this.#api.get<Named[]>(`${path}?columns=name`)) ?? [];
      if (open.length === 0) return;
      if (Date.now() > deadline) {
        throw new EngineUnavailableError(
          `RabbitMQ 未能关闭 ${username} 的连接 · RabbitMQ did not close the connections of ${username}`,
        );
      }
      try {
        await this.#api.delete(path, REVOKED);
      } catch (error) {
        // RabbitMQ closes a deleted user's connections itself; closing one it is already
        // closing answers 500. Look again.
        if (!(error instanceof EngineUnavailableError)) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  #credentials(vhost: string, username: string, password: string): Credentials {
    const scheme = this.#tls ? 'amqps' : 'amqp';
    const path = encodeURIComponent(vhost);
    return {
      uri: `${scheme}://${username}:${encodeURIComponent(password)}@${this.#host}:${this.#port}/${path}`,
      host: this.#host,
      port: this.#port,
      vhost,
      username,
      password,
      // What is true of this pool: TLS only when the pool's AMQP URL is `amqps:`.
      tls: { mode: this.#tls ? 'require' : 'disable', gm: false },
    };
  }
}

/** The instance's vhost name, encoded for a management API path. */
function vhostOf(instance: InstanceSpec): string {
  return encodeURIComponent(checked(engineName(instance.id)));
}

/** Refuses a name that is not one of ours (it goes into paths and permission patterns). */
function checked(name: string): string {
  if (!ENGINE_NAME.test(name)) throw new Error(`名称无效 · Invalid engine name ${name}`);
  return name;
}
