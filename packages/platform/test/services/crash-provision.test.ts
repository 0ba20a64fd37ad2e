import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Zhengwu } from '@zhengwu/sdk';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { engineName } from '../../src/brokers/broker';
import { SERVERS, serverAvailable } from '../brokers/servers';
import { TcpProxy } from './tcp-proxy';

/**
 * `kill -9` of the platform while it provisions a real PostgreSQL instance (the engine is
 * unreachable, so the operation is between retries): after a restart the operation resumes
 * and the instance becomes ready — a database that exists — and deprovisioning removes it.
 */
const here = dirname(fileURLToPath(import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const available = await serverAvailable('PostgreSQL', SERVERS.postgresql, 5432);
const server = new URL(SERVERS.postgresql);

const children = new Set<ChildProcess>();
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

function startChild(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', tsx, '--conditions=zhengwu-source', join(here, 'provision-child.ts')],
    {
      cwd: join(here, '../..'),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('ZW_CHILD_READY '));
      if (line) resolve({ child, url: JSON.parse(line.slice(15)).url });
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`child exited (${code ?? signal}):\n${out}`)),
    );
  });
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe.runIf(available)('a platform killed mid-provision', () => {
  it('resumes the provisioning after a restart; the database exists, then is removed', async () => {
    const proxy = await new TcpProxy(server.hostname, Number(server.port || 5432)).start();
    cleanups.push(() => proxy.close());
    const dataDir = await mkdtemp(join(tmpdir(), 'zw-crash-provision-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const poolUrl = new URL(SERVERS.postgresql);
    poolUrl.port = String(proxy.port);
    const env = {
      CHILD_DATA_DIR: dataDir,
      CHILD_POOL_URL: poolUrl.href,
      CHILD_PUBLIC_HOST: server.hostname,
      CHILD_PUBLIC_PORT: server.port || '5432',
    };

    let { child, url } = await startChild(env);
    const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
    let admin = new Zhengwu({ baseUrl: url, token, maxRetries: 0 });
    const tenant = await admin.tenants.create({
      parentId: null,
      name: 'crash',
      displayName: { zh: '崩溃', en: 'crash' },
      level: 'province',
    });
    proxy.down();
    const created = await admin.instances.create({
      tenantId: tenant.id,
      name: 'db',
      service: 'postgresql',
      plan: 'dev',
    });
    // Wait until an attempt has failed against the missing engine, then kill -9.
    const opId = created.lastOperation!.id;
    for (let i = 0; i < 100; i++) {
      const op = await admin.operations.retrieve(opId);
      if (op.attempts >= 1 && op.state === 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await killed(child);
    expect((await admin.operations.retrieve(opId).catch(() => null)) === null).toBe(true);

    proxy.up();
    ({ child, url } = await startChild(env));
    admin = new Zhengwu({ baseUrl: url, token, maxRetries: 0 });
    const ready = await admin.instances.waitUntilReady(created.id, {
      minDelay: 100,
      maxWaitTime: 60_000,
    });
    expect(ready.state).toBe('ready');
    const op = await admin.operations.retrieve(opId);
    expect(op.state).toBe('succeeded');
    expect(op.attempts).toBeGreaterThanOrEqual(2);

    const engine = new pg.Client({ connectionString: SERVERS.postgresql });
    await engine.connect();
    const exists = () =>
      engine.query('SELECT 1 FROM pg_database WHERE datname = $1', [engineName(created.id)]);
    expect((await exists()).rowCount).toBe(1);
    await admin.instances.delete(created.id);
    await admin.instances.waitUntilDeleted(created.id, { minDelay: 100, maxWaitTime: 60_000 });
    expect((await exists()).rowCount).toBe(0);
    await engine.end();
    await killed(child);
  }, 120_000);
});
