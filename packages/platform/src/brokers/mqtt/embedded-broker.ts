import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import { type CryptoMode, MODE_ALGORITHM } from '../../secrets/ciphers.js';
import {
  type BindingSpec,
  type Broker,
  type Credentials,
  type EngineInventory,
  EngineUnavailableError,
  type EngineUsage,
  type InstanceSpec,
  type PoolHealth,
} from '../broker.js';
import {
  bindingAccess,
  bindingUsername,
  insidePrefix,
  instanceName,
  mqttCredentials,
  newPassword,
  retainAvailable,
} from './access.js';
import { hashPassword, UNKNOWN_USER_HASH, verifyPassword } from './embedded-password.js';
import { CredentialStore, type StoredInstance } from './embedded-store.js';
import { limitPacketSize, MAX_PACKET_BYTES, MAX_PACKET_BYTES_BEFORE_AUTH } from './packet-limit.js';
import { RetainedJournal } from './retained-journal.js';
import { forgetSessions, keepSessions, SessionJournal } from './session-journal.js';

export interface EmbeddedMqttOptions {
  /** The platform's data directory; credentials live in `<dataDir>/engines/mqtt/`. */
  dataDir: string;
  /** Listen address, also handed to apps. Default `127.0.0.1`. */
  host?: string;
  /** TCP port; 0 (default) takes a free one, which later `start()`s of this object reuse. */
  port?: number;
  /** `Instance.pool`. Default `mqtt-embedded`. */
  pool?: string;
  /** Instances this pool may hold. Default 1000. */
  capacity?: number;
  /** Cipher of retained messages on disk (`ZW_CRYPTO`): AES-256-GCM, or SM4 with `gm`. */
  crypto?: CryptoMode;
  /** QoS 1/2 messages queued per persistent client at most (default 10 000). */
  maxQueuedPerClient?: number;
}

/** CONNACK return codes of MQTT 3.1.1 (aedes' `AuthErrorCode` is a const enum). */
const SERVER_UNAVAILABLE = 3;
const BAD_USERNAME_OR_PASSWORD = 4;

/** A client that passed `authenticate`: whose it is, for every later check. */
interface Session {
  username: string;
  instance: string;
}

/** A retained message as aedes' persistence stores it. */
interface RetainedPacket {
  cmd: 'publish';
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: true;
  dup: false;
}

/** Retained messages in aedes' persistence (public option, untyped property). */
interface RetainedMessages {
  storeRetained(packet: RetainedPacket): Promise<void>;
  createRetainedStream(pattern: string): AsyncIterable<{ topic: string; payload: Buffer }>;
}

const MEBIBYTE = 1024 * 1024;

function connackError(message: string, returnCode: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/**
 * The embedded MQTT pool: an in-process aedes broker (MQTT 3.1/3.1.1) on a loopback TCP
 * port. Each instance is a topic prefix; each binding version a user whose scrypt hash is
 * in the credential store. The hooks admit a client only with its current password and
 * within its instance's connection limit, and let it publish (unless read-only), subscribe
 * and receive only under its instance's prefix (retained publishes only where the instance
 * accepts them). Client ids are namespaced by instance, so a client of another tenant
 * reusing an id can neither take over nor inherit a session. Retained messages and persistent
 * sessions are journaled (sealed) in the same directory and outlive a restart.
 */
export class EmbeddedMqttBroker implements Broker {
  readonly service = 'mqtt';
  readonly pool: string;
  readonly capacity: number;
  readonly #dataDir: string;
  readonly #host: string;
  readonly #crypto: CryptoMode;
  readonly #maxQueued: number | undefined;
  #port: number;
  #store?: CredentialStore;
  #journal?: RetainedJournal;
  #sessionJournal?: SessionJournal;
  #aedes?: Aedes;
  #server?: Server;
  readonly #sockets = new Set<Socket>();
  readonly #sessions = new Map<Client, Session>();
  readonly #instanceClients = new Map<string, Set<Client>>();
  /** Messages accepted per instance since this broker started. */
  readonly #published = new Map<string, number>();

  constructor(options: EmbeddedMqttOptions) {
    this.#dataDir = options.dataDir;
    this.#host = options.host ?? '127.0.0.1';
    this.#crypto = options.crypto ?? 'aes';
    this.#maxQueued = options.maxQueuedPerClient;
    this.#port = options.port ?? 0;
    this.pool = options.pool ?? 'mqtt-embedded';
    this.capacity = options.capacity ?? 1000;
  }

  /** The port it listens on (the configured one until `start()` resolves). */
  get port(): number {
    return this.#port;
  }

  async start(): Promise<void> {
    if (this.#server) return;
    const dir = join(this.#dataDir, 'engines', 'mqtt');
    const store = await CredentialStore.open(dir);
    const { journal, retained } = await RetainedJournal.open(dir, MODE_ALGORITHM[this.#crypto]);
    const sessions = await SessionJournal.open(dir, MODE_ALGORITHM[this.#crypto]).catch(
      async (error: unknown) => {
        await journal.close();
        throw error;
      },
    );
    const aedes = await Aedes.createBroker({
      authenticate: (client, username, password, done) => {
        this.#authenticate(client, username, password).then(
          () => done(null, true),
          (error: AuthenticateError) => done(error, false),
        );
      },
      authorizePublish: (client, packet, done) => done(this.#authorizePublish(client, packet)),
      authorizeSubscribe: (client, subscription, done) =>
        done(null, this.#mayUse(client, subscription.topic) ? subscription : null),
      authorizeForward: (client, packet) => (this.#mayUse(client, packet.topic) ? packet : null),
    });
    await keepRetained(aedes, journal, retained);
    await keepSessions(aedes, sessions, this.#maxQueued);
    const server = createServer((socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
      const client = aedes.handle(socket);
      limitPacketSize(client, socket, () =>
        this.#sessions.has(client) ? MAX_PACKET_BYTES : MAX_PACKET_BYTES_BEFORE_AUTH,
      );
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.#port, this.#host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await journal.close();
      await sessions.close();
      throw error;
    }
    this.#port = (server.address() as AddressInfo).port;
    this.#store = store;
    this.#journal = journal;
    this.#sessionJournal = sessions;
    this.#aedes = aedes;
    this.#server = server;
  }

  async close(): Promise<void> {
    const { server, aedes, journal, sessions } = {
      server: this.#server,
      aedes: this.#aedes,
      journal: this.#journal,
      sessions: this.#sessionJournal,
    };
    this.#server = undefined;
    this.#aedes = undefined;
    this.#store = undefined;
    this.#journal = undefined;
    this.#sessionJournal = undefined;
    this.#sessions.clear();
    this.#instanceClients.clear();
    if (!server || !aedes) return;
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await journal?.close();
    await sessions?.close();
  }

  async health(): Promise<PoolHealth> {
    return this.#server?.listening
      ? { available: true }
      : {
          available: false,
          reason: '内置 MQTT 代理未运行 · The embedded MQTT broker is not running',
        };
  }

  async provision(instance: InstanceSpec): Promise<void> {
    await this.#running().store.putInstance(instanceName(instance), stored(instance));
  }

  async update(instance: InstanceSpec): Promise<void> {
    const { store } = this.#running();
    const name = instanceName(instance);
    const record = stored(instance);
    await store.putInstance(name, record);
    // Turning retention off also drops what was kept; lower limits bind new connections.
    if (!record.retain) await this.#clearRetained(name);
  }

  async deprovision(instance: InstanceSpec): Promise<void> {
    const { store } = this.#running();
    const name = instanceName(instance);
    const removed = store.deleteInstance(name);
    this.#disconnect((session) => session.instance === name);
    this.#instanceClients.delete(name);
    this.#published.delete(name);
    await this.#clearRetained(name);
    const { aedes } = this.#running();
    if (this.#sessionJournal) await forgetSessions(aedes, this.#sessionJournal, name);
    await removed;
  }

  async bind(instance: InstanceSpec, binding: BindingSpec): Promise<Credentials> {
    const { store } = this.#running();
    const { readOnly } = bindingAccess(binding);
    const name = instanceName(instance);
    if (!store.instance(name)) throw new Error('MQTT 实例不存在 · MQTT instance not found');
    const username = bindingUsername(binding);
    // The password is not kept, so binding again issues a new one (the last one returned works).
    const password = newPassword();
    await store.putUser(username, { instance: name, readOnly, hash: await hashPassword(password) });
    return mqttCredentials(
      { host: this.#host, port: this.#port, tls: false },
      name,
      username,
      password,
    );
  }

  async unbind(_instance: InstanceSpec, binding: BindingSpec): Promise<void> {
    const { store } = this.#running();
    const username = bindingUsername(binding);
    const removed = store.deleteUser(username);
    this.#disconnect((session) => session.username === username);
    await removed;
  }

  async usage(instance: InstanceSpec): Promise<EngineUsage> {
    this.#running();
    const name = instanceName(instance);
    let bytes = 0;
    for await (const packet of this.#retained().createRetainedStream(`${name}/#`)) {
      bytes += Buffer.byteLength(packet.topic) + packet.payload.length;
    }
    return {
      storageMb: bytes / MEBIBYTE,
      connections: this.#instanceClients.get(name)?.size ?? 0,
      messages: this.#published.get(name) ?? 0,
    };
  }

  async inventory(): Promise<EngineInventory> {
    const { store } = this.#running();
    return { instances: store.instanceNames(), credentials: store.usernames() };
  }

  #running(): { store: CredentialStore; aedes: Aedes } {
    if (!this.#store || !this.#aedes) {
      throw new EngineUnavailableError(
        '内置 MQTT 代理未运行 · The embedded MQTT broker is not running',
      );
    }
    return { store: this.#store, aedes: this.#aedes };
  }

  #retained(): RetainedMessages {
    return (this.#running().aedes as unknown as { persistence: RetainedMessages }).persistence;
  }

  async #clearRetained(name: string): Promise<void> {
    // aedes acknowledges a QoS 1 publish before storing it: let those in flight land first.
    await this.#journal?.settled();
    const retained = this.#retained();
    const topics: string[] = [];
    for await (const packet of retained.createRetainedStream(`${name}/#`)) {
      topics.push(packet.topic);
    }
    for (const topic of topics) {
      await retained.storeRetained({
        cmd: 'publish',
        topic,
        payload: Buffer.alloc(0),
        qos: 0,
        retain: true,
        dup: false,
      });
    }
  }

  async #authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
  ): Promise<void> {
    const store = this.#store;
    const user = username === undefined ? undefined : store?.user(username);
    const valid = await verifyPassword(
      password ?? Buffer.alloc(0),
      user?.hash ?? UNKNOWN_USER_HASH,
    );
    // Checked again after the hash: an unbind during it must win.
    const current = username === undefined ? undefined : this.#store?.user(username);
    const instance = current && this.#store?.instance(current.instance);
    if (!valid || !user || current !== user || !instance || username === undefined) {
      throw connackError('bad user name or password', BAD_USERNAME_OR_PASSWORD);
    }
    const clients = this.#instanceClients.get(user.instance) ?? new Set<Client>();
    if (instance.maxConnections !== null && clients.size >= instance.maxConnections) {
      throw connackError('connection limit of the plan reached', SERVER_UNAVAILABLE);
    }
    if (client.closed) throw connackError('connection closed', SERVER_UNAVAILABLE);
    this.#sessions.set(client, { username, instance: user.instance });
    this.#instanceClients.set(user.instance, clients.add(client));
    client.conn.once('close', () => this.#forget(client));
    client.id = `${user.instance}:${client.id}`;
  }

  /** `undefined` lets the publish through; an error closes the client's connection. */
  #authorizePublish(client: Client | null, packet: PublishPacket): Error | undefined {
    const session = client && this.#sessions.get(client);
    const user = session && this.#store?.user(session.username);
    const instance = user && this.#store?.instance(user.instance);
    if (!instance || !user || user.readOnly || !insidePrefix(packet.topic, user.instance)) {
      return new Error('publish not authorised');
    }
    if (packet.retain && !instance.retain) return new Error('retained messages are off');
    this.#published.set(user.instance, (this.#published.get(user.instance) ?? 0) + 1);
    return undefined;
  }

  /** Whether the client may subscribe to or receive `topic`. */
  #mayUse(client: Client, topic: string): boolean {
    const session = this.#sessions.get(client);
    return session !== undefined && insidePrefix(topic, session.instance);
  }

  #disconnect(matches: (session: Session) => boolean): void {
    for (const [client, session] of [...this.#sessions]) {
      if (!matches(session)) continue;
      this.#forget(client);
      client.close();
    }
  }

  #forget(client: Client): void {
    const session = this.#sessions.get(client);
    if (!session) return;
    this.#sessions.delete(client);
    this.#instanceClients.get(session.instance)?.delete(client);
  }
}

/**
 * Retained messages outlive the broker: those the journal kept go back into aedes' (memory)
 * persistence, and from now on each retained publish (or deletion) is journaled before aedes
 * stores it — a publish the disk refuses fails rather than being kept in memory only.
 */
async function keepRetained(
  aedes: Aedes,
  journal: RetainedJournal,
  kept: { topic: string; payload: Buffer; qos: 0 | 1 | 2 }[],
): Promise<void> {
  const persistence = (aedes as unknown as { persistence: RetainedMessages }).persistence;
  const store = persistence.storeRetained.bind(persistence);
  for (const { topic, payload, qos } of kept) {
    await store({ cmd: 'publish', topic, payload, qos, retain: true, dup: false });
  }
  persistence.storeRetained = (packet) =>
    journal.write({ topic: packet.topic, payload: packet.payload, qos: packet.qos }, () =>
      store(packet),
    );
}

function stored(instance: InstanceSpec): StoredInstance {
  const { connections } = instance.limits;
  return {
    maxConnections: typeof connections === 'number' ? connections : null,
    retain: retainAvailable(instance),
  };
}
