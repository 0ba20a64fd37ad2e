import { connectBus } from './bus.js';
import { recordEvent } from './notifications.js';
import { relayOutbox } from './relay.js';
import { scanDeadlines } from './supervision.js';

/**
 * The `worker` process's work, without process wiring (worker.js): it consumes every
 * work-order event into `event_log`, and on a timer scans deadlines (催办/督办), relays
 * outbox rows the web processes could not publish, and prunes old published rows.
 */

/**
 * @param {{ db: import('pg').Pool, events: import('./config.js').EventsConfig, scanIntervalMs: number,
 *   now?: () => Date, log?: { info: Function, warn: Function, error: Function } }} deps
 */
export async function startWorker(deps) {
  const log = deps.log ?? console;
  const now = deps.now ?? (() => new Date());
  let inFlight = 0;
  const bus = await connectBus(deps.events, {
    log,
    async consume(message, channel) {
      inFlight += 1;
      try {
        const handled = await recordEvent(deps.db, message.fields.routingKey, message.content);
        if (handled) channel.ack(message);
        else {
          log.warn(
            { routingKey: message.fields.routingKey },
            '无法处理的消息已丢弃 · dropped an unusable message',
          );
          channel.nack(message, false, false);
        }
      } catch (error) {
        // The database is away: give the message back after a pause instead of spinning.
        log.warn({ err: error }, '事件记录失败，稍后重投 · recording failed, requeueing');
        await new Promise((resolve) => setTimeout(resolve, 1000));
        try {
          channel.nack(message, false, true);
        } catch {
          // channel gone: the broker redelivers unacknowledged messages by itself
        }
      } finally {
        inFlight -= 1;
      }
    },
  });

  let stopped = false;
  /** @type {Promise<void>} */
  let tickDone = Promise.resolve();
  const tick = async () => {
    try {
      const raised = await scanDeadlines(deps.db, now());
      if (raised.reminded || raised.supervised) log.info(raised, '时限扫描 · deadline scan');
      await relayOutbox(deps.db, bus, 500);
      await deps.db.query(`DELETE FROM outbox WHERE published_at < now() - interval '7 days'`);
    } catch (error) {
      log.error({ err: error }, '时限扫描失败 · deadline scan failed');
    }
  };
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const loop = () => {
    tickDone = tick().finally(() => {
      if (!stopped) timer = setTimeout(loop, deps.scanIntervalMs);
    });
  };
  loop();

  return {
    /** Stops scanning, lets handled messages finish, closes the connection. */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await tickDone;
      const deadline = Date.now() + 5000;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await bus.close();
    },
  };
}
