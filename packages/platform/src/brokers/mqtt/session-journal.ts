import type { Aedes } from 'aedes';
import type { Algorithm } from '../../secrets/ciphers';
import { SealedJournal } from './sealed-journal';
import { Serial } from './serial';
import {
  queued,
  type SessionChange,
  SessionState,
  type StoredPacket,
  type StoredSubscription,
} from './session-state';

/** Compaction once the file holds this much more than the live state needs. */
const SLACK_BYTES = 1024 * 1024;

/**
 * QoS 1/2 messages queued per persistent client at most (Mosquitto's `max_queued_messages`
 * is 1000): past it, new messages for that client are dropped rather than filling memory
 * and disk for a consumer that never comes back.
 */
export const MAX_QUEUED_PER_CLIENT = 10_000;

/**
 * Persistent MQTT sessions on disk, so that a client that connected with `clean: false` finds
 * its subscriptions and the QoS 1/2 messages queued for it after a platform restart:
 * `<dir>/sessions.journal` (key in `<dir>/sessions-key`), one sealed record per change aedes
 * makes to its session store. Changes made in the same turn of the event loop are written
 * together, and aedes' call resolves once they are (a PUBACK goes out after that). The file
 * is rewritten with the live state alone at start and when it holds mostly dead records.
 */
export class SessionJournal {
  readonly state = new SessionState();
  #pending: Buffer[] = [];
  #flush: Promise<void> | undefined;
  #snapshotBytes = 0;
  readonly #serial = new Serial();

  private constructor(private readonly file: SealedJournal) {}

  static async open(dir: string, algorithm: Algorithm): Promise<SessionJournal> {
    const { journal: file, records } = await SealedJournal.open({
      dir,
      name: 'sessions',
      keyFile: 'sessions-key',
      purpose: 'mqtt/sessions',
      algorithm,
      describe: {
        zh: 'MQTT 持久会话日志',
        en: 'persistent-session journal',
        lostZh: '离线客户端的订阅与排队消息将丢失',
        lostEn: 'the subscriptions and queued messages of offline clients are lost',
      },
    });
    const journal = new SessionJournal(file);
    for (const record of records) journal.state.apply(decode(record));
    // Message ids were the last connection's: a queue resent after the restart gets new ones.
    for (const [client, queue] of journal.state.outgoing) {
      journal.state.outgoing.set(client, queue.map(queued));
    }
    await journal.#compact();
    return journal;
  }

  /** Applies a change aedes made; resolves once it is on disk. */
  record(change: SessionChange): Promise<void> {
    this.state.apply(change);
    this.#pending.push(this.file.seal(encode(change)));
    this.#flush ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      this.#serial.run(() => this.#write()),
    );
    return this.#flush;
  }

  /** Resolves once every change recorded so far is written. */
  settled(): Promise<void> {
    return this.#flush ?? this.#serial.run(async () => {});
  }

  /** Writes what is pending, then closes the file (the broker is stopping). */
  async close(): Promise<void> {
    await this.settled();
    await this.#serial.run(() => this.file.close());
  }

  async #write(): Promise<void> {
    this.#flush = undefined;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length > 0) await this.file.append(Buffer.concat(batch));
    if (this.file.fileBytes > 2 * this.#snapshotBytes + SLACK_BYTES) await this.#compact();
  }

  #compact(): Promise<void> {
    // The snapshot holds every change applied so far, the pending ones too.
    this.#pending = [];
    const sealed = this.state.snapshot().map((change) => this.file.seal(encode(change)));
    this.#snapshotBytes = sealed.reduce((sum, record) => sum + record.length, 0);
    return this.file.rewrite(sealed);
  }
}

/** The part of aedes' persistence that holds sessions (public interface, untyped property). */
interface SessionStore {
  addSubscriptions(client: { id: string }, subs: StoredSubscription[]): Promise<void>;
  removeSubscriptions(client: { id: string }, topics: string[]): Promise<void>;
  cleanSubscriptions(client: { id: string }): Promise<void>;
  outgoingEnqueue(sub: { clientId: string }, packet: StoredPacket): Promise<void>;
  outgoingEnqueueCombi(subs: { clientId: string }[], packet: StoredPacket): Promise<void>;
  outgoingUpdate(client: { id: string }, packet: StoredPacket): Promise<void>;
  outgoingClearMessageId(
    client: { id: string },
    packet: { messageId?: number },
  ): Promise<StoredPacket | undefined>;
  outgoingStream(client: { id: string }): AsyncIterable<StoredPacket>;
  incomingStorePacket(client: { id: string }, packet: StoredPacket): Promise<void>;
  incomingDelPacket(client: { id: string }, packet: { messageId: number }): Promise<void>;
  cleanIncoming(client: { id: string }): Promise<void>;
}

function sessionStore(aedes: Aedes): SessionStore {
  return (aedes as unknown as { persistence: SessionStore }).persistence;
}

/**
 * Sessions outlive the broker: the journal's state goes back into aedes' (memory)
 * persistence, and from now on each change aedes makes to it is journaled before aedes'
 * call resolves.
 */
export async function keepSessions(
  aedes: Aedes,
  journal: SessionJournal,
  maxQueued = MAX_QUEUED_PER_CLIENT,
): Promise<void> {
  const store = sessionStore(aedes);
  const { state } = journal;
  for (const [id, subs] of state.subscriptions) {
    await store.addSubscriptions({ id }, [...subs.values()]);
  }
  for (const [clientId, queue] of state.outgoing) {
    for (const packet of queue) await store.outgoingEnqueue({ clientId }, packetOf(packet));
  }
  for (const [id, packets] of state.incoming) {
    for (const packet of packets.values()) {
      await store.incomingStorePacket({ id }, { ...packetOf(packet), messageId: packet.messageId });
    }
  }

  const original = {
    addSubscriptions: store.addSubscriptions.bind(store),
    removeSubscriptions: store.removeSubscriptions.bind(store),
    cleanSubscriptions: store.cleanSubscriptions.bind(store),
    outgoingEnqueue: store.outgoingEnqueue.bind(store),
    outgoingEnqueueCombi: store.outgoingEnqueueCombi.bind(store),
    outgoingUpdate: store.outgoingUpdate.bind(store),
    outgoingClearMessageId: store.outgoingClearMessageId.bind(store),
    incomingStorePacket: store.incomingStorePacket.bind(store),
    incomingDelPacket: store.incomingDelPacket.bind(store),
    cleanIncoming: store.cleanIncoming.bind(store),
  };
  // Each change is recorded after the memory store accepted it (a rejected one — an
  // update of an unknown packet — changes nothing), in the order the calls were made.
  store.addSubscriptions = async (client, subs) => {
    await original.addSubscriptions(client, subs);
    await journal.record({
      op: 'subscribe',
      client: client.id,
      subscriptions: subs.map(({ topic, qos, rh, rap, nl }) => ({ topic, qos, rh, rap, nl })),
    });
  };
  store.removeSubscriptions = async (client, topics) => {
    await original.removeSubscriptions(client, topics);
    await journal.record({ op: 'unsubscribe', client: client.id, topics: [...topics] });
  };
  store.cleanSubscriptions = async (client) => {
    await original.cleanSubscriptions(client);
    // Every clean connect lands here: only clients with something kept make a record.
    if (state.subscriptions.has(client.id))
      await journal.record({ op: 'clean', client: client.id });
  };
  const room = (sub: { clientId: string }) =>
    (state.outgoing.get(sub.clientId)?.length ?? 0) < maxQueued;
  store.outgoingEnqueue = async (sub, packet) => {
    if (!room(sub)) return;
    await original.outgoingEnqueue(sub, packet);
    await journal.record({ op: 'enqueue', clients: [sub.clientId], packet: storedPacket(packet) });
  };
  store.outgoingEnqueueCombi = async (subs, packet) => {
    const queued = subs.filter(room);
    if (queued.length === 0) return;
    await original.outgoingEnqueueCombi(queued, packet);
    await journal.record({
      op: 'enqueue',
      clients: queued.map((sub) => sub.clientId),
      packet: storedPacket(packet),
    });
  };
  store.outgoingUpdate = async (client, packet) => {
    await original.outgoingUpdate(client, packet);
    await journal.record({ op: 'update', client: client.id, packet: storedPacket(packet) });
  };
  store.outgoingClearMessageId = async (client, packet) => {
    const cleared = await original.outgoingClearMessageId(client, packet);
    if (cleared) {
      await journal.record({ op: 'clear', client: client.id, messageId: packet.messageId });
    }
    return cleared;
  };
  store.incomingStorePacket = async (client, packet) => {
    await original.incomingStorePacket(client, packet);
    await journal.record({ op: 'incoming', client: client.id, packet: storedPacket(packet) });
  };
  store.incomingDelPacket = async (client, packet) => {
    await original.incomingDelPacket(client, packet);
    await journal.record({ op: 'incomingDone', client: client.id, messageId: packet.messageId });
  };
  store.cleanIncoming = async (client) => {
    await original.cleanIncoming(client);
    if (state.incoming.has(client.id)) {
      await journal.record({ op: 'incomingClean', client: client.id });
    }
  };
}

/** Drops every session of an instance (its clients' ids start with `<instance>:`). */
export async function forgetSessions(
  aedes: Aedes,
  journal: SessionJournal,
  instance: string,
): Promise<void> {
  const store = sessionStore(aedes);
  for (const id of journal.state.clients()) {
    if (!id.startsWith(`${instance}:`)) continue;
    await store.cleanSubscriptions({ id });
    await store.cleanIncoming({ id });
    const queue: StoredPacket[] = [];
    for await (const packet of store.outgoingStream({ id })) queue.push(packet);
    for (const packet of queue) {
      await store.outgoingClearMessageId({ id }, { messageId: packet.messageId });
    }
  }
}

/** The fields of an aedes packet a session keeps. */
function storedPacket(packet: StoredPacket): StoredPacket {
  const { cmd, topic, payload, qos, retain, dup, messageId, brokerId, brokerCounter } = packet;
  return { cmd, topic, payload, qos, retain, dup, messageId, brokerId, brokerCounter };
}

function packetOf(packet: StoredPacket): StoredPacket {
  return { ...packet, payload: packet.payload ?? Buffer.alloc(0) };
}

/** JSON, payloads in base64. */
function encode(change: SessionChange): Buffer {
  return Buffer.from(
    JSON.stringify(change, function (this: Record<string, unknown>, key, value) {
      // `this[key]` is the value before Buffer's toJSON turned it into an array of numbers.
      const raw = this[key];
      return key === 'payload' && Buffer.isBuffer(raw) ? raw.toString('base64') : value;
    }),
  );
}

function decode(plaintext: Buffer): SessionChange {
  return JSON.parse(plaintext.toString('utf8'), (key, value) =>
    key === 'payload' && typeof value === 'string' ? Buffer.from(value, 'base64') : value,
  ) as SessionChange;
}
