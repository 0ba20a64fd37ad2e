import type { Zhengwu } from '@zhengwu/sdk';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import mqtt from 'mqtt';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reapplyRedisUsers } from '../../src/services/reapply';
import { type MosquittoProcess, startMosquitto } from '../brokers/mosquitto-process';
import { SERVERS, serverAvailable } from '../brokers/servers';
import { startTestPlatform, type TestPlatform } from '../harness';
import { insertToken } from '../tokens-fixture';

/**
 * Every external pool through the API, against this machine's servers: MariaDB, Redis,
 * RabbitMQ and a Mosquitto with dynamic security. For tenants A and B: provision, bind,
 * write and read with the engine's own client, B kept out of A's data, rotation, deprovision.
 */
const up = {
  mysql: await serverAvailable('MariaDB', SERVERS.mysql, 3306),
  redis: await serverAvailable('Redis', SERVERS.redis, 6379),
  rabbitmq: await serverAvailable('RabbitMQ', SERVERS.rabbitmq, 5672),
};

let platform: TestPlatform;
let mosquitto: MosquittoProcess | undefined;
let devA: Zhengwu;
let devB: Zhengwu;
let tenantA: string;
let tenantB: string;

type Creds = Record<string, unknown> & { uri: string };

async function ready(client: Zhengwu, tenantId: string, service: string) {
  const created = await client.instances.create({
    tenantId,
    name: `${service}-x`,
    service,
    plan: 'dev',
  } as never);
  const instance = await client.instances.waitUntilReady(created.id, { maxWaitTime: 60_000 });
  const binding = await client.bindings.create({ instanceId: instance.id, name: 'app' });
  await client.bindings.waitUntilReady(binding.id, { maxWaitTime: 60_000 });
  const { credentials } = await client.bindings.credentials(binding.id);
  return { instance, binding, credentials: credentials as Creds };
}

async function rotate(client: Zhengwu, bindingId: string): Promise<Creds> {
  await client.bindings.rotate(bindingId, { gracePeriodSeconds: 0 });
  const b = await client.bindings.waitUntilReady(bindingId, { maxWaitTime: 30_000 });
  await client.operations.waitUntilDone(b.lastOperation!.id, { maxWaitTime: 30_000 });
  return (await client.bindings.credentials(bindingId)).credentials as Creds;
}

async function remove(client: Zhengwu, instanceId: string) {
  await client.raw.DELETE('/v1/instances/{instanceId}', {
    params: { path: { instanceId }, query: { force: true } },
  });
  await client.instances.waitUntilDeleted(instanceId, { maxWaitTime: 60_000 });
}

describe('external engine pools through the API', () => {
  beforeAll(async () => {
    mosquitto = await startMosquitto();
    platform = await startTestPlatform(
      {
        ...(up.mysql && { ZW_MYSQL_URL: SERVERS.mysql }),
        ...(up.redis && { ZW_REDIS_URL: SERVERS.redis }),
        ...(up.rabbitmq && {
          ZW_RABBITMQ_URL: SERVERS.rabbitmq,
          ZW_RABBITMQ_MANAGEMENT_URL: SERVERS.rabbitmqManagement,
        }),
        ...(mosquitto && { ZW_MQTT_URL: mosquitto.url }),
      },
      { operations: { pollMs: 50, backoff: { baseMs: 100, maxMs: 300, jitter: false } } },
    );
    const text = { zh: '测试', en: 'test' };
    const create = (name: string) =>
      platform.admin.tenants.create({ parentId: null, name, displayName: text, level: 'province' });
    tenantA = (await create('ext-a')).id;
    tenantB = (await create('ext-b')).id;
    devA = platform.clientWith(await insertToken(platform.db, tenantA, 'developer'));
    devB = platform.clientWith(await insertToken(platform.db, tenantB, 'developer'));
  }, 60_000);

  afterAll(async () => {
    await platform?.close();
    await mosquitto?.stop();
  });

  it.runIf(up.mysql)(
    'MariaDB',
    async () => {
      const a = await ready(devA, tenantA, 'mysql');
      const b = await ready(devB, tenantB, 'mysql');
      const ca = await mysql.createConnection(a.credentials.uri);
      await ca.query('CREATE TABLE t (v VARCHAR(20))');
      await ca.query("INSERT INTO t VALUES ('政务')");
      await ca.end();
      const cb = await mysql.createConnection(b.credentials.uri);
      await expect(cb.query(`SELECT * FROM \`${a.credentials.database}\`.t`)).rejects.toThrow(
        /denied/,
      );
      await cb.end();
      const next = await rotate(devA, a.binding.id);
      await expect(mysql.createConnection(a.credentials.uri)).rejects.toThrow(/Access denied/);
      const c2 = await mysql.createConnection(next.uri);
      expect((await c2.query('SELECT v FROM t'))[0]).toEqual([{ v: '政务' }]);
      await c2.end();
      await remove(devA, a.instance.id);
      await remove(devB, b.instance.id);
      await expect(mysql.createConnection(next.uri)).rejects.toThrow(/Access denied/);
    },
    120_000,
  );

  it.runIf(up.redis)(
    'Redis',
    async () => {
      const a = await ready(devA, tenantA, 'redis');
      const b = await ready(devB, tenantB, 'redis');
      const options = {
        enableReadyCheck: false,
        maxRetriesPerRequest: 0,
        lazyConnect: true,
        retryStrategy: () => null,
      };
      const ra = new Redis(a.credentials.uri, options);
      await ra.connect();
      const key = `${a.credentials.keyPrefix}case:1`;
      await ra.set(key, '受理');
      expect(await ra.get(key)).toBe('受理');
      ra.disconnect();
      const rb = new Redis(b.credentials.uri, options);
      await rb.connect();
      await expect(rb.get(key)).rejects.toThrow(/NOPERM/);
      await expect(rb.scan('0')).rejects.toThrow(/NOPERM/);
      rb.disconnect();
      const next = await rotate(devA, a.binding.id);
      // The old user is gone: AUTH with it is refused by Redis itself.
      const probe = new Redis({
        host: String(a.credentials.host),
        port: Number(a.credentials.port),
        ...options,
      });
      await probe.connect();
      await expect(
        probe.auth(String(a.credentials.username), String(a.credentials.password)),
      ).rejects.toThrow(/WRONGPASS/);
      probe.disconnect();
      const r2 = new Redis(next.uri, options);
      await r2.connect();
      expect(await r2.get(key)).toBe('受理');
      r2.disconnect();

      // A Redis without an aclfile loses its users on restart: the platform puts them back.
      const adminRedis = new Redis(SERVERS.redis);
      await adminRedis.acl('DELUSER', String(next.username));
      const lost = new Redis(next.uri, options);
      lost.on('error', () => {});
      await expect(lost.connect()).rejects.toThrow();
      lost.disconnect();
      const { pools, sealer } = platform.context.services;
      expect(await reapplyRedisUsers(platform.db, pools, sealer)).toBeGreaterThanOrEqual(1);
      const back = new Redis(next.uri, options);
      await back.connect();
      expect(await back.get(key)).toBe('受理');
      back.disconnect();
      adminRedis.disconnect();
      await remove(devA, a.instance.id);
      await remove(devB, b.instance.id);
    },
    120_000,
  );

  it.runIf(up.rabbitmq)(
    'RabbitMQ',
    async () => {
      const a = await ready(devA, tenantA, 'rabbitmq');
      const b = await ready(devB, tenantB, 'rabbitmq');
      const conn = await amqp.connect(a.credentials.uri);
      const ch = await conn.createChannel();
      await ch.assertQueue('applications');
      ch.sendToQueue('applications', Buffer.from('申请'));
      const got = await ch.get('applications', { noAck: true });
      expect(got ? got.content.toString() : null).toBe('申请');
      await conn.close();
      const intoA = new URL(b.credentials.uri);
      intoA.pathname = `/${encodeURIComponent(String(a.credentials.vhost))}`;
      // RabbitMQ closes the connection at `connection.open` (access to the vhost refused).
      await expect(amqp.connect(intoA.href)).rejects.toThrow(/ConnectionClose|ACCESS_REFUSED|403/i);
      const next = await rotate(devA, a.binding.id);
      await expect(amqp.connect(a.credentials.uri)).rejects.toThrow(/ACCESS_REFUSED|403/i);
      const c2 = await amqp.connect(next.uri);
      await c2.close();
      await remove(devA, a.instance.id);
      await remove(devB, b.instance.id);
    },
    120_000,
  );

  it('MQTT on Mosquitto with dynamic security', async (context) => {
    if (!mosquitto) return context.skip();
    const a = await ready(devA, tenantA, 'mqtt');
    const b = await ready(devB, tenantB, 'mqtt');
    const connect = (uri: string) =>
      new Promise<mqtt.MqttClient>((resolve, reject) => {
        const c = mqtt.connect(uri, { reconnectPeriod: 0, connectTimeout: 5000 });
        c.once('connect', () => resolve(c));
        c.once('error', (e) => {
          c.end(true);
          reject(e);
        });
      });
    const prefix = String(a.credentials.topicPrefix);
    const sub = await connect(a.credentials.uri);
    const got: string[] = [];
    sub.on('message', (_t, p) => got.push(p.toString()));
    await sub.subscribeAsync(`${prefix}#`, { qos: 1 });
    const intruder = await connect(b.credentials.uri);
    await expect(intruder.subscribeAsync(`${prefix}#`, { qos: 1 })).rejects.toThrow(
      /Subscribe error/,
    );
    intruder.end(true);
    const pub = await connect(a.credentials.uri);
    await pub.publishAsync(`${prefix}x`, 'hello', { qos: 1 });
    await expect.poll(() => got, { timeout: 5000 }).toEqual(['hello']);
    pub.end(true);
    sub.end(true);
    const next = await rotate(devA, a.binding.id);
    await expect(connect(a.credentials.uri)).rejects.toThrow();
    (await connect(next.uri)).end(true);
    await remove(devA, a.instance.id);
    await remove(devB, b.instance.id);
  }, 120_000);
});
