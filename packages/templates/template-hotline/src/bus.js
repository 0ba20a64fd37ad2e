/**
 * The message bus work-order events travel on. The URL's scheme picks the broker, so moving
 * between MQTT (the embedded platform's default) and RabbitMQ is a change of `zhengwu.yaml`
 * only: `mqtt(s)://` → bus-mqtt.js, `amqp(s)://` → bus-amqp.js. Each is imported only when
 * used, so an app that keeps one broker may drop the other's library.
 */

/**
 * @typedef {object} Bus
 * @property {'mqtt' | 'amqp'} kind
 * @property {(key: string, body: object, messageId: string) => Promise<void>} publish
 *   sends `body` as JSON under the routing key `workorder.<event>`; resolves once the broker
 *   acknowledged it (MQTT PUBACK, RabbitMQ publisher confirm), rejects when not connected
 * @property {() => boolean} connected
 * @property {() => Promise<void>} close  waits (up to 5 s) for messages being handled, then disconnects
 *
 * @typedef {(key: string, body: Buffer) => Promise<boolean>} Handler
 *   handles one delivered message: `true` when done (acknowledged), `false` when it can never
 *   be handled (dropped); a rejection leaves it unacknowledged so the broker delivers it again
 *
 * @typedef {object} BusOptions
 * @property {Handler} [consume]  also consume every `workorder.#` event (the worker)
 * @property {() => Promise<void>} [onFreshConsumer]  called once the consumer is subscribed
 *   where the broker kept nothing for it — its first start, or an MQTT session or RabbitMQ
 *   queue the broker lost. Events published before that moment never reach it: the worker
 *   takes them from the outbox instead.
 * @property {{ info: Function, warn: Function }} [log]
 */

const KINDS = /** @type {const} */ ({ mqtt: 'mqtt', mqtts: 'mqtt', amqp: 'amqp', amqps: 'amqp' });

/**
 * Which broker a URL names. The error never repeats the URL (it holds a password).
 * @param {string} url
 * @returns {'mqtt' | 'amqp'}
 */
export function busKind(url) {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase() ?? '';
  const kind = KINDS[/** @type {keyof typeof KINDS} */ (scheme)];
  if (kind) return kind;
  throw new Error(
    `MQ_URL 的协议 "${scheme}" 不受支持，应为 mqtt://、mqtts://、amqp:// 或 amqps:// · unsupported MQ_URL scheme "${scheme}": use mqtt://, mqtts://, amqp:// or amqps://`,
  );
}

/**
 * @param {import('./config.js').EventsConfig} config
 * @param {BusOptions} [options]
 * @returns {Promise<Bus>}
 */
export async function connectBus(config, options = {}) {
  const url = /** @type {string} */ (config.url);
  if (busKind(url) === 'mqtt') {
    const { connectMqttBus } = await import('./bus-mqtt.js');
    return connectMqttBus(config, options);
  }
  const { connectAmqpBus } = await import('./bus-amqp.js');
  return connectAmqpBus(config, options);
}
