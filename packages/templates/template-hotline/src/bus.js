import amqp from 'amqplib';

/**
 * The RabbitMQ connection: one topic exchange for work-order events, a confirm channel to
 * publish on, and (for the worker) a durable queue bound to `workorder.#`. amqplib's
 * recovery reconnects with backoff and reruns `setup`, which declares everything again, so
 * a broker restart heals by itself; meanwhile `publish` fails and events wait in the outbox.
 */

/**
 * @typedef {object} Bus
 * @property {(key: string, body: object, messageId: string) => Promise<void>} publish  resolves once the broker confirmed
 * @property {() => boolean} connected
 * @property {() => Promise<void>} close
 */

/**
 * @param {import('./config.js').EventsConfig} config
 * @param {{ consume?: (message: import('amqplib').ConsumeMessage, channel: import('amqplib').Channel) => Promise<void>,
 *   prefetch?: number, log?: { info: Function, warn: Function } }} [options]
 * @returns {Promise<Bus>}
 */
export async function connectBus(config, options = {}) {
  const log = options.log ?? console;
  /** @type {import('amqplib').ConfirmChannel | null} */
  let channel = null;
  let closing = false;

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
        if (options.consume) {
          const consume = options.consume;
          await ch.assertQueue(config.queue, { durable: true });
          await ch.bindQueue(config.queue, config.exchange, 'workorder.#');
          await ch.prefetch(options.prefetch ?? 20);
          await ch.consume(config.queue, (message) => {
            if (message) void consume(message, ch);
          });
        }
        channel = ch;
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
      await connection.close().catch(() => {});
    },
  };
}
