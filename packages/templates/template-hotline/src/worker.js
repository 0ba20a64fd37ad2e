import { connectBus } from './bus.js';
import { recordEvent, recordMissedEvents } from './notifications.js';
import { relayOutbox } from './relay.js';
import { scanDeadlines } from './supervision.js';

/**
 * The `worker` process's work, without process wiring (worker.js): it consumes every
 * work-order event into `event_log` (taking from the outbox what went out before its
 * consumer existed), and on a timer scans deadlines (催办/督办), relays
 * outbox rows the web processes could not publish, and prunes old published rows.
 */

/**
 * @param {{ db: import('pg').Pool, events: import('./config.js').EventsConfig, scanIntervalMs: number,
 *   now?: () => Date, log?: { info: Function, warn: Function, error: Function } }} deps
 */
export async function startWorker(deps) {
  const log = deps.log ?? console;
  const now = deps.now ?? (() => new Date());
  // recordEvent is idempotent (one row per event id), which at-least-once delivery and
  // MQTT's every-replica-gets-every-event both need.
  // A consumer the broker kept nothing for has missed what went out before it subscribed
  // (e.g. the web process's first events after a deploy): those come from the outbox.
  let catchUpPending = false;
  const catchUp = async () => {
    catchUpPending = false;
    try {
      const recorded = await recordMissedEvents(deps.db);
      if (recorded)
        log.info({ recorded }, '已从发件箱补录事件 · recorded missed events from the outbox');
    } catch (error) {
      catchUpPending = true; // the next tick tries again
      log.warn({ err: error }, '补录事件失败 · catching up missed events failed');
    }
  };
  const bus = await connectBus(deps.events, {
    log,
    consume: (key, body) => recordEvent(deps.db, key, body),
    onFreshConsumer: catchUp,
  });

  let stopped = false;
  /** @type {Promise<void>} */
  let tickDone = Promise.resolve();
  const tick = async () => {
    if (catchUpPending) await catchUp();
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
      await bus.close();
    },
  };
}
