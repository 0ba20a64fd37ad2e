import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BindingSpec, Credentials, InstanceSpec } from '../../src/brokers/broker.js';
import { engineName } from '../../src/brokers/broker.js';
import { EmbeddedMqttBroker } from '../../src/brokers/mqtt/embedded-broker.js';
import {
  bindingSpec,
  catalogViolations,
  closed,
  connectWith,
  endClients,
  eventually,
  inbox,
  instanceSpec,
  nextVersion,
  pause,
  refusalCode,
  subscribeOutcome,
} from './mqtt-helpers.js';

/** MQTT 3.1.1 CONNACK and SUBACK codes. */
const BAD_USERNAME_OR_PASSWORD = 4;
const SERVER_UNAVAILABLE = 3;
const SUBACK_FAILURE = 128;

let dataDir: string;
let broker: EmbeddedMqttBroker;
/** Every instance a test made, deprovisioned after the suite. */
const made: InstanceSpec[] = [];

async function provisioned(tenant: string, options?: Parameters<typeof instanceSpec>[1]) {
  const instance = instanceSpec(tenant, options);
  made.push(instance);
  await broker.provision(instance);
  return instance;
}

async function bound(instance: InstanceSpec, parameters: Record<string, unknown> = {}) {
  const binding = bindingSpec(parameters);
  const credentials = await broker.bind(instance, binding);
  return { binding, credentials };
}

const prefixOf = (credentials: Credentials) => String(credentials.topicPrefix);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'zw-mqtt-embedded-'));
  broker = new EmbeddedMqttBroker({ dataDir });
  await broker.start();
});

afterEach(endClients);

afterAll(async () => {
  try {
    await endClients();
    for (const instance of made) await broker.deprovision(instance);
    expect(await broker.inventory()).toEqual({ instances: [], credentials: [] });
  } finally {
    await broker.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

describe('embedded MQTT broker (aedes)', () => {
  it('is healthy once started and hands out truthful credentials', async () => {
    expect(await broker.health()).toEqual({ available: true });
    expect(broker.port).toBeGreaterThan(0);
    const instance = await provisioned('ten_a');
    const { binding, credentials } = await bound(instance);
    expect(credentials).toMatchObject({
      host: '127.0.0.1',
      port: broker.port,
      username: engineName(binding.id, 1),
      topicPrefix: `${engineName(instance.id)}/`,
      tls: { mode: 'disable', gm: false },
    });
    expect(String(credentials.uri)).toMatch(/^mqtt:\/\//);
    expect(catalogViolations(credentials)).toEqual([]);
    // ≥ 128 random bits: 24 bytes in base64url.
    expect(String(credentials.password)).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('lets tenants A and B publish and receive QoS 1 under their own prefixes', async () => {
    for (const tenant of ['ten_a', 'ten_b']) {
      const { credentials } = await bound(await provisioned(tenant));
      const client = await connectWith(credentials);
      const received = inbox(client);
      expect(await subscribeOutcome(client, `${prefixOf(credentials)}#`)).toBe('granted');
      await client.publishAsync(`${prefixOf(credentials)}sensors/1`, `hello ${tenant}`, { qos: 1 });
      await eventually(() => received.length === 1);
      expect(received[0]).toMatchObject({
        topic: `${prefixOf(credentials)}sensors/1`,
        payload: `hello ${tenant}`,
        qos: 1,
      });
    }
  });

  it("refuses B's subscriptions to A's prefix and wildcards outside its own", async () => {
    const a = await bound(await provisioned('ten_a'));
    const b = await bound(await provisioned('ten_b'));
    const bClient = await connectWith(b.credentials);
    const aPrefix = prefixOf(a.credentials);
    const refused = [
      `${aPrefix}#`,
      `${aPrefix}sensors/1`,
      '#',
      '+/#',
      '+/sensors/1',
      `${aPrefix.slice(0, -1)}`,
      '+/+',
      '$SYS/#',
      `$share/g/${aPrefix}#`,
    ];
    for (const filter of refused) {
      expect([filter, await subscribeOutcome(bClient, filter)]).toEqual([filter, SUBACK_FAILURE]);
    }
    expect(await subscribeOutcome(bClient, `${prefixOf(b.credentials)}+/1`)).toBe('granted');
    // Nothing A publishes reaches B.
    const bReceived = inbox(bClient);
    const aClient = await connectWith(a.credentials);
    await aClient.publishAsync(`${aPrefix}sensors/1`, 'secret', { qos: 1 });
    await pause(300);
    expect(bReceived).toEqual([]);
  });

  it("drops B's connection when it publishes into A's prefix, and nothing crosses", async () => {
    const a = await bound(await provisioned('ten_a'));
    const b = await bound(await provisioned('ten_b'));
    const aClient = await connectWith(a.credentials);
    const aReceived = inbox(aClient);
    await aClient.subscribeAsync(`${prefixOf(a.credentials)}#`, { qos: 1 });
    for (const topic of [`${prefixOf(a.credentials)}sensors/1`, 'elsewhere/x']) {
      const bClient = await connectWith(b.credentials);
      const dropped = closed(bClient);
      bClient.publish(topic, 'forged', { qos: 1 });
      await dropped;
    }
    await pause(300);
    expect(aReceived).toEqual([]);
  });

  it("keeps a tenant's session when another tenant's client reuses its client id", async () => {
    const a = await bound(await provisioned('ten_a'));
    const b = await bound(await provisioned('ten_b'));
    const options = { clientId: 'device-0001', clean: false };
    const aClient = await connectWith(a.credentials, options);
    await aClient.subscribeAsync(`${prefixOf(a.credentials)}#`, { qos: 1 });
    const aReceived = inbox(aClient);
    const bClient = await connectWith(b.credentials, options);
    const bReceived = inbox(bClient);
    await pause(200);
    expect(aClient.connected).toBe(true);
    const publisher = await connectWith(a.credentials);
    await publisher.publishAsync(`${prefixOf(a.credentials)}x`, 'for A only', { qos: 1 });
    await eventually(() => aReceived.length === 1);
    await pause(200);
    expect(bReceived).toEqual([]);
  });

  it('refuses wrong passwords, unknown users and missing passwords with CONNACK 4', async () => {
    const a = await bound(await provisioned('ten_a'));
    const b = await bound(await provisioned('ten_b'));
    const wrong = [
      {
        ...a.credentials,
        uri: `mqtt://${a.credentials.username}:${b.credentials.password}@127.0.0.1:${broker.port}`,
      },
      { ...a.credentials, uri: `mqtt://${a.credentials.username}:x@127.0.0.1:${broker.port}` },
      {
        ...a.credentials,
        uri: `mqtt://zw_b_nobody_v1:${a.credentials.password}@127.0.0.1:${broker.port}`,
      },
      { ...a.credentials, uri: `mqtt://${a.credentials.username}@127.0.0.1:${broker.port}` },
      { ...a.credentials, uri: `mqtt://__proto__:x@127.0.0.1:${broker.port}` },
      { ...a.credentials, uri: `mqtt://127.0.0.1:${broker.port}` },
    ];
    for (const credentials of wrong) {
      expect(await refusalCode(credentials)).toBe(BAD_USERNAME_OR_PASSWORD);
    }
  });

  it('lets a read-only binding subscribe but not publish', async () => {
    const instance = await provisioned('ten_a');
    const writer = await bound(instance);
    const reader = await bound(instance, { readOnly: true });
    const readerClient = await connectWith(reader.credentials);
    const readerReceived = inbox(readerClient);
    expect(await subscribeOutcome(readerClient, `${prefixOf(reader.credentials)}#`)).toBe(
      'granted',
    );
    const writerClient = await connectWith(writer.credentials);
    await writerClient.publishAsync(`${prefixOf(writer.credentials)}a`, 'from writer', { qos: 1 });
    await eventually(() => readerReceived.length === 1);
    const dropped = closed(readerClient);
    readerClient.publish(`${prefixOf(reader.credentials)}a`, 'from reader', { qos: 1 });
    await dropped;
    const watcher = await connectWith(writer.credentials);
    const watched = inbox(watcher);
    await watcher.subscribeAsync(`${prefixOf(writer.credentials)}#`, { qos: 1 });
    await pause(200);
    expect(watched).toEqual([]);
    expect(readerReceived.map((m) => m.payload)).toEqual(['from writer']);
  });

  it('rotates: v2 works, v1 is refused and its live connection dropped at once', async () => {
    const instance = await provisioned('ten_a');
    const v1 = await bound(instance);
    const v1Client = await connectWith(v1.credentials);
    const v2Binding = nextVersion(v1.binding);
    const v2 = await broker.bind(instance, v2Binding);
    expect(v2.username).toBe(engineName(v1.binding.id, 2));
    const dropped = closed(v1Client);
    const started = Date.now();
    await broker.unbind(instance, v1.binding);
    await dropped;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await refusalCode(v1.credentials)).toBe(BAD_USERNAME_OR_PASSWORD);
    const v2Client = await connectWith(v2);
    const received = inbox(v2Client);
    await v2Client.subscribeAsync(`${prefixOf(v2)}#`, { qos: 1 });
    await v2Client.publishAsync(`${prefixOf(v2)}after-rotation`, 'ok', { qos: 1 });
    await eventually(() => received.length === 1);
  });

  it('keeps credentials across close() and start(), in a private file without passwords', async () => {
    const instance = await provisioned('ten_a');
    const { credentials } = await bound(instance);
    const port = broker.port;
    await broker.close();
    expect(await broker.health()).toMatchObject({ available: false });
    await broker.start();
    expect(broker.port).toBe(port);
    const client = await connectWith(credentials);
    expect(client.connected).toBe(true);
    await client.endAsync();

    // A new broker object over the same data dir (a platform restart) knows them too.
    await broker.close();
    broker = new EmbeddedMqttBroker({ dataDir, port });
    await broker.start();
    await (await connectWith(credentials)).endAsync();

    const file = join(dataDir, 'engines', 'mqtt', 'credentials.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    expect(text).toContain(String(credentials.username));
    expect(text).not.toContain(String(credentials.password));
  });

  it('closes a connection whose packet would be too large, before its bytes arrive', async () => {
    // Unauthenticated: a CONNECT header announcing 100 MiB.
    const socket = createConnection(broker.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const announced = Buffer.from([0x10, 0x80, 0x80, 0x80, 0x32]); // remaining length 100 MiB
    const gone = new Promise((resolve) => socket.once('close', resolve));
    socket.write(announced);
    await gone;

    // Authenticated: 1 MiB passes, 2 MiB closes the publisher's connection.
    const instance = await provisioned('ten_big');
    const { credentials } = await bound(instance);
    const prefix = prefixOf(credentials);
    const reader = await connectWith(credentials);
    const received = inbox(reader);
    await reader.subscribeAsync(`${prefix}big`, { qos: 1 });
    const writer = await connectWith(credentials);
    await writer.publishAsync(`${prefix}big`, Buffer.alloc(1024 * 1024, 1), { qos: 1 });
    await eventually(() => received.length === 1);
    const dropped = closed(writer);
    writer.publish(`${prefix}big`, Buffer.alloc(2 * 1024 * 1024, 2), { qos: 0 });
    await dropped;
    await pause(200);
    expect(received).toHaveLength(1);
  });

  it('enforces the plan connection limit per instance', async () => {
    const limited = await provisioned('ten_a', { connections: 2 });
    const { credentials } = await bound(limited);
    const first = await connectWith(credentials);
    await connectWith(credentials);
    expect(await refusalCode(credentials)).toBe(SERVER_UNAVAILABLE);
    expect((await broker.usage(limited)).connections).toBe(2);
    // Another instance is not affected by this one's limit.
    const other = await bound(await provisioned('ten_b', { connections: 1 }));
    await connectWith(other.credentials);
    await first.endAsync();
    await eventually(async () => (await broker.usage(limited)).connections === 1);
    await connectWith(credentials);
    expect((await broker.usage(limited)).connections).toBe(2);
  });

  it('keeps retained messages, and refuses them where retainAvailable is off', async () => {
    const keeping = await provisioned('ten_a');
    const { credentials } = await bound(keeping);
    const publisher = await connectWith(credentials);
    await publisher.publishAsync(`${prefixOf(credentials)}state`, 'x'.repeat(1000), {
      qos: 1,
      retain: true,
    });
    const late = await connectWith(credentials);
    const received = inbox(late);
    await late.subscribeAsync(`${prefixOf(credentials)}#`, { qos: 1 });
    await eventually(() => received.length === 1);
    expect(received[0]).toMatchObject({ retain: true, payload: 'x'.repeat(1000) });
    const usage = await broker.usage(keeping);
    expect(usage.storageMb).toBeGreaterThan(1000 / 1024 / 1024);
    expect(usage.messages).toBe(1);

    const refusing = await provisioned('ten_b', { parameters: { retainAvailable: false } });
    const other = await bound(refusing);
    const plain = await connectWith(other.credentials);
    await plain.publishAsync(`${prefixOf(other.credentials)}state`, 'live', { qos: 1 });
    const dropped = closed(plain);
    plain.publish(`${prefixOf(other.credentials)}state`, 'kept?', { qos: 1, retain: true });
    await dropped;
    const lateOther = await connectWith(other.credentials);
    const receivedOther = inbox(lateOther);
    await lateOther.subscribeAsync(`${prefixOf(other.credentials)}#`, { qos: 1 });
    await pause(200);
    expect(receivedOther).toEqual([]);
    expect((await broker.usage(refusing)).storageMb).toBe(0);

    // Turning retention off drops what was kept.
    await broker.update({ ...keeping, parameters: { retainAvailable: false } });
    expect((await broker.usage(keeping)).storageMb).toBe(0);
  });

  it('deprovision removes users, retained messages and live sessions', async () => {
    const instance = instanceSpec('ten_a');
    await broker.provision(instance);
    const { binding, credentials } = await bound(instance);
    const client = await connectWith(credentials);
    await client.publishAsync(`${prefixOf(credentials)}kept`, 'retained', { qos: 1, retain: true });
    const dropped = closed(client);
    await broker.deprovision(instance);
    await dropped;
    const inventory = await broker.inventory();
    expect(inventory.instances).not.toContain(engineName(instance.id));
    expect(inventory.credentials).not.toContain(engineName(binding.id, 1));
    expect(await refusalCode(credentials)).toBe(BAD_USERNAME_OR_PASSWORD);
    // Provisioned again under the same id, nothing of the old instance is left.
    await broker.provision(instance);
    made.push(instance);
    expect((await broker.usage(instance)).storageMb).toBe(0);
    await expect(broker.bind(instanceSpec('ten_a'), bindingSpec())).rejects.toThrow(
      /instance not found/,
    );
  });

  it('makes every method idempotent', async () => {
    const instance = instanceSpec('ten_a');
    await broker.provision(instance);
    await broker.provision(instance);
    await broker.update(instance);
    await broker.update(instance);
    const binding: BindingSpec = bindingSpec();
    const first = await broker.bind(instance, binding);
    const second = await broker.bind(instance, binding);
    // The last password issued is the one that works.
    await (await connectWith(second)).endAsync();
    expect(await refusalCode(first)).toBe(BAD_USERNAME_OR_PASSWORD);
    await broker.unbind(instance, binding);
    await broker.unbind(instance, binding);
    await broker.deprovision(instance);
    await broker.deprovision(instance);
    await broker.unbind(instance, binding);
    const inventory = await broker.inventory();
    expect(inventory.instances).not.toContain(engineName(instance.id));
    expect(inventory.credentials).not.toContain(engineName(binding.id, 1));
  });
});
