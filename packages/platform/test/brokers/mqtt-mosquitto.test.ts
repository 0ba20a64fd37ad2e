import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials, InstanceSpec } from '../../src/brokers/broker.js';
import { EngineUnavailableError, engineName } from '../../src/brokers/broker.js';
import { MosquittoBroker } from '../../src/brokers/mqtt/mosquitto-broker.js';
import { DynsecAdmin } from '../../src/brokers/mqtt/mosquitto-dynsec.js';
import { freePort, startMosquitto } from './mosquitto-process.js';
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

/** MQTT 3.1.1 CONNACK / SUBACK codes and the MQTT 5 reason code Mosquitto uses. */
const NOT_AUTHORIZED = 5;
const SUBACK_FAILURE = 128;
const V5_NOT_AUTHORIZED = 135;

const server = await startMosquitto();
let broker: MosquittoBroker;
const made: InstanceSpec[] = [];

async function provisioned(tenant: string) {
  const instance = instanceSpec(tenant);
  made.push(instance);
  await broker.provision(instance);
  return instance;
}

async function bound(instance: InstanceSpec, parameters: Record<string, unknown> = {}) {
  const binding = bindingSpec(parameters);
  return { binding, credentials: await broker.bind(instance, binding) };
}

const prefixOf = (credentials: Credentials) => String(credentials.topicPrefix);

describe.skipIf(!server)('Mosquitto broker (dynamic security)', () => {
  beforeAll(() => {
    broker = new MosquittoBroker({ url: server!.url });
  });

  afterEach(endClients);

  afterAll(async () => {
    try {
      await endClients();
      for (const instance of made) await broker.deprovision(instance);
      expect(await broker.inventory()).toEqual({ instances: [], credentials: [] });
    } finally {
      await broker.close();
      await server!.stop();
    }
  });

  it('is healthy and hands out truthful credentials', async () => {
    expect(await broker.health()).toEqual({ available: true });
    const instance = await provisioned('ten_a');
    const { binding, credentials } = await bound(instance);
    expect(credentials).toMatchObject({
      host: '127.0.0.1',
      port: server!.port,
      username: engineName(binding.id, 1),
      topicPrefix: `${engineName(instance.id)}/`,
      tls: { mode: 'disable', gm: false },
    });
    expect(String(credentials.uri)).toMatch(/^mqtt:\/\//);
    expect(catalogViolations(credentials)).toEqual([]);
    expect(String(credentials.password)).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('names the public address (ZW_MQTT_PUBLIC_URL) in credentials when one is set', async () => {
    const published = new MosquittoBroker({
      url: server!.url,
      publicUrl: 'mqtts://mqtt.zhengwu.example:8883',
    });
    const instance = instanceSpec('ten_public');
    made.push(instance);
    await published.provision(instance);
    const credentials = await published.bind(instance, bindingSpec({}));
    expect(credentials).toMatchObject({ host: 'mqtt.zhengwu.example', port: 8883 });
    expect(String(credentials.uri)).toMatch(/^mqtts:\/\/[^@]+@mqtt\.zhengwu\.example:8883/);
    expect(catalogViolations(credentials)).toEqual([]);
    await published.close();
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
      '+/+',
      '$SYS/#',
      '$CONTROL/dynamic-security/#',
      `$share/g/${aPrefix}#`,
    ];
    for (const filter of refused) {
      expect([filter, await subscribeOutcome(bClient, filter)]).toEqual([filter, SUBACK_FAILURE]);
    }
    expect(await subscribeOutcome(bClient, `${prefixOf(b.credentials)}+/1`)).toBe('granted');
    const bReceived = inbox(bClient);
    const aClient = await connectWith(a.credentials);
    await aClient.publishAsync(`${aPrefix}sensors/1`, 'secret', { qos: 1 });
    await pause(300);
    expect(bReceived).toEqual([]);
  });

  it("refuses B's publishes into A's prefix (MQTT 5: PUBACK 135) and nothing crosses", async () => {
    const a = await bound(await provisioned('ten_a'));
    const b = await bound(await provisioned('ten_b'));
    const aClient = await connectWith(a.credentials);
    const aReceived = inbox(aClient);
    await aClient.subscribeAsync(`${prefixOf(a.credentials)}#`, { qos: 1 });
    const topic = `${prefixOf(a.credentials)}sensors/1`;
    const v5 = await connectWith(b.credentials, { protocolVersion: 5 });
    await expect(v5.publishAsync(topic, 'forged', { qos: 1 })).rejects.toMatchObject({
      code: V5_NOT_AUTHORIZED,
    });
    // MQTT 3.1.1 has no refusal code: Mosquitto acknowledges and drops the message.
    const v4 = await connectWith(b.credentials);
    await v4.publishAsync(topic, 'forged', { qos: 1 });
    await v4.publishAsync('elsewhere/x', 'forged', { qos: 1 });
    await pause(300);
    expect(aReceived).toEqual([]);
  });

  it("gives B nothing of A's session when it reuses A's client id", async () => {
    const a = await bound(await provisioned('ten_a'));
    const b = await bound(await provisioned('ten_b'));
    const options = { clientId: 'device-0001', clean: false };
    const aClient = await connectWith(a.credentials, options);
    await aClient.subscribeAsync(`${prefixOf(a.credentials)}#`, { qos: 1 });
    // Mosquitto lets B take the session over (A is disconnected), subscriptions and all.
    const bClient = await connectWith(b.credentials, options);
    const bReceived = inbox(bClient);
    const publisher = await connectWith(a.credentials);
    await publisher.publishAsync(`${prefixOf(a.credentials)}x`, 'for A only', { qos: 1 });
    await pause(300);
    expect(bReceived).toEqual([]);
  });

  it('refuses wrong passwords and unknown users with CONNACK 5', async () => {
    const a = await bound(await provisioned('ten_a'));
    const b = await bound(await provisioned('ten_b'));
    const at = `127.0.0.1:${server!.port}`;
    const wrong = [
      `mqtt://${a.credentials.username}:${b.credentials.password}@${at}`,
      `mqtt://${a.credentials.username}:x@${at}`,
      `mqtt://zw_b_nobody_v1:${a.credentials.password}@${at}`,
      `mqtt://${a.credentials.username}@${at}`,
      `mqtt://${at}`,
    ];
    for (const uri of wrong) {
      expect(await refusalCode({ ...a.credentials, uri })).toBe(NOT_AUTHORIZED);
    }
  });

  it('lets a read-only binding subscribe but not publish', async () => {
    const instance = await provisioned('ten_a');
    const writer = await bound(instance);
    const reader = await bound(instance, { readOnly: true });
    const readerClient = await connectWith(reader.credentials, { protocolVersion: 5 });
    const readerReceived = inbox(readerClient);
    expect(await subscribeOutcome(readerClient, `${prefixOf(reader.credentials)}#`)).toBe(
      'granted',
    );
    const writerClient = await connectWith(writer.credentials);
    await writerClient.publishAsync(`${prefixOf(writer.credentials)}a`, 'from writer', { qos: 1 });
    await eventually(() => readerReceived.length === 1);
    await expect(
      readerClient.publishAsync(`${prefixOf(reader.credentials)}a`, 'from reader', { qos: 1 }),
    ).rejects.toMatchObject({ code: V5_NOT_AUTHORIZED });
    await pause(200);
    expect(readerReceived.map((m) => m.payload)).toEqual(['from writer']);
  });

  it('rotates: v2 works, v1 is refused and its live connection dropped at once', async () => {
    const instance = await provisioned('ten_a');
    const v1 = await bound(instance);
    const v1Client = await connectWith(v1.credentials);
    const v2 = await broker.bind(instance, nextVersion(v1.binding));
    expect(v2.username).toBe(engineName(v1.binding.id, 2));
    const dropped = closed(v1Client);
    const started = Date.now();
    await broker.unbind(instance, v1.binding);
    await dropped;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await refusalCode(v1.credentials)).toBe(NOT_AUTHORIZED);
    const v2Client = await connectWith(v2);
    const received = inbox(v2Client);
    await v2Client.subscribeAsync(`${prefixOf(v2)}#`, { qos: 1 });
    await v2Client.publishAsync(`${prefixOf(v2)}after-rotation`, 'ok', { qos: 1 });
    await eventually(() => received.length === 1);
  });

  it('reports retained bytes, and deprovision removes clients, roles, sessions and retained messages', async () => {
    const instance = instanceSpec('ten_a');
    await broker.provision(instance);
    const { binding, credentials } = await bound(instance);
    const reader = await bound(instance, { readOnly: true });
    const client = await connectWith(credentials);
    await client.publishAsync(`${prefixOf(credentials)}kept/1`, 'x'.repeat(1000), {
      qos: 1,
      retain: true,
    });
    await client.publishAsync(`${prefixOf(credentials)}kept/2`, 'y', { qos: 1, retain: true });
    expect((await broker.usage(instance)).storageMb).toBeGreaterThan(1000 / 1024 / 1024);
    const dropped = closed(client);
    await broker.deprovision(instance);
    await dropped;
    const inventory = await broker.inventory();
    const name = engineName(instance.id);
    expect(inventory.instances).not.toContain(name);
    expect(inventory.credentials.filter((c) => c.startsWith(name))).toEqual([]);
    expect(inventory.credentials).not.toContain(engineName(binding.id, 1));
    expect(inventory.credentials).not.toContain(engineName(reader.binding.id, 1));
    expect(await refusalCode(credentials)).toBe(NOT_AUTHORIZED);
    expect(await refusalCode(reader.credentials)).toBe(NOT_AUTHORIZED);
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
    const binding = bindingSpec();
    const first = await broker.bind(instance, binding);
    const second = await broker.bind(instance, binding);
    await (await connectWith(second)).endAsync();
    expect(await refusalCode(first)).toBe(NOT_AUTHORIZED);
    await broker.unbind(instance, binding);
    await broker.unbind(instance, binding);
    await broker.deprovision(instance);
    await broker.deprovision(instance);
    await broker.unbind(instance, binding);
    const inventory = await broker.inventory();
    expect(inventory.instances).not.toContain(engineName(instance.id));
    expect(inventory.credentials).not.toContain(engineName(binding.id, 1));
  });

  it('refuses an instance with retained messages off, which dynsec cannot enforce', async () => {
    const instance = instanceSpec('ten_a', { parameters: { retainAvailable: false } });
    await expect(broker.provision(instance)).rejects.toThrow(/retained messages off/);
    await expect(broker.update(instance)).rejects.toThrow(/retained messages off/);
    expect((await broker.inventory()).instances).not.toContain(engineName(instance.id));
  });

  it('is unavailable, without leaking the admin password, when the admin login fails', async () => {
    const url = new URL(server!.url);
    url.password = 'not-the-password';
    const wrong = new MosquittoBroker({ url: url.toString() });
    const health = await wrong.health();
    await wrong.close();
    expect(health).toMatchObject({ available: false });
    expect(JSON.stringify(health)).not.toContain(new URL(server!.url).password);
    expect(JSON.stringify(health)).not.toContain('not-the-password');
  });

  it('reports a stopped broker as unavailable and fails provision so it is retried', async () => {
    const url = new URL(server!.url);
    url.port = String(await freePort());
    const down = new MosquittoBroker({ url: url.toString() });
    try {
      expect(await down.health()).toMatchObject({ available: false });
      await expect(down.provision(instanceSpec('ten_a'))).rejects.toBeInstanceOf(
        EngineUnavailableError,
      );
    } finally {
      await down.close();
    }
  });

  it('is unavailable when the default ACL would let tenants publish anywhere', async () => {
    const admin = new DynsecAdmin(server!.url);
    const setPublish = (allow: boolean) =>
      admin.run([
        { command: 'setDefaultACLAccess', acls: [{ acltype: 'publishClientSend', allow }] },
      ]);
    await setPublish(true);
    try {
      const fresh = new MosquittoBroker({ url: server!.url });
      const health = await fresh.health();
      await fresh.close();
      expect(health).toMatchObject({
        available: false,
        reason: expect.stringContaining('default ACL'),
      });
    } finally {
      await setPublish(false);
      await admin.close();
    }
  });
});
