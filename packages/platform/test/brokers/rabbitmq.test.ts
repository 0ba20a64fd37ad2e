import { once } from 'node:events';
import { findPlan, findService } from '@zhengwu/catalog';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { type Channel, type ChannelModel, connect } from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type BindingSpec,
  type Credentials,
  EngineUnavailableError,
  engineName,
  type InstanceSpec,
} from '../../src/brokers/broker';
import { RabbitmqBroker } from '../../src/brokers/rabbitmq';
import { newId } from '../../src/ids';
import { SERVERS, serverAvailable } from './servers';

const available =
  (await serverAvailable('RabbitMQ', SERVERS.rabbitmq, 5672)) &&
  (await serverAvailable('RabbitMQ management', SERVERS.rabbitmqManagement, 15672));

/** What amqplib says when the server refuses `connection.open` (vhost access or limit). */
const VHOST_REFUSED = /Expected ConnectionOpenOk; got <ConnectionClose/;

const instance = (limits: InstanceSpec['limits']): InstanceSpec => ({
  id: newId('ins'),
  tenantId: newId('ten'),
  plan: 'dev',
  limits,
  parameters: {},
});
/** The catalog's promise about RabbitMQ credentials. */
const credentialsValid = new Ajv2020({ strict: false }).compile(
  findService('rabbitmq')?.credentialsSchema ?? false,
);

const binding = (readOnly = false): BindingSpec => ({
  id: newId('bnd'),
  version: 1,
  parameters: { readOnly },
});

/** The error message a promise was rejected with. */
async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the call was expected to be refused');
}

/** Management API as the admin (to look at what the broker made) or as anyone. */
async function management(path: string, user?: string, password?: string) {
  const url = new URL(SERVERS.rabbitmqManagement);
  const auth = `${user ?? decodeURIComponent(url.username)}:${password ?? decodeURIComponent(url.password)}`;
  return fetch(`${url.origin}/api${path}`, {
    headers: { authorization: `Basic ${Buffer.from(auth).toString('base64')}` },
  });
}

/** Polls `probe` until `accept` holds: the management API's statistics lag by seconds. */
async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  const end = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(!available)('RabbitmqBroker against a real RabbitMQ', () => {
  const broker = new RabbitmqBroker({
    managementUrl: SERVERS.rabbitmqManagement,
    amqpUrl: SERVERS.rabbitmq,
    pool: 'rabbitmq-test',
  });
  const a = instance({ connections: 5, queues: 4 });
  // The catalog's dev plan names no queue limit: the broker's default applies.
  const devLimits = findPlan('rabbitmq', 'dev')?.limits ?? {};
  const b = instance(devLimits);
  const bindA = binding();
  const bindB = binding();
  const readOnlyA = binding(true);
  const vhostA = engineName(a.id);
  const vhostB = engineName(b.id);
  const connections: ChannelModel[] = [];
  let credsA: Credentials;
  let credsB: Credentials;
  let credsV2: Credentials;
  let connA: ChannelModel;
  let channelA: Channel;
  const ours = () => [
    vhostA,
    vhostB,
    ...[bindA, bindB, readOnlyA].flatMap((x) => [1, 2].map((v) => engineName(x.id, v))),
  ];
  const open = async (uri: string) => {
    const connection = await connect(uri);
    connection.on('error', () => {});
    connections.push(connection);
    return connection;
  };
  const closeAll = async () => {
    for (const connection of connections.splice(0)) await connection.close().catch(() => {});
  };

  afterAll(async () => {
    await closeAll();
    await broker.deprovision(a);
    await broker.deprovision(b);
    const { instances, credentials } = await broker.inventory();
    await broker.close();
    expect([...instances, ...credentials].filter((name) => ours().includes(name))).toEqual([]);
  });

  it('reports the pool healthy', async () => {
    expect(await broker.health()).toEqual({ available: true });
  });

  it('provisions a vhost per instance with the plan limits, idempotently', async () => {
    for (const x of [a, b, a, b]) await broker.provision(x);
    const { instances } = await broker.inventory();
    expect(instances).toEqual(expect.arrayContaining([vhostA, vhostB]));
    const limitsA = await (await management(`/vhost-limits/${vhostA}`)).json();
    expect(limitsA).toEqual([{ vhost: vhostA, value: { 'max-connections': 5, 'max-queues': 4 } }]);
    const limitsB = await (await management(`/vhost-limits/${vhostB}`)).json();
    expect(limitsB[0].value).toEqual({
      'max-connections': devLimits.connections,
      'max-queues': 1000,
    });
  });

  it('binds, idempotently; the last credentials log in and the first no longer do', async () => {
    const first = await broker.bind(a, bindA);
    credsA = await broker.bind(a, bindA);
    credsB = await broker.bind(b, bindB);
    expect(credsA).toMatchObject({
      uri: `amqp://${engineName(bindA.id, 1)}:${credsA.password}@127.0.0.1:5672/${vhostA}`,
      host: '127.0.0.1',
      port: 5672,
      vhost: vhostA,
      username: engineName(bindA.id, 1),
      tls: { mode: 'disable', gm: false },
    });
    expect(credentialsValid(credsA), JSON.stringify(credentialsValid.errors)).toBe(true);
    expect(Buffer.from(credsA.password as string, 'base64url')).toHaveLength(32);
    expect(await refusal(open(first.uri as string))).toMatch(/ACCESS.REFUSED/);
    connA = await open(credsA.uri as string);
    channelA = await connA.createChannel();
  });

  it('declares a queue, publishes and consumes with the ordinary client', async () => {
    await channelA.assertQueue('jobs', { durable: true });
    channelA.sendToQueue('jobs', Buffer.from('办理 #1'));
    const consumer = await open(credsA.uri as string);
    const channel = await consumer.createChannel();
    const delivered = new Promise<string>((resolve) => {
      void channel.consume(
        'jobs',
        (message) => {
          if (message) resolve(message.content.toString());
        },
        { noAck: true },
      );
    });
    expect(await delivered).toBe('办理 #1');
    await consumer.close();
    connections.splice(connections.indexOf(consumer), 1);
  });

  it("keeps B out of A's vhost, the default vhost and the management API", async () => {
    // The server closes the connection at `connection.open` (530 NOT_ALLOWED, access to
    // vhost refused); amqplib reports only that the open was answered with a close.
    const intoA = `amqp://${credsB.username}:${credsB.password}@127.0.0.1:5672/${vhostA}`;
    expect(await refusal(open(intoA))).toMatch(VHOST_REFUSED);
    const intoDefault = `amqp://${credsB.username}:${credsB.password}@127.0.0.1:5672/%2F`;
    expect(await refusal(open(intoDefault))).toMatch(VHOST_REFUSED);
    const permissions = await (await management(`/users/${credsB.username}/permissions`)).json();
    expect(permissions).toEqual([
      { user: credsB.username, vhost: vhostB, configure: '.*', write: '.*', read: '.*' },
    ]);
    // In its own vhost B sees none of A's queues.
    const connB = await open(credsB.uri as string);
    const channel = await connB.createChannel();
    channel.on('error', () => {});
    expect(await refusal(channel.checkQueue('jobs'))).toMatch(/NOT_FOUND/);
    const api = await management('/whoami', credsB.username as string, credsB.password as string);
    expect(api.status).toBe(401);
    const queuesOfA = await management(
      `/queues/${vhostA}`,
      credsB.username as string,
      credsB.password as string,
    );
    expect(queuesOfA.status).toBe(401);
  });

  it("enforces the plan's max-connections and max-queues on the vhost", async () => {
    // connA is open; four more reach the limit of five; one closed makes room again.
    const extra: ChannelModel[] = [];
    for (let i = 0; i < 4; i++) extra.push(await open(credsA.uri as string));
    expect(await refusal(open(credsA.uri as string))).toMatch(VHOST_REFUSED);
    await extra.pop()?.close();
    extra.push(await open(credsA.uri as string));
    for (const connection of extra) {
      await connection.close();
      connections.splice(connections.indexOf(connection), 1);
    }
    // `jobs` exists; three more reach the limit of four.
    const channel = await connA.createChannel();
    channel.on('error', () => {});
    for (let i = 1; i <= 3; i++) await channel.assertQueue(`extra-${i}`, { autoDelete: false });
    expect(await refusal(channel.assertQueue('extra-4'))).toMatch(/queue limit/);
    const cleanup = await connA.createChannel();
    for (let i = 1; i <= 3; i++) await cleanup.deleteQueue(`extra-${i}`);
    await cleanup.close();
  });

  it('lets a read-only binding consume but not declare or publish', async () => {
    channelA.sendToQueue('jobs', Buffer.from('for the reader'));
    const credentials = await broker.bind(a, readOnlyA);
    const reader = await open(credentials.uri as string);
    const consume = await reader.createChannel();
    const message = await eventually(
      () => consume.get('jobs', { noAck: true }),
      (m) => m !== false,
    );
    expect(message === false ? false : message.content.toString()).toBe('for the reader');
    const declare = await reader.createChannel();
    declare.on('error', () => {});
    expect(await refusal(declare.assertQueue('mine'))).toMatch(/ACCESS_REFUSED/);
    const publish = await reader.createChannel();
    const refused = once(publish, 'error');
    publish.sendToQueue('jobs', Buffer.from('forged'));
    expect(String((await refused)[0])).toMatch(/ACCESS_REFUSED - access to exchange 'amq.default'/);
    const checked = await channelA.checkQueue('jobs');
    expect(checked.messageCount).toBe(0);
  });

  it('reports usage: messages, message bytes and connections of the vhost', async () => {
    for (let i = 0; i < 10; i++) channelA.sendToQueue('jobs', Buffer.alloc(1000, 'x'));
    // connA and the read-only binding's connection.
    const usage = await eventually(
      () => broker.usage(a),
      (u) => u.messages === 10 && u.connections === 2 && u.storageMb === 1,
    );
    expect(usage).toEqual({ messages: 10, storageMb: 1, connections: 2 });
    expect(await broker.usage(b)).toEqual({ messages: 0, storageMb: 0, connections: 1 });
  });

  it("rotates: v2 sees v1's queue, v1 is disconnected and can no longer log in", async () => {
    credsV2 = await broker.bind(a, { ...bindA, version: 2 });
    const closed = once(connA, 'close');
    await broker.unbind(a, bindA);
    await broker.unbind(a, bindA);
    expect(String((await closed)[0])).toMatch(/CONNECTION.FORCED/);
    expect(await refusal(open(credsA.uri as string))).toMatch(/ACCESS.REFUSED/);
    const connV2 = await open(credsV2.uri as string);
    const channel = await connV2.createChannel();
    expect((await channel.checkQueue('jobs')).messageCount).toBe(10);
    const { credentials } = await broker.inventory();
    expect(credentials).toContain(engineName(bindA.id, 2));
    expect(credentials).not.toContain(engineName(bindA.id, 1));
  });

  it('applies a plan update to the vhost limits, idempotently', async () => {
    const bigger = { ...a, limits: { connections: 50, queues: 20 } };
    await broker.update(bigger);
    await broker.update(bigger);
    const limits = await (await management(`/vhost-limits/${vhostA}`)).json();
    expect(limits[0].value).toEqual({ 'max-connections': 50, 'max-queues': 20 });
  });

  it('deprovisions the vhost, its users and sessions, idempotently', async () => {
    await broker.deprovision(a);
    await broker.deprovision(a);
    const { instances, credentials } = await broker.inventory();
    expect(instances).not.toContain(vhostA);
    expect(instances).toContain(vhostB);
    const leftOfA = [bindA, readOnlyA].flatMap((x) => [1, 2].map((v) => engineName(x.id, v)));
    expect(credentials.filter((c) => leftOfA.includes(c))).toEqual([]);
    expect(credentials).toContain(engineName(bindB.id, 1));
    expect((await management(`/vhosts/${vhostA}`)).status).toBe(404);
    expect(await refusal(open(credsV2.uri as string))).toMatch(/ACCESS.REFUSED/);
    await closeAll();
    await broker.unbind(b, bindB);
    await broker.deprovision(b);
    expect(await broker.usage(b)).toEqual({ messages: 0, storageMb: 0, connections: 0 });
  });

  it('fails with EngineUnavailableError, without the password, when RabbitMQ is down', async () => {
    const down = new RabbitmqBroker({
      managementUrl: 'http://zw:hunter2-secret@127.0.0.1:1',
      amqpUrl: SERVERS.rabbitmq,
    });
    const error = await down.provision(instance({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as Error).message).not.toContain('hunter2');
    const health = await down.health();
    expect(health.available).toBe(false);
    expect(JSON.stringify(health)).not.toContain('hunter2');
  });

  it('reports refused admin credentials as unavailable', async () => {
    const url = new URL(SERVERS.rabbitmqManagement);
    url.password = 'not-the-password';
    const wrong = new RabbitmqBroker({ managementUrl: url.href, amqpUrl: SERVERS.rabbitmq });
    const health = await wrong.health();
    expect(health).toEqual({
      available: false,
      reason: expect.stringMatching(/admin credentials/),
    });
    expect(JSON.stringify(health)).not.toContain('not-the-password');
  });
});
