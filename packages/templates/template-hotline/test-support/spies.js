import assert from 'node:assert/strict';
import amqp from 'amqplib';
import mqtt from 'mqtt';
import { keyOf, topicOf } from '../src/bus-mqtt.js';

/**
 * A subscriber of the test's own on the app's events, to see what the app publishes and to
 * publish raw messages as another producer would.
 * @typedef {object} Spy
 * @property {{ key: string, body: any, meta: Record<string, unknown> }[]} received  JSON messages only
 * @property {(key: string, payload: Buffer) => Promise<void>} inject
 * @property {(message: { key: string, body: any, meta: Record<string, unknown> }) => void} assertDelivery
 *   the broker-specific properties of a message the app published
 * @property {() => Promise<void>} close
 */

/** @param {Buffer} content */
function json(content) {
  try {
    return JSON.parse(content.toString('utf8'));
  } catch {
    return undefined; // the garbage the tests send on purpose
  }
}

/**
 * A private queue on the app's exchange.
 * @param {import('../src/config.js').EventsConfig} events
 * @returns {Promise<Spy>}
 */
export async function rabbitmqSpy(events) {
  const connection = await amqp.connect(/** @type {string} */ (events.url));
  const channel = await connection.createChannel();
  await channel.assertExchange(events.exchange, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, events.exchange, 'workorder.#');
  /** @type {Spy['received']} */
  const received = [];
  await channel.consume(
    queue,
    (message) => {
      const body = message && json(message.content);
      if (!message || body === undefined) return;
      received.push({
        key: message.fields.routingKey,
        body,
        meta: {
          messageId: message.properties.messageId,
          contentType: message.properties.contentType,
          persistent: message.properties.deliveryMode === 2,
        },
      });
    },
    { noAck: true },
  );
  return {
    received,
    async inject(key, payload) {
      channel.publish(events.exchange, key, payload, { messageId: json(payload)?.id });
    },
    assertDelivery(message) {
      assert.equal(message.meta.contentType, 'application/json');
      assert.equal(message.meta.persistent, true);
      assert.equal(message.meta.messageId, message.body.id);
    },
    close: () => connection.close(),
  };
}

/**
 * A clean-session MQTT client subscribed to the app's topics.
 * @param {import('../src/config.js').EventsConfig} events
 * @returns {Promise<Spy>}
 */
export async function mqttSpy(events) {
  const prefix = events.topicPrefix;
  const client = await mqtt.connectAsync(/** @type {string} */ (events.url), {
    protocolVersion: 4,
    clean: true,
  });
  /** @type {Spy['received']} */
  const received = [];
  client.on('message', (topic, payload, packet) => {
    const body = json(payload);
    if (body === undefined) return;
    received.push({
      key: keyOf(prefix, topic),
      body,
      meta: { topic, qos: packet.qos, retain: packet.retain },
    });
  });
  const [granted] = await client.subscribeAsync(topicOf(prefix, 'workorder.#'), { qos: 1 });
  assert.equal(granted?.qos, 1, 'subscription granted at QoS 1');
  return {
    received,
    async inject(key, payload) {
      await client.publishAsync(topicOf(prefix, key), payload, { qos: 1 });
    },
    assertDelivery(message) {
      assert.equal(message.meta.topic, `${prefix}workorder/${message.body.type}`);
      assert.equal(message.meta.qos, 1, 'published at QoS 1');
      assert.equal(message.meta.retain, false);
    },
    close: () => client.endAsync(),
  };
}
