import mqtt from 'mqtt';
import { drain, pause } from './in-flight.js';

/**
 * The bus on MQTT 3.1.1, which both the platform's embedded broker (aedes) and Mosquitto 2
 * serve. The routing key `workorder.<event>` becomes the topic `<prefix>workorder/<event>`:
 * a binding may only use topics under its prefix. Publishes are QoS 1 and resolve on PUBACK.
 *
 * The worker subscribes at QoS 1 to `<prefix>workorder/#` in a persistent session
 * (`clean: false`, a stable client id per replica), so the broker keeps what is published
 * while it is down and delivers it after it reconnects. The PUBACK of a delivered message
 * is sent only once it was handled; when handling fails the connection is dropped without
 * one and the broker sends the message again on the resumed session. Every replica gets
 * every event (MQTT 3.1.1 has no shared subscriptions), so handling must be idempotent.
 */

const FIRST_DELAY_MS = 200;
const MAX_DELAY_MS = 10_000;
const START_ATTEMPTS = 3;
const PUBLISH_TIMEOUT_MS = 10_000;

/** `workorder.dispatched` → `<prefix>workorder/dispatched` (and `workorder.#` → `…/#`). */
export const topicOf = (/** @type {string} */ prefix, /** @type {string} */ key) =>
  prefix + key.split('.').join('/');

/** The inverse of `topicOf`, so handlers see the same routing keys on both buses. */
export const keyOf = (/** @type {string} */ prefix, /** @type {string} */ topic) =>
  (topic.startsWith(prefix) ? topic.slice(prefix.length) : topic).split('/').join('.');

/**
 * @param {import('./config.js').EventsConfig} config
 * @param {import('./bus.js').BusOptions} [options]
 * @returns {Promise<import('./bus.js').Bus>}
 */
export async function connectMqttBus(config, options = {}) {
  const log = options.log ?? console;
  const consume = options.consume;
  const prefix = config.topicPrefix;
  const url = /** @type {string} */ (config.url);
  const client = mqtt.connect(url, {
    protocolVersion: 4,
    // Publishers need no session; the consumer's survives its restarts.
    clean: !consume,
    ...(consume ? { clientId: config.clientId } : {}),
    reconnectPeriod: FIRST_DELAY_MS,
    connectTimeout: 10_000,
  });
  let closing = false;
  const inFlight = { count: 0 };

  // Handle before acknowledging: mqtt.js sends the PUBACK when this callback is called
  // (its `customHandleAcks` option only works with MQTT 5). Messages come one at a time.
  client.handleMessage = (packet, done) => {
    if (!consume) return done();
    const stream = client.stream;
    inFlight.count += 1;
    const key = keyOf(prefix, packet.topic);
    consume(key, /** @type {Buffer} */ (packet.payload))
      .then(
        (handled) => {
          if (!handled)
            log.warn({ topic: packet.topic }, '无法处理的消息已丢弃 · dropped an unusable message');
          // A PUBACK on a newer connection would acknowledge whatever now has that packet id.
          if (client.connected && client.stream === stream) done();
        },
        async (error) => {
          if (closing) return; // unacknowledged: the next session gets it again
          log.warn({ err: error }, '事件处理失败，稍后重投 · handling failed, redelivering');
          await pause(1000);
          if (!closing && client.stream === stream) stream.destroy();
        },
      )
      .finally(() => {
        inFlight.count -= 1;
      });
  };

  // Back off from 200 ms to 10 s between attempts while the broker is away.
  let delay = FIRST_DELAY_MS;
  client.on('reconnect', () => {
    delay = Math.min(delay * 2, MAX_DELAY_MS);
    client.options.reconnectPeriod = delay;
  });
  const filter = topicOf(prefix, 'workorder.#');
  let started = false;
  client.on('connect', (connack) => {
    delay = FIRST_DELAY_MS;
    client.options.reconnectPeriod = delay;
    // The broker lost our session (e.g. it restarted without persistence): subscribe again
    // (before mqtt.js's own resubscription may have been answered) and catch up.
    if (started && consume && !connack.sessionPresent) {
      client
        .subscribeAsync(filter, { qos: 1 })
        .then(() => options.onFreshConsumer?.())
        .catch((error) => log.warn({ err: error }, 'MQTT 重新订阅失败 · resubscribing failed'));
    }
  });
  client.on('offline', () => {
    if (!closing) log.warn({}, 'MQTT 连接断开，正在重连 · disconnected, reconnecting');
  });
  client.on('error', (error) => log.warn({ err: error }, 'MQTT 错误 · MQTT error'));

  const connack = await firstConnection(client, new URL(url).host);
  // From now on keep trying even when the broker refuses for a while (e.g. connection limit).
  client.options.reconnectOnConnackError = true;

  if (consume) {
    await client.subscribeAsync(filter, { qos: 1 }).catch((/** @type {any} */ error) => {
      client.end(true);
      // mqtt.js rejects a SUBACK refusal (0x80) with the SUBACK packet and a vague message.
      if (error?.packet?.cmd !== 'suback') throw error;
      throw new Error(
        `MQTT 订阅 ${filter} 被拒绝，请检查 MQ_TOPIC_PREFIX · the broker refused the subscription to ${filter}: check MQ_TOPIC_PREFIX`,
      );
    });
    if (!connack.sessionPresent) await options.onFreshConsumer?.();
  }
  started = true;

  return {
    kind: 'mqtt',
    // MQTT 3.1.1 has no message properties: the event's own `id` is the message id.
    async publish(key, body) {
      if (!client.connected) throw new Error('MQTT 未连接 · not connected to the MQTT broker');
      /** @type {NodeJS.Timeout | undefined} */
      let timer;
      const timeout = new Promise((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error('MQTT 发布未确认 · publish not acknowledged in time')),
          PUBLISH_TIMEOUT_MS,
        );
      });
      try {
        await Promise.race([
          client.publishAsync(topicOf(prefix, key), JSON.stringify(body), { qos: 1 }),
          timeout,
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    connected: () => client.connected,
    async close() {
      closing = true;
      await drain(inFlight, 5000);
      // DISCONNECT ends the connection; a persistent session stays with the broker.
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          client.stream?.destroy();
          resolve(undefined);
        }, 2000);
        client.end(false, () => {
          clearTimeout(timer);
          resolve(undefined);
        });
      });
    },
  };
}

/**
 * Waits for the first CONNACK, so a process with a wrong URL or password stops at once with
 * the reason instead of retrying for ever: a refusal fails at once, an unreachable broker
 * after a few attempts.
 * @param {import('mqtt').MqttClient} client
 * @param {string} where  host:port, never the URL (it holds the password)
 * @returns {Promise<import('mqtt').IConnackPacket>}
 */
function firstConnection(client, where) {
  return new Promise((resolve, reject) => {
    let attempts = 0;
    /** @param {Error | null} error @param {import('mqtt').IConnackPacket} [connack] */
    const settle = (error, connack) => {
      client.off('connect', onConnect);
      client.off('error', onError);
      client.off('close', onClose);
      if (!error) return resolve(/** @type {import('mqtt').IConnackPacket} */ (connack));
      client.end(true);
      reject(error);
    };
    const onConnect = (/** @type {import('mqtt').IConnackPacket} */ connack) =>
      settle(null, connack);
    /** @param {Error & { code?: unknown }} error */
    const onError = (error) => {
      if (typeof error.code === 'number') {
        settle(
          new Error(
            `MQTT 服务 ${where} 拒绝连接 · the MQTT broker at ${where} refused the connection: ${error.message}`,
          ),
        );
      }
    };
    const onClose = () => {
      attempts += 1;
      if (attempts >= START_ATTEMPTS) {
        settle(new Error(`无法连接 MQTT 服务 ${where} · cannot reach the MQTT broker at ${where}`));
      }
    };
    client.on('connect', onConnect);
    client.on('error', onError);
    client.on('close', onClose);
  });
}
