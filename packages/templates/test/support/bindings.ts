import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  BindingSpec,
  Broker,
  Credentials,
  InstanceSpec,
} from '../../../platform/src/brokers/broker';
import { EmbeddedMqttBroker } from '../../../platform/src/brokers/mqtt/embedded-broker';
import { ObjectStorageBroker } from '../../../platform/src/brokers/object-storage';
import { PostgresBroker } from '../../../platform/src/brokers/postgresql';
import { RabbitmqBroker } from '../../../platform/src/brokers/rabbitmq';
import { RedisBroker } from '../../../platform/src/brokers/redis';
import { newId } from '../../../platform/src/ids';
import { SERVERS, serverAvailable } from '../../../platform/test/brokers/servers';

/**
 * Real bindings for template tests, made by the platform's own brokers exactly as
 * `zw deploy` would: a PostgreSQL database with its own non-superuser role, a Redis key
 * prefix with an ACL user (KEYS/SCAN/INFO denied), a bucket with a scoped access key on the
 * platform's S3-compatible server, a RabbitMQ vhost, an MQTT topic prefix. Everything is
 * deprovisioned by `close()`.
 */

export type ServiceType = 'postgresql' | 'redis' | 'object-storage' | 'rabbitmq' | 'mqtt';

const EXTERNAL: Partial<Record<ServiceType, { name: string; url: string; port: number }>> = {
  postgresql: { name: 'PostgreSQL', url: SERVERS.postgresql, port: 5432 },
  redis: { name: 'Redis', url: SERVERS.redis, port: 6379 },
  rabbitmq: { name: 'RabbitMQ', url: SERVERS.rabbitmq, port: 5672 },
};

/**
 * Whether every server the types need answers. In CI a missing one throws (the suite must
 * fail); elsewhere this prints why and returns false, and the caller skips.
 */
export async function servicesAvailable(types: Iterable<ServiceType>): Promise<boolean> {
  for (const type of new Set(types)) {
    const server = EXTERNAL[type];
    if (server && !(await serverAvailable(server.name, server.url, server.port))) return false;
  }
  return true;
}

const LIMITS = { connections: 20, storageMb: 256, memoryMb: 64 };

export class TestBindings {
  readonly credentials: Record<string, Credentials> = {};
  readonly #brokers = new Map<ServiceType, Broker>();
  readonly #made: { broker: Broker; instance: InstanceSpec; binding: BindingSpec }[] = [];
  readonly #dirs: string[] = [];
  readonly #tenantId = newId('ten');

  /** Provisions and binds one instance per resource (`{ db: 'postgresql', … }`). */
  static async open(resources: Record<string, ServiceType>): Promise<TestBindings> {
    const bindings = new TestBindings();
    try {
      for (const [name, type] of Object.entries(resources)) await bindings.#bind(name, type);
    } catch (error) {
      await bindings.close();
      throw error;
    }
    return bindings;
  }

  async #broker(type: ServiceType): Promise<Broker> {
    const existing = this.#brokers.get(type);
    if (existing) return existing;
    const broker = await this.#start(type);
    this.#brokers.set(type, broker);
    const health = await broker.health();
    if (!health.available) throw new Error(health.reason);
    return broker;
  }

  async #dataDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'zw-template-test-'));
    this.#dirs.push(dir);
    return dir;
  }

  async #start(type: ServiceType): Promise<Broker> {
    switch (type) {
      case 'postgresql':
        return new PostgresBroker({ adminUrl: SERVERS.postgresql });
      case 'redis':
        return new RedisBroker({ url: SERVERS.redis });
      case 'rabbitmq':
        return new RabbitmqBroker({
          managementUrl: SERVERS.rabbitmqManagement,
          amqpUrl: SERVERS.rabbitmq,
        });
      case 'object-storage': {
        const broker = new ObjectStorageBroker({
          dataDir: await this.#dataDir(),
          secretsKey: randomBytes(32),
          fsync: false,
        });
        await broker.start();
        return broker;
      }
      case 'mqtt': {
        const broker = new EmbeddedMqttBroker({ dataDir: await this.#dataDir() });
        await broker.start();
        return broker;
      }
    }
  }

  async #bind(name: string, type: ServiceType): Promise<void> {
    const broker = await this.#broker(type);
    const instance: InstanceSpec = {
      id: newId('ins'),
      tenantId: this.#tenantId,
      plan: 'dev',
      limits: LIMITS,
      parameters: {},
    };
    const binding: BindingSpec = { id: newId('bnd'), version: 1, parameters: {} };
    this.#made.push({ broker, instance, binding });
    await broker.provision(instance);
    this.credentials[name] = await broker.bind(instance, binding);
  }

  /** Deprovisions every instance (newest first), stops the brokers, removes temp dirs. */
  async close(): Promise<void> {
    const errors: unknown[] = [];
    for (const { broker, instance } of this.#made.reverse()) {
      await broker.deprovision(instance).catch((error) => errors.push(error));
    }
    for (const broker of this.#brokers.values()) {
      await broker.close().catch((error) => errors.push(error));
    }
    for (const dir of this.#dirs) await rm(dir, { recursive: true, force: true });
    if (errors.length) throw new AggregateError(errors, 'cleanup of template bindings failed');
  }
}
