import { randomBytes } from 'node:crypto';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createPool } from '../src/db.js';
import { createRedis } from '../src/redis.js';
import { migrate } from '../src/schema.js';

/**
 * The app on a free local port against the services in env, with the schema migrated.
 * Redis keys get a per-run suffix under the binding's prefix, so runs never share counters.
 * `cleanup()` removes the consumers and datasets the test made.
 * @param {{ now?: () => number }} [options]
 */
export async function startTestApp(options = {}) {
  const config = loadConfig();
  const db = createPool(/** @type {string} */ (config.databaseUrl), 5);
  const client = await db.connect();
  try {
    await migrate(client);
  } finally {
    client.release();
  }
  const prefix = `${config.redisKeyPrefix}test-${randomBytes(4).toString('hex')}:`;
  const redis = createRedis(/** @type {string} */ (config.redisUrl), prefix);
  const adminToken = config.adminToken ?? randomBytes(16).toString('hex');
  const app = buildApp({ db, redis, adminToken, now: options.now });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = /** @type {import('node:net').AddressInfo} */ (app.server.address());
  const base = `http://127.0.0.1:${address.port}/`;
  /** @type {string[]} */
  const consumers = [];
  /** @type {string[]} */
  const datasets = [];

  /**
   * @param {string} path
   * @param {RequestInit & { json?: unknown, admin?: boolean, key?: string }} [init]
   */
  async function call(path, init = {}) {
    const headers = new Headers(init.headers);
    if (init.admin) headers.set('authorization', `Bearer ${adminToken}`);
    if (init.key) headers.set('x-api-key', init.key);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    const response = await fetch(new URL(path, base), { ...init, headers, body });
    const type = (response.headers.get('content-type') ?? '').split(';')[0] ?? '';
    const data = type.includes('json') ? await response.json() : await response.text();
    if (response.status === 201 && path === 'api/admin/consumers') consumers.push(data.consumer.id);
    if (response.status === 201 && path === 'api/admin/datasets') datasets.push(data.id);
    return { status: response.status, headers: response.headers, type, data };
  }

  async function cleanup() {
    await db.query('DELETE FROM sharing.call_logs WHERE consumer_id = ANY($1)', [consumers]);
    await db.query('DELETE FROM sharing.consumers WHERE id = ANY($1)', [consumers]);
    await db.query('DELETE FROM sharing.datasets WHERE id = ANY($1)', [datasets]);
    await app.close();
    await db.end();
    await redis.close();
  }

  return { base, db, redis, prefix, call, cleanup };
}
