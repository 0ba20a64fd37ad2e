import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { needEnv, SERVICES_ENV } from '../test-support/env.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const skip = needEnv(SERVICES_ENV);

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
  it('migrate.js is idempotent (the release command runs before every release)', async () => {
    for (let i = 0; i < 2; i++) {
      const migration = run(['migrate.js']);
      assert.equal(await migration.exited, 0, migration.output());
    }
  });

  it('server.js listens on $PORT, is ready with its database and bucket, exits 0 on SIGTERM', async () => {
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

  it('server.js stops with a clear message when settings are missing', async () => {
    const server = run(['server.js'], {
      DATABASE_URL: '',
      S3_BUCKET: '',
      SERVICE_BINDING_ROOT: '',
    });
    assert.equal(await server.exited, 1);
    assert.match(server.output(), /DATABASE_URL, S3_BUCKET/);
  });

  it('readiness fails with 503 problem+json when the bucket cannot be reached', async () => {
    const port = await freePort();
    const server = run(['server.js'], {
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      S3_SECRET_ACCESS_KEY: 'wrong-secret',
    });
    try {
      let response;
      for (let i = 0; i < 100; i++) {
        response = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        if (response) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(response, server.output());
      assert.equal(response.status, 503);
      assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.equal((await response.json()).code, 'not_ready');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
