import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import mqtt from 'mqtt';
import { loadConfig } from '../src/config.js';
import { skipWhenMissing } from './env.js';

/**
 * The brokers the event tests run against. The app reads one URL, MQ_URL (with
 * MQ_TOPIC_PREFIX for MQTT); the tests cover both buses in one run when the other broker
 * is given too: AMQP_URL for RabbitMQ, MQTT_URL with MQTT_TOPIC_PREFIX for MQTT.
 */

const OTHER = {
  amqp: { url: 'AMQP_URL', prefix: '' },
  mqtt: { url: 'MQTT_URL', prefix: 'MQTT_TOPIC_PREFIX' },
};

/**
 * The events config for testing `kind`, with a consumer of this run's own (MQTT client id,
 * RabbitMQ queue) so runs against a shared broker do not take each other's messages; or a
 * skip reason (CI=true: an error) when that broker is not given.
 * @param {'mqtt' | 'amqp'} kind
 * @returns {{ skip: string | false, events: import('../src/config.js').EventsConfig }}
 */
export function brokerUnderTest(kind) {
  const scheme = kind === 'mqtt' ? /^mqtts?:\/\//i : /^amqps?:\/\//i;
  const main = process.env.MQ_URL ?? '';
  const fromMain = scheme.test(main);
  const url = fromMain ? main : process.env[OTHER[kind].url];
  const prefix = (fromMain ? process.env.MQ_TOPIC_PREFIX : process.env[OTHER[kind].prefix]) ?? '';
  const missing = [];
  if (!process.env.DATABASE_URL) missing.push('DATABASE_URL');
  if (!url) missing.push(`${OTHER[kind].url} (${kind}://…, 或 · or MQ_URL=${kind}://…)`);
  const base = loadConfig().events;
  const run = randomUUID().slice(0, 8);
  return {
    skip: skipWhenMissing(missing),
    events: {
      ...base,
      url,
      topicPrefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
      clientId: `${base.clientId}-test-${run}`,
      queue: `${base.queue}.test-${run}`,
    },
  };
}

/**
 * Removes what consumers of a test left on the broker: the MQTT sessions of these client ids
 * (a clean connection ends a persistent session), or the RabbitMQ queue.
 * @param {import('../src/config.js').EventsConfig} events
 * @param {string[]} clientIds
 */
export async function forgetConsumers(events, clientIds) {
  const url = /** @type {string} */ (events.url);
  if (/^mqtts?:/i.test(url)) {
    for (const clientId of clientIds) {
      const client = await mqtt.connectAsync(url, {
        protocolVersion: 4,
        clean: true,
        clientId,
        reconnectPeriod: 0,
      });
      await client.endAsync();
    }
    return;
  }
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    await channel.deleteQueue(events.queue);
  } finally {
    await connection.close();
  }
}
