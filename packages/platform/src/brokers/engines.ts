import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlatformConfig } from '../config';
import { keptValue } from '../kept-file';
import { SecretsError } from '../secrets/errors';
import type { Broker } from './broker';
import { EmbeddedMqttBroker } from './mqtt/embedded-broker';
import { ObjectStorageBroker } from './object-storage';
import { createEmbeddedPostgresBroker, PostgresBroker } from './postgresql';

export interface EnginePools {
  brokers: Broker[];
  /** Services asked for whose engine cannot run here, with the reason (`中文 · English`). */
  unavailable: Map<string, string>;
}

/**
 * The engine pools the configuration asks for: an external pool where its `ZW_*_URL` is set,
 * else the embedded engine where `ZW_EMBEDDED_ENGINES` lists it, else none (the catalog then
 * lists the service as unavailable, with the reason). The clients of external engines
 * (mysql2, ioredis, mqtt, …) load only when their pool is configured: most platforms start
 * with a few, and each costs 50–150 ms of start-up.
 */
export async function startEngines(
  config: PlatformConfig,
  log: (line: string) => void = () => {},
  /** A request an embedded engine failed by its own fault (not the client's). */
  onFault: (engine: string, error: unknown) => void = () => {},
): Promise<EnginePools> {
  const { engines, dataDir } = config;
  const capacity = engines.poolCapacity;
  const brokers: Broker[] = [];
  const unavailable = new Map<string, string>();
  try {
    if (engines.postgresUrl) {
      brokers.push(
        new PostgresBroker({ adminUrl: engines.postgresUrl, pool: 'postgresql-1', capacity }),
      );
    } else if (engines.embedded.has('postgresql')) {
      brokers.push(
        await createEmbeddedPostgresBroker(dataDir, { capacity, publicHost: engines.host }, log),
      );
    }
    if (engines.mysqlUrl) {
      const { MysqlBroker } = await import('./mysql');
      brokers.push(new MysqlBroker({ adminUrl: engines.mysqlUrl, pool: 'mysql-1', capacity }));
    }
    if (engines.redisUrl) {
      const { RedisBroker } = await import('./redis');
      brokers.push(new RedisBroker({ url: engines.redisUrl, pool: 'redis-1', capacity }));
    } else if (engines.embedded.has('redis')) {
      const { findRedisServer, RedisServerMissing } = await import('./redis/embedded');
      const binary = await findRedisServer(engines.redisServer).catch((error: unknown) => {
        if (!(error instanceof RedisServerMissing)) throw error;
        // Not fatal: the catalog lists Redis as unavailable with what to do.
        unavailable.set('redis', error.message);
        log(error.message);
      });
      if (binary) {
        const { createEmbeddedRedisBroker } = await import('./redis/embedded-broker');
        brokers.push(
          await createEmbeddedRedisBroker(
            dataDir,
            { binary, port: engines.redisPort, capacity, publicHost: engines.host },
            log,
          ),
        );
      }
    }
    if (engines.rabbitmqUrl) {
      const { RabbitmqBroker } = await import('./rabbitmq');
      brokers.push(
        new RabbitmqBroker({
          amqpUrl: engines.rabbitmqUrl,
          managementUrl: engines.rabbitmqManagementUrl ?? managementUrlOf(engines.rabbitmqUrl),
          pool: 'rabbitmq-1',
          capacity,
        }),
      );
    }
    if (engines.mqttUrl) {
      const { MosquittoBroker } = await import('./mqtt/mosquitto-broker');
      brokers.push(
        new MosquittoBroker({
          url: engines.mqttUrl,
          publicUrl: engines.mqttPublicUrl,
          pool: 'mqtt-1',
          capacity,
        }),
      );
    } else if (engines.embedded.has('mqtt')) {
      const mqtt = new EmbeddedMqttBroker({
        dataDir,
        host: engines.host,
        port: engines.mqttPort,
        capacity,
        crypto: config.crypto,
      });
      try {
        await mqtt.start();
        brokers.push(mqtt);
      } catch (error) {
        // Its data failed authentication: the rest of the platform still serves.
        if (!(error instanceof SecretsError)) throw error;
        unavailable.set('mqtt', error.message);
      }
    }
    if (engines.embedded.has('object-storage')) {
      const storage = new ObjectStorageBroker({
        dataDir,
        secretsKey: await storeKey(dataDir),
        crypto: config.crypto,
        onError: (error) => onFault('object-storage', error),
        host: engines.host,
        port: engines.objectStoragePort,
        capacity,
      });
      await storage.start();
      brokers.push(storage);
    }
    return { brokers, unavailable };
  } catch (error) {
    await Promise.allSettled(brokers.map((b) => b.close()));
    throw error;
  }
}

/** RabbitMQ's management API on its default port, with the AMQP URL's user. */
function managementUrlOf(amqpUrl: string): string {
  const amqp = new URL(amqpUrl);
  const url = new URL(`http://${amqp.hostname}:15672/`);
  url.username = amqp.username || 'guest';
  url.password = amqp.password || 'guest';
  return url.href;
}

/**
 * The key that seals the embedded object store's access-key secrets (it must verify
 * signatures, so it keeps them recoverable): generated once into the data dir, mode 600,
 * like the audit key. Independent of the master key, so master-key rotation never locks the
 * store out.
 */
async function storeKey(dataDir: string): Promise<Buffer> {
  await mkdir(join(dataDir, 'engines'), { recursive: true, mode: 0o700 });
  const hex = await keptValue(join(dataDir, 'engines', 'object-storage-key'), () =>
    randomBytes(32).toString('hex'),
  );
  return Buffer.from(hex, 'hex');
}
