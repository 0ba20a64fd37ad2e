import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { EngineUnavailableError } from '../broker.js';

/** One command of Mosquitto's dynamic-security API (`$CONTROL/dynamic-security/v1`). */
export interface DynsecCommand {
  command: string;
  [field: string]: unknown;
}

export interface DynsecResponse {
  command: string;
  /** The plugin's error text, e.g. `Client not found`, `Role already exists`. */
  error?: string;
  data?: Record<string, unknown>;
}

export interface RetainedMessage {
  topic: string;
  bytes: number;
}

const CONTROL_TOPIC = '$CONTROL/dynamic-security/v1';
const RESPONSE_TOPIC = `${CONTROL_TOPIC}/response`;
const TIMEOUT_MS = 10_000;

/**
 * The pool's admin session with Mosquitto: one MQTT connection as the dynsec admin user,
 * opened on first use and again after it drops. Commands carry correlation data, so each
 * call gets its own responses. Errors name the broker's host only, never the admin URL.
 */
export class DynsecAdmin {
  readonly #url: string;
  readonly #where: string;
  #client?: Promise<MqttClient>;
  #live?: MqttClient;
  readonly #waiting = new Map<string, Waiter>();
  /** Retained messages collected by the scan under way (scans run one at a time). */
  #scan?: RetainedMessage[];
  #scans: Promise<unknown> = Promise.resolve();

  constructor(url: string) {
    this.#url = url;
    this.#where = new URL(url).host;
  }

  /** Runs the commands in one request; the responses come back in the same order. */
  async run(commands: DynsecCommand[]): Promise<DynsecResponse[]> {
    const client = await this.#connected();
    const request = randomBytes(8).toString('hex');
    const responses = new Promise<DynsecResponse[]>((resolve, reject) => {
      const timer = setTimeout(
        () => this.#settle(request, this.#unavailable('no dynamic-security response')),
        TIMEOUT_MS,
      );
      this.#waiting.set(request, { resolve, reject, timer });
    });
    const message = {
      commands: commands.map((command, index) => ({
        ...command,
        correlationData: `${request}:${index}`,
      })),
    };
    // QoS 0: with a PUBACK ahead of the response, Mosquitto's Nagle-delayed second write
    // waited for our delayed ACK (~45 ms a call, measured); a lost command times out instead.
    client
      .publishAsync(CONTROL_TOPIC, JSON.stringify(message), { qos: 0 })
      .catch(() => this.#settle(request, this.#unavailable('dynamic-security command refused')));
    return responses;
  }

  /**
   * The retained messages under `filter`: subscribes, and keeps what arrives before the
   * answer to a command sent after the SUBACK (Mosquitto queues the retained messages
   * first, on the same connection).
   */
  retained(filter: string): Promise<RetainedMessage[]> {
    const scan = this.#scans
      .catch(() => undefined)
      .then(async () => {
        const client = await this.#connected();
        const found: RetainedMessage[] = [];
        this.#scan = found;
        try {
          await client.subscribeAsync(filter, { qos: 0 });
          await this.run([{ command: 'getDefaultACLAccess' }]);
          return found;
        } finally {
          this.#scan = undefined;
          await client.unsubscribeAsync(filter).catch(() => undefined);
        }
      });
    this.#scans = scan;
    return scan;
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    this.#live = undefined;
    if (client)
      await client.then(
        (c) => c.endAsync(),
        () => undefined,
      );
  }

  #connected(): Promise<MqttClient> {
    this.#client ??= this.#connect();
    return this.#client;
  }

  async #connect(): Promise<MqttClient> {
    const client = mqtt.connect(this.#url, {
      // Unguessable, so no tenant can take over the admin's session by reusing its id.
      clientId: `zw_admin_${randomBytes(16).toString('hex')}`,
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: TIMEOUT_MS,
    });
    client.on('error', () => undefined);
    client.on('message', (topic, payload, packet) => this.#receive(topic, payload, packet.retain));
    client.on('close', () => {
      // The next call connects again; calls waiting on this connection fail now.
      if (this.#live === client) {
        this.#live = undefined;
        this.#client = undefined;
      }
      for (const request of [...this.#waiting.keys()]) {
        this.#settle(request, this.#unavailable('connection closed'));
      }
    });
    try {
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        client.once('error', (error: Error & { code?: string | number }) =>
          reject(this.#unavailable(`connection failed (${error.code ?? 'error'})`)),
        );
        client.once('close', () => reject(this.#unavailable('connection closed')));
      });
      await client.subscribeAsync(RESPONSE_TOPIC, { qos: 1 });
      this.#live = client;
      return client;
    } catch (error) {
      this.#client = undefined;
      client.end(true);
      throw error instanceof EngineUnavailableError ? error : this.#unavailable('subscribe failed');
    }
  }

  #receive(topic: string, payload: Buffer, retain: boolean): void {
    if (topic !== RESPONSE_TOPIC) {
      if (retain) this.#scan?.push({ topic, bytes: Buffer.byteLength(topic) + payload.length });
      return;
    }
    let responses: (DynsecResponse & { correlationData?: string })[] = [];
    try {
      responses =
        (JSON.parse(payload.toString()) as { responses?: typeof responses }).responses ?? [];
    } catch {
      return;
    }
    const request = responses[0]?.correlationData?.split(':')[0];
    if (request) {
      this.#settle(
        request,
        responses.map(({ correlationData: _, ...response }) => response),
      );
    }
  }

  #settle(request: string, outcome: DynsecResponse[] | Error): void {
    const waiter = this.#waiting.get(request);
    if (!waiter) return;
    this.#waiting.delete(request);
    clearTimeout(waiter.timer);
    if (outcome instanceof Error) waiter.reject(outcome);
    else waiter.resolve(outcome);
  }

  #unavailable(what: string): EngineUnavailableError {
    return new EngineUnavailableError(
      `MQTT 代理不可用（${this.#where}）· The MQTT broker at ${this.#where} is unavailable: ${what}`,
    );
  }
}

interface Waiter {
  resolve: (responses: DynsecResponse[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}
