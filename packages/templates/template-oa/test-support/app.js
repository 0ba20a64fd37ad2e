import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { migrate } from '../src/schema.js';
import { createStorage } from '../src/storage.js';

/**
 * The app on a free local port against the services in env, with the schema migrated.
 * `cleanup()` removes the documents the test made (rows and stored files) and the number
 * counters of its prefixes, so running the tests against a shared development database
 * leaves nothing behind.
 * @param {{ now?: () => Date, maxUploadBytes?: number }} [options]
 */
export async function startTestApp(options = {}) {
  const config = loadConfig();
  const db = new pg.Pool({ connectionString: config.databaseUrl, max: 8 });
  const client = await db.connect();
  try {
    await migrate(client);
  } finally {
    client.release();
  }
  const storage = createStorage(config.s3);
  const app = buildApp({
    db,
    storage,
    now: options.now,
    maxUploadBytes: options.maxUploadBytes ?? 64 * 1024,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = /** @type {import('node:net').AddressInfo} */ (app.server.address());
  const base = `http://127.0.0.1:${address.port}/`;
  /** @type {string[]} */
  const made = [];
  /** @type {Set<string>} */
  const prefixes = new Set();

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
    const data = type.includes('json')
      ? await response.json()
      : Buffer.from(await response.arrayBuffer());
    if (
      response.status === 201 &&
      path.startsWith('api/documents/') &&
      !path.includes('/attachments')
    ) {
      made.push(data.id);
    }
    return { status: response.status, headers: response.headers, type, data };
  }

  /** A 机关代字 of this test run only, so sequences start at 1 and are this test's alone. */
  function uniquePrefix() {
    const prefix = `测${randomBytes(3).toString('hex')}府办发`;
    prefixes.add(prefix);
    return prefix;
  }

  /** @param {Record<string, unknown>} [overrides] */
  async function register(overrides = {}) {
    const r = await call('api/documents/incoming', {
      method: 'POST',
      json: {
        title: '关于做好防汛工作的通知 · Notice on flood prevention',
        docType: '通知',
        classification: '内部',
        urgency: '加急',
        sourceOrg: '市人民政府办公室 · City Government Office',
        sourceNumber: '市府办发〔2026〕8号',
        ...overrides,
      },
    });
    if (r.status !== 201) throw new Error(`register failed: ${JSON.stringify(r.data)}`);
    return r.data;
  }

  /** @param {Record<string, unknown>} [overrides] */
  async function draft(overrides = {}) {
    const r = await call('api/documents/outgoing', {
      method: 'POST',
      json: {
        title: '关于开展安全生产检查的通知 · Notice on safety inspections',
        docType: '通知',
        classification: 'public',
        urgency: 'normal',
        issuingOrg: 'X县人民政府办公室 · X County Government Office',
        numberPrefix: uniquePrefix(),
        mainRecipients: ['各乡镇人民政府', '县直各单位'],
        actor: '张拟稿 · Zhang (drafter)',
        ...overrides,
      },
    });
    if (r.status !== 201) throw new Error(`draft failed: ${JSON.stringify(r.data)}`);
    return r.data;
  }

  /** @param {string} id @param {string} [kind] @param {string | Buffer} [content] @param {string} [fileName] */
  const upload = (id, kind = 'body', content = '正文 · body text', fileName = '正文.txt') =>
    call(`api/documents/${id}/attachments?kind=${kind}&fileName=${encodeURIComponent(fileName)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: typeof content === 'string' ? content : new Uint8Array(content),
    });

  /** @param {string} id @param {string} action @param {Record<string, unknown>} [json] */
  const act = (id, action, json = {}) =>
    call(`api/documents/${id}/actions/${action}`, { method: 'POST', json });

  async function cleanup() {
    await app.close();
    if (made.length) {
      const { rows } = await db.query(
        'SELECT object_key FROM attachments WHERE document_id = ANY($1)',
        [made],
      );
      for (const row of rows) await storage.delete(row.object_key).catch(() => {});
      await db.query('DELETE FROM documents WHERE id = ANY($1)', [made]);
    }
    if (prefixes.size)
      await db.query('DELETE FROM number_counters WHERE prefix = ANY($1)', [[...prefixes]]);
    await db.end();
    storage.close();
  }

  return { base, db, storage, call, register, draft, upload, act, uniquePrefix, cleanup };
}
