import amqp from 'amqplib';
import { drain, pause } from './in-flight.js';

/**
 * The bus on RabbitMQ: one topic exchange for work-order events, a confirm channel to publish
 * on, and (for the worker) a durable queue bound to `workorder.#`. amqplib's recovery
 * reconnects with backoff and reruns `setup`, which declares everything again, so a broker
 * restart heals by itself; meanwhile `publish` fails and events wait in the outbox.
 */

/**
 * @param {import('./config.js').EventsConfig} config
 * @param {import('./bus.js').BusOptions & { prefetch?: number }} [options]
 * @returns {Promise<import('./bus.js').Bus>}
 */
export async function connectAmqpBus(config, options = {}) {
  const log = options.log ?? console;
  const consume = options.consume;
  /** @type {import('amqplib').ConfirmChannel | null} */
  let channel = null;
  let closing = false;
  const inFlight = { count: 0 };

  /** @param {import('amqplib').Channel} ch @param {import('amqplib').ConsumeMessage} message */
  async function deliver(ch, message) {
    if (!consume) return;
    inFlight.count += 1;
    try {
      if (await consume(message.fields.routingKey, message.content)) ch.ack(message);
      else {
        log.warn(
          { routingKey: message.fields.routingKey },
          '无法处理的消息已丢弃 · dropped an unusable message',
        );
        ch.nack(message, false, false);
      }
    } catch (error) {
      // The database is away: give the message back after a pause instead of spinning.
      log.warn({ err: error }, '事件处理失败，稍后重投 · handling failed, requeueing');
      await pause(1000);
      try {
        ch.nack(message, false, true);
      } catch {
        // channel gone: the broker redelivers unacknowledged messages by itself
      }
    } finally {
      inFlight.count -= 1;
    }
  }

  const connection = await amqp.connect(/** @type {string} */ (config.url), {
    recovery: {
      initialDelay: 200,
      maxDelay: 10_000,
      // Fail the start of a process fast when the broker is unreachable; reconnect for ever after.
      initialMaxRetries: 3,
      maxRetries: Number.POSITIVE_INFINITY,
      /** @param {import('amqplib').ChannelModel} model */
      async setup(model) {
        const ch = await model.createConfirmChannel();
        ch.on('error', (error) => log.warn({ err: error }, 'AMQP 通道错误 · channel error'));
        ch.on('close', () => {
          if (channel === ch) channel = null;
        });
        await ch.assertExchange(config.exchange, 'topic', { durable: true });
        // A queue declared now missed what was published before: the worker catches up.
        const fresh = consume ? !(await queueExists(model, config.queue)) : false;
        if (consume) {
          await ch.assertQueue(config.queue, { durable: true });
          await ch.bindQueue(config.queue, config.exchange, 'workorder.#');
          await ch.prefetch(options.prefetch ?? 20);
          await ch.consume(config.queue, (message) => {
            if (message) void deliver(ch, message);
          });
        }
        channel = ch;
        if (fresh) await options.onFreshConsumer?.();
      },
    },
  });
  connection.on('disconnect', (error) => {
    channel = null;
    if (!closing)
      log.warn({ err: error }, 'RabbitMQ 连接断开，正在重连 · disconnected, reconnecting');
  });
  connection.on('error', (error) => log.warn({ err: error }, 'RabbitMQ 错误 · connection error'));

  return {
    kind: 'amqp',
    async publish(key, body, messageId) {
      const ch = channel;
      if (!ch) throw new Error('RabbitMQ 未连接 · not connected to RabbitMQ');
      ch.publish(config.exchange, key, Buffer.from(JSON.stringify(body)), {
        persistent: true,
        contentType: 'application/json',
        messageId,
        timestamp: Math.floor(Date.now() / 1000),
        type: key,
      });
      await ch.waitForConfirms();
    },
    connected: () => channel !== null,
    async close() {
      closing = true;
      await drain(inFlight, 5000);
      await connection.close().catch(() => {});
    },
  };
}

/**
 * Whether a queue exists. `checkQueue` on a missing queue closes its channel, so it runs on a
 * channel of its own.
 * @param {import('amqplib').ChannelModel} model
 * @param {string} queue
 */
async function queueExists(model, queue) {
  const probe = await model.createChannel();
  probe.on('error', () => {}); // the 404 that closes it is the answer, not a fault
  try {
    await probe.checkQueue(queue);
  } catch {
    return false;
  }
  await probe.close().catch(() => {});
  return true;
}
