/**
 * Publishes pending outbox rows in order. Rows are locked with SKIP LOCKED, so the web
 * processes (after each change) and the worker (on a timer, as a safety net) can all relay
 * at once without publishing a row twice in the normal case.
 * @param {import('pg').Pool} db
 * @param {import('./bus.js').Bus} bus
 * @param {number} [limit]
 * @returns {Promise<number>} rows published
 */
export async function relayOutbox(db, bus, limit = 100) {
  if (!bus.connected()) return 0;
  const client = await db.connect();
  /** @type {number[]} */
  const published = [];
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      `SELECT id, event_id, routing_key, payload FROM outbox
       WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    try {
      for (const row of rows) {
        await bus.publish(row.routing_key, row.payload, row.event_id);
        published.push(Number(row.id));
      }
    } finally {
      // Mark what went out even when a later publish failed; the rest is retried.
      if (published.length) {
        await client.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [
          published,
        ]);
      }
      await client.query('COMMIT');
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  return published.length;
}

/**
 * A relay that runs after each committed change (`kick`) without ever running twice at once;
 * kicks during a run lead to one more run.
 * @param {import('pg').Pool} db
 * @param {import('./bus.js').Bus | null} bus
 * @param {{ warn: Function }} log
 */
export function createRelay(db, bus, log) {
  let running = false;
  let again = false;
  /** @type {Promise<void>} */
  let current = Promise.resolve();
  const run = async () => {
    running = true;
    try {
      do {
        again = false;
        if (bus) await relayOutbox(db, bus);
      } while (again);
    } catch (error) {
      log.warn({ err: error }, '事件发布失败，稍后重试 · publishing events failed, will retry');
    } finally {
      running = false;
    }
  };
  return {
    kick() {
      if (running) {
        again = true;
        return;
      }
      current = run();
    },
    /** Resolves when the current run is over (for shutdown and tests). */
    idle: () => current,
  };
}
