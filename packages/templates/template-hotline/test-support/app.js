import pg from 'pg';
import { buildApp } from '../src/app.js';
import { connectBus } from '../src/bus.js';
import { loadConfig } from '../src/config.js';
import { migrate } from '../src/schema.js';

/** @param {string} connectionString */
export async function migratedPool(connectionString) {
  const db = new pg.Pool({ connectionString, max: 5 });
  const client = await db.connect();
  try {
    await migrate(client);
  } finally {
    client.release();
  }
  return db;
}

/**
 * The app on a free local port against the services in env, with the schema migrated.
 * With `events` it publishes on that broker right away; without, events wait in the outbox.
 * `cleanup()` removes the work orders the test made (and their outbox and event-log rows),
 * so running the tests against a shared development database leaves nothing behind.
 * @param {{ now?: () => Date, events?: import('../src/config.js').EventsConfig }} [options]
 */
export async function startTestApp(options = {}) {
  const config = loadConfig();
  const db = await migratedPool(/** @type {string} */ (config.databaseUrl));
  const bus = options.events ? await connectBus(options.events, { log: quiet }) : null;
  const app = buildApp({ db, bus, now: options.now });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = /** @type {import('node:net').AddressInfo} */ (app.server.address());
  const base = `http://127.0.0.1:${address.port}/`;
  /** @type {string[]} */
  const made = [];

  /**
   * @param {string} path
   * @param {RequestInit & { json?: unknown }} [init]
   */
  async function call(path, init = {}) {
    const headers = new Headers(init.headers);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    const response = await fetch(new URL(path, base), { ...init, headers, body });
    const type = (response.headers.get('content-type') ?? '').split(';')[0] ?? '';
    const data = type.includes('json') ? await response.json() : await response.text();
    if (response.status === 201 && path === 'api/work-orders') made.push(data.id);
    return { status: response.status, headers: response.headers, type, data };
  }

  /** @param {Record<string, unknown>} [overrides] */
  async function intake(overrides = {}) {
    const response = await call('api/work-orders', {
      method: 'POST',
      json: {
        channel: 'phone',
        citizen: { name: '王小明', phone: '13800138000' },
        category: 'complaint',
        location: '幸福路 12 号 · 12 Xingfu Road',
        content: '夜间施工噪音扰民 · Construction noise at night',
        ...overrides,
      },
    });
    if (response.status !== 201) throw new Error(`intake failed: ${JSON.stringify(response.data)}`);
    return response.data;
  }

  /** @param {string} id @param {string} action @param {Record<string, unknown>} [json] */
  const act = (id, action, json = {}) =>
    call(`api/work-orders/${id}/actions/${action}`, { method: 'POST', json });

  async function cleanup() {
    await app.close();
    await bus?.close();
    if (made.length) {
      await db.query(`DELETE FROM outbox WHERE payload->'workOrder'->>'id' = ANY($1)`, [made]);
      await db.query('DELETE FROM event_log WHERE work_order_id = ANY($1)', [made]);
      await db.query('DELETE FROM work_orders WHERE id = ANY($1)', [made]);
    }
    await db.end();
  }

  return { app, base, db, bus, config, made, call, intake, act, cleanup };
}

export const quiet = { info() {}, warn() {}, error() {} };
