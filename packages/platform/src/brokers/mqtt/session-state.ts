/**
 * The persistent-session state of the embedded MQTT broker (clients connected with
 * `clean: false`): subscriptions, queued outgoing QoS 1/2 messages and inbound QoS 2 messages
 * awaiting PUBREL — kept as aedes' memory persistence keeps them, so a journal of the same
 * changes rebuilds it after a restart.
 */

/** A packet as the session keeps it (MQTT 3.1.1 fields). */
export interface StoredPacket {
  cmd: string;
  topic?: string;
  payload?: Buffer;
  qos: number;
  retain: boolean;
  dup: boolean;
  messageId?: number;
  brokerId?: string;
  brokerCounter?: number;
}

export interface StoredSubscription {
  topic: string;
  qos: number;
  rh?: number;
  rap?: boolean;
  nl?: boolean;
}

/** One change of the state, as aedes makes it through its persistence. */
export type SessionChange =
  | { op: 'subscribe'; client: string; subscriptions: StoredSubscription[] }
  | { op: 'unsubscribe'; client: string; topics: string[] }
  | { op: 'clean'; client: string }
  | { op: 'enqueue'; clients: string[]; packet: StoredPacket }
  | { op: 'update'; client: string; packet: StoredPacket }
  | { op: 'clear'; client: string; messageId: number | undefined }
  | { op: 'incoming'; client: string; packet: StoredPacket }
  | { op: 'incomingDone'; client: string; messageId: number }
  | { op: 'incomingClean'; client: string };

export class SessionState {
  /** client id → topic → subscription. */
  readonly subscriptions = new Map<string, Map<string, StoredSubscription>>();
  /** client id → queued packets, oldest first. */
  readonly outgoing = new Map<string, StoredPacket[]>();
  /** client id → message id → inbound QoS 2 packet. */
  readonly incoming = new Map<string, Map<number, StoredPacket>>();

  apply(change: SessionChange): void {
    switch (change.op) {
      case 'subscribe': {
        const subs = this.subscriptions.get(change.client) ?? new Map();
        for (const sub of change.subscriptions) subs.set(sub.topic, sub);
        this.subscriptions.set(change.client, subs);
        return;
      }
      case 'unsubscribe': {
        const subs = this.subscriptions.get(change.client);
        for (const topic of change.topics) subs?.delete(topic);
        if (subs?.size === 0) this.subscriptions.delete(change.client);
        return;
      }
      case 'clean':
        this.subscriptions.delete(change.client);
        return;
      case 'enqueue':
        for (const client of change.clients) {
          const queue = this.outgoing.get(client) ?? [];
          queue.push(queued(change.packet));
          this.outgoing.set(client, queue);
        }
        return;
      case 'update':
        this.#update(change.client, change.packet);
        return;
      case 'clear': {
        const queue = this.outgoing.get(change.client) ?? [];
        const at = queue.findIndex((p) => p.messageId === change.messageId);
        if (at >= 0) queue.splice(at, 1);
        if (queue.length === 0) this.outgoing.delete(change.client);
        return;
      }
      case 'incoming': {
        const packets = this.incoming.get(change.client) ?? new Map();
        packets.set(change.packet.messageId ?? 0, { ...change.packet });
        this.incoming.set(change.client, packets);
        return;
      }
      case 'incomingDone': {
        const packets = this.incoming.get(change.client);
        packets?.delete(change.messageId);
        if (packets?.size === 0) this.incoming.delete(change.client);
        return;
      }
      case 'incomingClean':
        this.incoming.delete(change.client);
        return;
    }
  }

  /** Whether any state is kept for a client. */
  has(client: string): boolean {
    return this.subscriptions.has(client) || this.outgoing.has(client) || this.incoming.has(client);
  }

  /** Every client with state. */
  clients(): Set<string> {
    return new Set([
      ...this.subscriptions.keys(),
      ...this.outgoing.keys(),
      ...this.incoming.keys(),
    ]);
  }

  /** The fewest changes that rebuild this state (what a compacted journal holds). */
  snapshot(): SessionChange[] {
    const changes: SessionChange[] = [];
    for (const [client, subs] of this.subscriptions) {
      changes.push({ op: 'subscribe', client, subscriptions: [...subs.values()] });
    }
    for (const [client, queue] of this.outgoing) {
      for (const packet of queue) changes.push({ op: 'enqueue', clients: [client], packet });
    }
    for (const [client, packets] of this.incoming) {
      for (const packet of packets.values()) changes.push({ op: 'incoming', client, packet });
    }
    return changes;
  }

  /** aedes' `outgoingUpdate`: a sent packet gets its message id, a PUBREL replaces its PUBLISH. */
  #update(client: string, packet: StoredPacket): void {
    const queue = this.outgoing.get(client) ?? [];
    for (let i = 0; i < queue.length; i++) {
      const queuedPacket = queue[i]!;
      if (queuedPacket.brokerId === packet.brokerId) {
        if (queuedPacket.brokerCounter === packet.brokerCounter) {
          queuedPacket.messageId = packet.messageId;
          return;
        }
      } else if (queuedPacket.messageId === packet.messageId) {
        queue[i] = { ...packet };
        return;
      }
    }
  }
}

/** A packet as a queue holds it: QoS 1/2 ones get their message id when they are sent. */
export function queued(packet: StoredPacket): StoredPacket {
  const copy = { ...packet };
  if (copy.qos > 0 || copy.cmd !== 'publish') copy.messageId = undefined;
  return copy;
}
