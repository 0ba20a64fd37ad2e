import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { migrate } from '../src/schema.js';
import { createStorage } from '../src/storage.js';

/**
 * The app on a free local port against the services in env, with the schema migrated.
 * `cleanup()` removes the applications the test made (rows and stored files), so running
 * the tests against a shared development database leaves nothing behind.
 * @param {{ now?: () => Date }} [options]
 */
export async function startTestApp(options = {}) {
  const config = loadConfig();
  const db = new pg.Pool({ connectionString: config.databaseUrl, max: 5 });
  const client = await db.connect();
  try {
    await migrate(client);
  } finally {
    client.release();
  }
  const storage = createStorage(config.s3);
  const app = buildApp({ db, storage, now: options.now, maxUploadBytes: 64 * 1024 });
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
    // The media type without parameters (`; charset=utf-8`).
    const type = (response.headers.get('content-type') ?? '').split(';')[0] ?? '';
    const data = type.includes('json') ? await response.json() : await response.arrayBuffer();
    if (response.status === 201 && path === 'api/applications') made.push(data.id);
    return { status: response.status, headers: response.headers, type, data };
  }

  async function cleanup() {
    if (made.length) {
      const { rows } = await db.query(
        'SELECT object_key FROM attachments WHERE application_id = ANY($1)',
        [made],
      );
      for (const row of rows) await storage.delete(row.object_key);
      await db.query('DELETE FROM applications WHERE id = ANY($1)', [made]);
    }
    await app.close();
    await db.end();
    storage.close();
  }

  return { base, db, storage, call, cleanup };
}
