import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig, missingSettings } from '../src/config.js';
import { startTestApp } from '../test-support/app.js';
import { forgetConsumers } from '../test-support/brokers.js';
import { eventually, skipWhenMissing } from '../test-support/env.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The processes read what a deployed app reads (MQ_URL, either broker).
const skip = skipWhenMissing(missingSettings(loadConfig()));

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** @param {string[]} args @param {Record<string, string>} [env] */
function run(args, env = {}) {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('进程 · processes', { skip }, () => {
  /** @type {Awaited<ReturnType<typeof startTestApp>>} */
  let t;
  before(async () => {
    // Orders taken three days ago (no bus: their events wait in the outbox for the worker).
    const threeDaysAgo = new Date(Date.now() - 3 * 24 * 60 * 60 * 1000);
    t = await startTestApp({ now: () => threeDaysAgo });
  });
  after(async () => {
    await t?.cleanup();
  });

  it('migrate.js is idempotent (the release command runs before every release)', async () => {
    for (let i = 0; i < 2; i++) {
      const migration = run(['migrate.js']);
      assert.equal(await migration.exited, 0, migration.output());
    }
  });

  it('server.js listens on $PORT, is ready with its database and message broker, exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const server = run(['server.js'], { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
    let ready = false;
    for (let i = 0; i < 100 && !ready; i++) {
      ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (!ready) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(ready, server.output());
    const started = Date.now();
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0, server.output());
    assert.ok(Date.now() - started < 10_000);
  });

  it('worker.js supervises an overdue order, relays its events and records the notices', async () => {
    const order = await t.intake({ category: 'help' }); // dispatch was due 2 hours after intake
    // A consumer of this test's own (MQTT session or RabbitMQ queue), removed after.
    const own = `test-${randomUUID().slice(0, 8)}`;
    const config = loadConfig().events;
    const events = { ...config, queue: `${config.queue}.${own}` };
    const clientId = `${config.clientId}-${own}`;
    const worker = run(['worker.js'], {
      SCAN_INTERVAL_MS: '200',
      LOG_LEVEL: 'warn',
      EVENTS_CLIENT_ID: clientId,
      EVENTS_QUEUE: events.queue,
    });
    try {
      const notices = await eventually(async () => {
        const r = await t.call(`api/work-orders/${order.id}/events`);
        const keys = r.data.items.map((/** @type {any} */ e) => e.routingKey);
        // Both notices commit together; their messages may come back in either order.
        return keys.includes('workorder.reminded') && keys.includes('workorder.supervised')
          ? r.data.items
          : undefined;
      }, 15_000);
      const keys = notices.map((/** @type {any} */ e) => e.routingKey).sort();
      assert.deepEqual(keys, ['workorder.created', 'workorder.reminded', 'workorder.supervised']);
      const detail = await t.call(`api/work-orders/${order.id}`);
      assert.equal(detail.data.supervisionCount, 1);
      // (the test app's own clock stands three days back; by the real clock the order is overdue)
      assert.ok(new Date(detail.data.dispatchDueAt).getTime() < Date.now());
    } finally {
      worker.child.kill('SIGTERM');
      assert.equal(await worker.exited, 0, worker.output());
      await forgetConsumers(events, [clientId]);
    }
  });
});
