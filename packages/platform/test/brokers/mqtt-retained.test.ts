import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../src/brokers/broker.js';
import { startEngines } from '../../src/brokers/engines.js';
import { EmbeddedMqttBroker } from '../../src/brokers/mqtt/embedded-broker.js';
import { RetainedJournal } from '../../src/brokers/mqtt/retained-journal.js';
import { loadConfig } from '../../src/config.js';
import {
  bindingSpec,
  connectWith,
  endClients,
  eventually,
  inbox,
  pause,
  provisionedApp,
} from './mqtt-helpers.js';

let dataDir: string;
let broker: EmbeddedMqttBroker;
const journalFile = () => join(dataDir, 'engines', 'mqtt', 'retained.journal');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'zw-mqtt-retained-'));
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
async function restart(options: { crypto?: 'aes' | 'gm' } = {}): Promise<void> {
  const port = broker.port;
  await endClients();
  await broker.close();
  broker = new EmbeddedMqttBroker({ dataDir, port, ...options });
  await broker.start();
}

const app = () => provisionedApp(broker);

/** What a new subscriber to the instance's whole prefix receives as retained. */
async function retainedSeen(credentials: Credentials, prefix: string, wait = 300) {
  const client = await connectWith(credentials);
  const received = inbox(client);
  await client.subscribeAsync(`${prefix}#`, { qos: 1 });
  await pause(wait);
  await client.endAsync();
  return received
    .filter((m) => m.retain)
    .map((m) => [m.topic.slice(prefix.length), m.payload, m.qos])
    .sort();
}

describe('retained messages of the embedded MQTT broker on disk', () => {
  it('outlive a restart, deletions too, sealed (no topic or payload in the clear)', async () => {
    const { credentials, prefix } = await app();
    const device = await connectWith(credentials);
    await device.publishAsync(`${prefix}水位/站点1`, '3.2 米 · secret-level', {
      qos: 1,
      retain: true,
    });
    await device.publishAsync(`${prefix}水位/站点2`, '2.9', { qos: 0, retain: true });
    await device.publishAsync(`${prefix}水位/站点3`, 'gone soon', { qos: 1, retain: true });
    await device.publishAsync(`${prefix}水位/站点3`, '', { qos: 1, retain: true });
    await device.publishAsync(`${prefix}水位/站点1`, '3.4 米 · secret-level', {
      qos: 1,
      retain: true,
    });
    await device.endAsync();

    const file = await readFile(journalFile());
    expect(file.includes(Buffer.from('secret-level'))).toBe(false);
    expect(file.includes(Buffer.from('站点'))).toBe(false);
    expect((await stat(journalFile())).mode & 0o777).toBe(0o600);

    await restart();
    expect(await retainedSeen(credentials, prefix)).toEqual([
      ['水位/站点1', '3.4 米 · secret-level', 1],
      ['水位/站点2', '2.9', 0],
    ]);
    // The restart compacted the journal to the two live messages.
    const { retained } = await RetainedJournal.open(
      join(dataDir, 'engines', 'mqtt'),
      'a256gcm',
    ).then(async (opened) => {
      await opened.journal.close();
      return opened;
    });
    expect(retained.map((r) => r.topic).sort()).toEqual([
      `${prefix}水位/站点1`,
      `${prefix}水位/站点2`,
    ]);
  });

  it('forgets a deprovisioned instance’s messages for good', async () => {
    const { instance, credentials, prefix } = await app();
    const device = await connectWith(credentials);
    await device.publishAsync(`${prefix}state`, 'on', { qos: 1, retain: true });
    await device.endAsync();
    await broker.deprovision(instance);
    await restart();
    await broker.provision(instance);
    const again = await broker.bind(instance, bindingSpec());
    expect(await retainedSeen(again, prefix)).toEqual([]);
    await broker.deprovision(instance);
  });

  it('reads on past a record torn by a crash, and refuses to start on an altered one', async () => {
    const { instance, credentials, prefix } = await app();
    const device = await connectWith(credentials);
    await device.publishAsync(`${prefix}kept`, 'before the crash', { qos: 1, retain: true });
    await device.endAsync();
    await broker.close();
    // A crash during an append: the length says more than the file holds.
    await appendFile(journalFile(), Buffer.from([0, 0, 1, 0, 7, 7, 7]));
    broker = new EmbeddedMqttBroker({ dataDir, port: broker.port });
    await broker.start();
    expect(await retainedSeen(credentials, prefix)).toEqual([['kept', 'before the crash', 1]]);

    await broker.close();
    const bytes = await readFile(journalFile());
    bytes[bytes.length - 20]! ^= 1;
    await writeFile(journalFile(), bytes);
    broker = new EmbeddedMqttBroker({ dataDir, port: broker.port });
    await expect(broker.start()).rejects.toMatchObject({ code: 'tampered' });
    // The platform still starts: MQTT is listed unavailable, saying what to do.
    const config = loadConfig({
      ZW_DATA_DIR: dataDir,
      ZW_EMBEDDED_ENGINES: 'mqtt',
      ZW_MQTT_PORT: '0',
    });
    const engines = await startEngines(config);
    expect(engines.brokers).toEqual([]);
    expect(engines.unavailable.get('mqtt')).toMatch(
      /retained\.journal failed authentication: restore it/,
    );
    bytes[bytes.length - 20]! ^= 1;
    await writeFile(journalFile(), bytes);
    await broker.start();
    await broker.deprovision(instance);
  });

  it('stays small while one topic is overwritten many times, and follows ZW_CRYPTO', async () => {
    const { instance, credentials, prefix } = await app();
    const device = await connectWith(credentials);
    const payload = 'x'.repeat(4096);
    for (let i = 0; i < 600; i++) {
      await device.publishAsync(`${prefix}telemetry`, `${i} ${payload}`, { qos: 1, retain: true });
    }
    await device.endAsync();
    // 600 × 4 KiB went through; compaction keeps the file near the one live message.
    await eventually(async () => (await stat(journalFile())).size < 2 * 1024 * 1024);

    await restart({ crypto: 'gm' });
    const seen = await retainedSeen(credentials, prefix);
    expect(seen).toHaveLength(1);
    expect(seen[0]![1]).toBe(`599 ${payload}`);
    // Compacted on start, re-sealed with SM4-CTR + HMAC-SM3 (the record names its algorithm).
    const file = await readFile(journalFile());
    expect(file.includes(Buffer.from('sm4ctr-hsm3'))).toBe(true);
    expect(file.includes(Buffer.from('a256gcm'))).toBe(false);
    await broker.deprovision(instance);
  });
});
