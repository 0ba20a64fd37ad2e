import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IConnackPacket } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../src/brokers/broker.js';
import { instanceName } from '../../src/brokers/mqtt/access.js';
import { EmbeddedMqttBroker } from '../../src/brokers/mqtt/embedded-broker.js';
import { MAX_QUEUED_PER_CLIENT, SessionJournal } from '../../src/brokers/mqtt/session-journal.js';
import {
  connectWith,
  endClients,
  eventually,
  openClients,
  pause,
  provisionedApp,
  type Received,
} from './mqtt-helpers.js';

let dataDir: string;
let broker: EmbeddedMqttBroker;
const mqttDir = () => join(dataDir, 'engines', 'mqtt');
const journalFile = () => join(mqttDir(), 'sessions.journal');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'zw-mqtt-sessions-'));
  broker = new EmbeddedMqttBroker({ dataDir });
  await broker.start();
});
afterEach(endClients);
afterAll(async () => {
  await endClients();
  await broker.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** A platform restart: a new broker object over the same data dir and port. */
async function restart(): Promise<void> {
  const port = broker.port;
  await endClients();
  await broker.close();
  broker = new EmbeddedMqttBroker({ dataDir, port });
  await broker.start();
}

const app = () => provisionedApp(broker);

/**
 * Connects with a fixed client id, listening before the CONNACK arrives: a resumed session's
 * queued messages follow it at once.
 */
async function session(credentials: Credentials, clientId: string, clean: boolean) {
  const client = mqtt.connect(String(credentials.uri), {
    clientId,
    clean,
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
  openClients.add(client);
  client.on('error', () => undefined);
  const received: Received[] = [];
  client.on('message', (topic, payload, packet) =>
    received.push({ topic, payload: payload.toString(), qos: packet.qos, retain: packet.retain }),
  );
  const connack = await new Promise<IConnackPacket>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('close', () => reject(new Error('closed before CONNACK')));
  });
  return { client, sessionPresent: connack.sessionPresent, received };
}

async function storedState() {
  const journal = await SessionJournal.open(mqttDir(), 'a256gcm');
  await journal.close();
  return journal.state;
}

describe('persistent MQTT sessions of the embedded broker on disk', () => {
  it('outlive a restart: subscriptions and the QoS 1 messages queued while offline, sealed', async () => {
    const { instance, credentials, prefix } = await app();
    const dispatcher = await session(credentials, 'dispatch-1', false);
    expect(dispatcher.sessionPresent).toBe(false);
    await dispatcher.client.subscribeAsync(`${prefix}工单/#`, { qos: 1 });
    await dispatcher.client.endAsync();

    const intake = await connectWith(credentials);
    for (const n of [1, 2, 3]) {
      await intake.publishAsync(`${prefix}工单/${n}`, `secret-order ${n}`, { qos: 1 });
    }
    await intake.publishAsync(`${prefix}工单/4`, 'at most once: not queued', { qos: 0 });
    await intake.endAsync();

    await restart();
    const file = await readFile(journalFile());
    expect(file.includes(Buffer.from('secret-order'))).toBe(false);
    expect(file.includes(Buffer.from('工单'))).toBe(false);
    expect(file.includes(Buffer.from('dispatch-1'))).toBe(false);
    expect((await stat(journalFile())).mode & 0o777).toBe(0o600);

    const resumed = await session(credentials, 'dispatch-1', false);
    expect(resumed.sessionPresent).toBe(true);
    await eventually(() => resumed.received.length >= 3);
    expect(resumed.received.map((m) => [m.topic.slice(prefix.length), m.payload, m.qos])).toEqual([
      ['工单/1', 'secret-order 1', 1],
      ['工单/2', 'secret-order 2', 1],
      ['工单/3', 'secret-order 3', 1],
    ]);
    // Still subscribed after the restart: a new order arrives live.
    const later = await connectWith(credentials);
    await later.publishAsync(`${prefix}工单/5`, 'live', { qos: 1 });
    await eventually(() => resumed.received.length === 4);
    await pause(100);
    await resumed.client.endAsync();
    await later.endAsync();

    // Acknowledged messages are gone from the queue: nothing comes twice.
    await restart();
    const again = await session(credentials, 'dispatch-1', false);
    expect(again.sessionPresent).toBe(true);
    await pause(300);
    expect(again.received).toEqual([]);
    await broker.deprovision(instance);
  });

  it('ends with a clean connect, and with the instance', async () => {
    const { instance, credentials, prefix } = await app();
    const first = await session(credentials, 'clerk', false);
    await first.client.subscribeAsync(`${prefix}#`, { qos: 1 });
    await first.client.endAsync();
    (await session(credentials, 'clerk', true)).client.end();
    await restart();
    expect((await session(credentials, 'clerk', false)).sessionPresent).toBe(false);

    // Another persistent client with messages waiting, then the instance is deprovisioned.
    const other = await session(credentials, 'screen', false);
    await other.client.subscribeAsync(`${prefix}#`, { qos: 1 });
    await other.client.endAsync();
    const publisher = await connectWith(credentials);
    await publisher.publishAsync(`${prefix}notice`, 'waiting', { qos: 1 });
    await publisher.endAsync();
    const name = instanceName(instance);
    await broker.close();
    const kept = (await storedState()).outgoing.get(`${name}:screen`);
    expect(kept?.map((packet) => packet.payload?.toString())).toEqual(['waiting']);
    await broker.start();
    await broker.deprovision(instance);
    await broker.close();
    const left = [...(await storedState()).clients()].filter((c) => c.startsWith(`${name}:`));
    expect(left).toEqual([]);
    await broker.start();
  });

  it('queues a bounded number of messages for an absent client', async () => {
    expect(MAX_QUEUED_PER_CLIENT).toBe(10_000);
    const limit = 200;
    const port = broker.port;
    await broker.close();
    broker = new EmbeddedMqttBroker({ dataDir, port, maxQueuedPerClient: limit });
    await broker.start();
    const { instance, credentials, prefix } = await app();
    const absent = await session(credentials, 'absent', false);
    await absent.client.subscribeAsync(`${prefix}flood`, { qos: 1 });
    await absent.client.endAsync();
    const writer = await connectWith(credentials);
    const sent = limit + 50;
    await Promise.all(
      Array.from({ length: sent }, (_, i) =>
        writer.publishAsync(`${prefix}flood`, `${i}`, { qos: 1 }),
      ),
    );
    await writer.endAsync();
    const back = await session(credentials, 'absent', false);
    await eventually(() => back.received.length >= limit);
    await pause(300);
    // The oldest are kept, the overflow dropped.
    expect(back.received).toHaveLength(limit);
    expect(back.received[0]!.payload).toBe('0');
    expect(back.received.at(-1)!.payload).toBe(String(limit - 1));
    await broker.deprovision(instance);
  });

  it('refuses to start on an altered journal and stays small under a steady flow', async () => {
    const { instance, credentials, prefix } = await app();
    const reader = await session(credentials, 'reader', false);
    await reader.client.subscribeAsync(`${prefix}telemetry`, { qos: 1 });
    const writer = await connectWith(credentials);
    const payload = 'x'.repeat(4096);
    for (let i = 0; i < 600; i++) {
      await writer.publishAsync(`${prefix}telemetry`, `${i} ${payload}`, { qos: 1 });
    }
    await eventually(() => reader.received.length === 600, 10_000);
    // 600 × 4 KiB were queued, sent and acknowledged; compaction keeps the file small.
    await eventually(async () => (await stat(journalFile())).size < 2 * 1024 * 1024);
    await reader.client.endAsync();
    await writer.endAsync();

    await broker.close();
    const bytes = await readFile(journalFile());
    expect(bytes.length).toBeGreaterThan(40);
    bytes[bytes.length - 20]! ^= 1;
    await writeFile(journalFile(), bytes);
    broker = new EmbeddedMqttBroker({ dataDir, port: broker.port });
    await expect(broker.start()).rejects.toThrow(
      /sessions\.journal failed authentication: restore it/,
    );
    bytes[bytes.length - 20]! ^= 1;
    await writeFile(journalFile(), bytes);
    await broker.start();
    expect((await session(credentials, 'reader', false)).sessionPresent).toBe(true);
    await broker.deprovision(instance);
  });
});
