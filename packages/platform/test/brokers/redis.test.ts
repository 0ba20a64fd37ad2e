import { once } from 'node:events';
import { connect } from 'node:net';
import { findPlan, findService } from '@zhengwu/catalog';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BindingSpec,
  type Credentials,
  EngineUnavailableError,
  engineName,
  type InstanceSpec,
} from '../../src/brokers/broker';
import { RedisBroker } from '../../src/brokers/redis';
import { newId } from '../../src/ids';
import { login } from './redis-login';
import { SERVERS, serverAvailable } from './servers';

const available = await serverAvailable('Redis', SERVERS.redis, 6379);

const instance = (plan = 'dev'): InstanceSpec => ({
  id: newId('ins'),
  tenantId: newId('ten'),
  plan,
  limits: findPlan('redis', plan)?.limits ?? {},
  parameters: {},
});

/** The catalog's promise about Redis credentials. */
const credentialsValid = new Ajv2020({ strict: false }).compile(
  findService('redis')?.credentialsSchema ?? false,
);
const binding = (readOnly = false): BindingSpec => ({
  id: newId('bnd'),
  version: 1,
  parameters: { readOnly },
});

/** The error message a call was refused with. */
async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the call was expected to be refused');
}

const NOPERM = /^NOPERM/;

describe.skipIf(!available)('RedisBroker against a real Redis', () => {
  const broker = new RedisBroker({ url: SERVERS.redis, pool: 'redis-test' });
  const admin = new Redis(SERVERS.redis, { lazyConnect: true });
  const a = instance();
  const b = instance();
  const bindA = binding();
  const bindB = binding();
  const readOnlyA = binding(true);
  const clients: Redis[] = [];
  let credsA: Credentials;
  let credsB: Credentials;
  let credsV2: Credentials;
  let clientA: Redis;
  let clientB: Redis;
  const prefixA = `${engineName(a.id)}:`;
  const prefixB = `${engineName(b.id)}:`;
  const ours = () => [
    engineName(a.id),
    engineName(b.id),
    ...[bindA, bindB, readOnlyA].flatMap((x) => [1, 2].map((v) => engineName(x.id, v))),
  ];
  const track = async (credentials: Credentials) => {
    const client = await login(credentials);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    await admin.connect();
  });

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await broker.deprovision(a);
    await broker.deprovision(b);
    const inventory = await broker.inventory();
    admin.disconnect();
    await broker.close();
    const left = [...inventory.instances, ...inventory.credentials];
    expect(left.filter((name) => ours().includes(name))).toEqual([]);
  });

  it('reports the pool healthy', async () => {
    expect(await broker.health()).toEqual({ available: true });
  });

  it('provisions two instances, idempotently', async () => {
    for (const x of [a, b, a, b]) await broker.provision(x);
    const { instances } = await broker.inventory();
    expect(instances).toEqual(expect.arrayContaining([engineName(a.id), engineName(b.id)]));
  });

  it('binds each instance, idempotently, and the last credentials log in', async () => {
    const first = await broker.bind(a, bindA);
    credsA = await broker.bind(a, bindA);
    credsB = await broker.bind(b, bindB);
    expect(credsA).toMatchObject({
      uri: expect.stringMatching(/^redis:\/\/zw_b_[a-z0-9]+_v1:[\w-]{43}@127\.0\.0\.1:6379$/),
      host: '127.0.0.1',
      port: 6379,
      username: engineName(bindA.id, 1),
      keyPrefix: prefixA,
      tls: { mode: 'disable', gm: false },
    });
    expect(credentialsValid(credsA), JSON.stringify(credentialsValid.errors)).toBe(true);
    // 32 random bytes: 256 bits.
    expect(Buffer.from(credsA.password as string, 'base64url')).toHaveLength(32);
    expect(credsA.password).not.toBe(first.password);
    expect(await refusal(login(first))).toMatch(/^WRONGPASS/);
    clientA = await track(credsA);
    clientB = await track(credsB);
    expect(await clientA.acl('WHOAMI')).toBe(engineName(bindA.id, 1));
  });

  it('writes and reads keys and pub/sub inside the prefix', async () => {
    await clientA.set(`${prefixA}greeting`, '你好');
    expect(await clientA.get(`${prefixA}greeting`)).toBe('你好');
    await clientA.sadd(`${prefixA}set`, '3', '1', '2');
    expect(await clientA.sort(`${prefixA}set`)).toEqual(['1', '2', '3']);
    expect(await clientA.eval('return redis.call("GET", KEYS[1])', 1, `${prefixA}greeting`)).toBe(
      '你好',
    );
    expect(await clientA.memory('USAGE', `${prefixA}greeting`)).toBeGreaterThan(0);

    const subscriber = await track(credsA);
    const received = once(subscriber, 'message');
    await subscriber.subscribe(`${prefixA}news`);
    expect(await clientA.publish(`${prefixA}news`, 'hello')).toBe(1);
    expect(await received).toEqual([`${prefixA}news`, 'hello']);
  });

  it("keeps B out of A's keys and channels", async () => {
    await clientB.set(`${prefixB}mine`, 'b');
    expect(await refusal(clientB.get(`${prefixA}greeting`))).toMatch(NOPERM);
    expect(await refusal(clientB.set(`${prefixA}greeting`, 'x'))).toMatch(NOPERM);
    expect(await refusal(clientB.del(`${prefixA}greeting`))).toMatch(NOPERM);
    expect(await refusal(clientB.rename(`${prefixB}mine`, `${prefixA}stolen`))).toMatch(NOPERM);
    expect(await refusal(clientB.mget(`${prefixB}mine`, `${prefixA}greeting`))).toMatch(NOPERM);
    expect(await refusal(clientB.publish(`${prefixA}news`, 'spoof'))).toMatch(NOPERM);
    const subscriber = await track(credsB);
    expect(await refusal(subscriber.subscribe(`${prefixA}news`))).toMatch(NOPERM);
    expect(await refusal(subscriber.psubscribe('*'))).toMatch(NOPERM);
    expect(
      await refusal(clientB.eval('return redis.call("GET", KEYS[1])', 1, `${prefixA}greeting`)),
    ).toMatch(NOPERM);
    expect(
      await refusal(clientB.eval(`return redis.call("GET", "${prefixA}greeting")`, 0)),
    ).toMatch(/can't access/);
    // A's data is untouched.
    expect(await clientA.get(`${prefixA}greeting`)).toBe('你好');
  });

  it('denies every command that reveals other tenants or escapes the prefix', async () => {
    const denied: [string, ...(string | number)[]][] = [
      ['SCAN', 0],
      ['SCAN', 0, 'MATCH', `${prefixB}*`],
      ['RANDOMKEY'],
      ['DBSIZE'],
      ['SELECT', 1],
      ['KEYS', '*'],
      ['SWAPDB', 0, 1],
      ['MOVE', `${prefixA}greeting`, 1],
      ['COPY', `${prefixA}greeting`, `${prefixA}copy`, 'DB', 1],
      ['FLUSHALL'],
      ['FLUSHDB'],
      ['CONFIG', 'GET', '*'],
      ['INFO', 'keyspace'],
      ['PUBSUB', 'CHANNELS'],
      ['PUBSUB', 'NUMSUB', `${prefixB}news`],
      ['PUBSUB', 'NUMPAT'],
      ['PUBSUB', 'SHARDCHANNELS'],
      ['CLIENT', 'LIST'],
      ['CLIENT', 'KILL', 'USER', 'default'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST'],
      ['CLIENT', 'PAUSE', 10],
      ['MEMORY', 'STATS'],
      ['MEMORY', 'DOCTOR'],
      ['MEMORY', 'MALLOC-STATS'],
      ['MEMORY', 'PURGE'],
      ['FUNCTION', 'LIST'],
      ['FUNCTION', 'FLUSH'],
      ['FUNCTION', 'STATS'],
      ['SCRIPT', 'FLUSH'],
      ['SCRIPT', 'KILL'],
      ['SCRIPT', 'EXISTS', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db'],
      ['CLUSTER', 'GETKEYSINSLOT', 0, 10],
      ['CLUSTER', 'COUNTKEYSINSLOT', 0],
      ['MIGRATE', '127.0.0.1', 6380, `${prefixA}greeting`, 0, 100],
      ['ACL', 'LIST'],
      ['ACL', 'USERS'],
      ['ACL', 'LOG'],
      ['SLOWLOG', 'GET'],
      ['MONITOR'],
      ['OBJECT', 'ENCODING', `${prefixB}mine`],
      ['MEMORY', 'USAGE', `${prefixB}mine`],
    ];
    const leaks: string[] = [];
    for (const [command, ...args] of denied) {
      const message = await refusal(clientA.call(command, ...args)).catch(() => 'ALLOWED');
      if (!NOPERM.test(message)) leaks.push(`${command} ${args.join(' ')}: ${message}`);
    }
    expect(leaks).toEqual([]);
    // Redis itself refuses SORT's BY/GET patterns to a user without access to every key.
    expect(await refusal(clientA.sort(`${prefixA}set`, 'BY', `${prefixB}*`))).toMatch(/BY option/);
    expect(await refusal(clientA.call('SORT', `${prefixA}set`, 'GET', `${prefixB}*`))).toMatch(
      /GET option/,
    );
    expect(await refusal(clientA.eval('return redis.call("SCAN", "0")', 0))).toMatch(/can't run/);
  });

  it('proves the BCAST tracking leak is closed on the wire (RESP3)', async () => {
    // Measured leak: a tracking client in BCAST mode is told every key any client writes.
    const socket = connect(6379, '127.0.0.1');
    let wire = '';
    socket.on('data', (chunk) => {
      wire += chunk.toString();
    });
    await once(socket, 'connect');
    socket.write(`HELLO 3 AUTH ${credsA.username} ${credsA.password}\r\nACL WHOAMI\r\n`);
    await new Promise((r) => setTimeout(r, 100));
    // Logged in as A: a refused AUTH would leave the socket on the default user.
    expect(wire).toContain(`\r\n${credsA.username}\r\n`);
    socket.write('CLIENT TRACKING on BCAST\r\n');
    await new Promise((r) => setTimeout(r, 100));
    await admin.set(`${prefixB}tracked`, 'secret name');
    await new Promise((r) => setTimeout(r, 100));
    socket.destroy();
    await admin.del(`${prefixB}tracked`);
    expect(wire).toMatch(/NOPERM/);
    expect(wire).not.toContain(`${prefixB}tracked`);
  });

  it('keeps a read-only binding from writing or publishing', async () => {
    const credentials = await broker.bind(a, readOnlyA);
    const reader = await track(credentials);
    expect(await reader.get(`${prefixA}greeting`)).toBe('你好');
    expect(await reader.sort_ro(`${prefixA}set`)).toEqual(['1', '2', '3']);
    expect(await refusal(reader.set(`${prefixA}greeting`, 'x'))).toMatch(NOPERM);
    expect(await refusal(reader.del(`${prefixA}greeting`))).toMatch(NOPERM);
    expect(await refusal(reader.expire(`${prefixA}greeting`, 1))).toMatch(NOPERM);
    expect(await refusal(reader.publish(`${prefixA}news`, 'x'))).toMatch(NOPERM);
    expect(
      await refusal(reader.eval('return redis.call("SET", KEYS[1], "x")', 1, `${prefixA}greeting`)),
    ).toMatch(/can't run|NOPERM/);
    expect(await refusal(reader.call('SCAN', 0))).toMatch(NOPERM);
    expect(await refusal(reader.call('SELECT', 1))).toMatch(NOPERM);
    expect(await refusal(reader.get(`${prefixB}mine`))).toMatch(NOPERM);
    // A second barrier: the keys themselves are read-only for this user.
    const rules = (await admin.acl('GETUSER', engineName(readOnlyA.id, 1))) as unknown[];
    expect(rules[rules.indexOf('keys') + 1]).toBe(`%R~${prefixA}*`);
    // It may still listen on the prefix.
    const listener = await track(credentials);
    const received = once(listener, 'message');
    await listener.subscribe(`${prefixA}news`);
    await clientA.publish(`${prefixA}news`, 'to readers');
    expect(await received).toEqual([`${prefixA}news`, 'to readers']);
    expect(await clientA.get(`${prefixA}greeting`)).toBe('你好');
  });

  it('reports usage per instance: keys, memory, connections', async () => {
    const value = 'x'.repeat(10 * 1024);
    const pipeline = clientB.pipeline();
    for (let i = 0; i < 100; i++) pipeline.set(`${prefixB}blob:${i}`, value);
    await pipeline.exec();
    const usageB = await broker.usage(b);
    // 100 blobs + `mine`; clientB and B's refused subscriber are B's only connections.
    expect(usageB.keys).toBe(101);
    expect(usageB.storageMb).toBeGreaterThanOrEqual(1);
    expect(usageB.storageMb).toBeLessThanOrEqual(2);
    expect(usageB.memoryMb).toBe(usageB.storageMb);
    expect(usageB.connections).toBe(2);
    // Estimated from a 10-key sample: still the same order of size.
    const sampling = new RedisBroker({ url: SERVERS.redis, usageSampleKeys: 10 });
    const estimate = await sampling.usage(b);
    expect(estimate.keys).toBe(101);
    expect(estimate.storageMb).toBeGreaterThanOrEqual(1);
    expect(estimate.storageMb).toBeLessThanOrEqual(2);
    const usageA = await broker.usage(a);
    expect(usageA.keys).toBe(2);
    expect(usageA.storageMb).toBe(1);
    // clientA, A's subscriber, the reader and the listener.
    expect(usageA.connections).toBe(4);
  });

  it('rotates: v2 sees v1 data, v1 is dropped and can no longer log in', async () => {
    const v1 = { ...bindA, version: 1 };
    const v2 = { ...bindA, version: 2 };
    credsV2 = await broker.bind(a, v2);
    expect(credsV2.username).toBe(engineName(bindA.id, 2));
    const ended = once(clientA, 'end');
    await broker.unbind(a, v1);
    await broker.unbind(a, v1);
    await ended;
    expect(clientA.status).toBe('end');
    expect(await refusal(login(credsA))).toMatch(/^WRONGPASS/);
    const clientV2 = await track(credsV2);
    expect(await clientV2.get(`${prefixA}greeting`)).toBe('你好');
    const { credentials } = await broker.inventory();
    expect(credentials).toContain(engineName(bindA.id, 2));
    expect(credentials).not.toContain(engineName(bindA.id, 1));
  });

  it('re-applies users a restart lost, with their passwords', async () => {
    // What a Redis without an aclfile does to our users on restart.
    await admin.acl('DELUSER', engineName(bindB.id, 1));
    expect(await refusal(login(credsB))).toMatch(/^WRONGPASS/);
    await broker.reapply([{ instance: b, binding: bindB, credentials: credsB }]);
    const again = await track(credsB);
    expect(await again.get(`${prefixB}mine`)).toBe('b');
    expect(await refusal(again.get(`${prefixA}greeting`))).toMatch(NOPERM);
    expect(await broker.persistence()).toBe(
      (await admin.config('GET', 'aclfile'))[1] ? 'aclfile' : 'memory',
    );
  });

  it('records a plan update, idempotently', async () => {
    const bigger = { ...a, plan: 's', limits: findPlan('redis', 's')?.limits ?? {} };
    await broker.update(bigger);
    await broker.update(bigger);
    const record = JSON.parse((await admin.hget('zw:broker:instances', engineName(a.id))) ?? '{}');
    expect(record).toMatchObject({ plan: 's', limits: bigger.limits });
  });

  it('warns when the default user lets anyone skip AUTH', async () => {
    const list = (await admin.acl('LIST')) as string[];
    const rules = list.find((line) => line.startsWith('user default ')) ?? '';
    const open = / on /.test(rules) && / nopass /.test(rules);
    expect((await broker.securityWarnings()).length).toBe(open ? 1 : 0);
  });

  it('deprovisions keys, users and sessions, idempotently', async () => {
    await broker.deprovision(a);
    await broker.deprovision(a);
    const [, keys] = await admin.scan('0', 'MATCH', `${prefixA}*`, 'COUNT', 100_000);
    expect(keys).toEqual([]);
    const { instances, credentials } = await broker.inventory();
    expect(instances).not.toContain(engineName(a.id));
    expect(instances).toContain(engineName(b.id));
    expect(credentials.filter((c) => c.startsWith(engineName(bindA.id)))).toEqual([]);
    expect(credentials.filter((c) => c.startsWith(engineName(readOnlyA.id)))).toEqual([]);
    expect(await refusal(login(credsV2))).toMatch(/^WRONGPASS/);
    // B is untouched.
    expect(await broker.usage(b)).toMatchObject({ keys: 101 });
    await broker.unbind(b, bindB);
    await broker.deprovision(b);
    expect(await broker.usage(b)).toMatchObject({ keys: 0, storageMb: 0, connections: 0 });
  });

  it('fails with EngineUnavailableError, without the password, when Redis is down', async () => {
    const down = new RedisBroker({ url: 'redis://zw:hunter2-secret@127.0.0.1:1' });
    const error = await down.provision(instance()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect(String((error as Error).message)).not.toContain('hunter2');
    const health = await down.health();
    expect(health.available).toBe(false);
    expect(JSON.stringify(health)).not.toContain('hunter2');
  });
});
