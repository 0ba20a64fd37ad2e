/**
 * `zhengwu-platform` (`src/main.ts`, what `pnpm start` runs) as an operator meets it: the
 * first start prints the bootstrap token once and keeps it in `<data dir>/admin-token`
 * (mode 600), SIGTERM lets a request in flight finish and stops the embedded PostgreSQL,
 * and a later start prints no token.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const main = join(import.meta.dirname, '../src/main.ts');

let dataDir: string;
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/**
 * Starts the platform's entry on a free port; resolves with its URL and what it printed,
 * once it has printed `until`.
 */
async function start(
  until: RegExp,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', tsx, '--conditions=zhengwu-source', main], {
    env: {
      ...process.env,
      ZW_PORT: '0',
      ZW_DATA_DIR: dataDir,
      ZW_LOG_LEVEL: 'silent',
      ZW_EMBEDDED_ENGINES: 'none',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk;
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    out += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const m = /running at (\S+)/.exec(out);
      if (m && until.test(out)) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
  return { child, url, output: () => out };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

it('prints the bootstrap token once, keeps it mode 600, and stops gracefully on SIGTERM', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'zw-main-'));
  // A leftover file with loose permissions must not stay that way.
  await writeFile(join(dataDir, 'admin-token'), 'stale\n', { mode: 0o644 });

  const first = await start(/export ZHENGWU_URL/);
  const printed = /Platform-admin token[^\n]*\n\s+(zw_\S+)/.exec(first.output())?.[1];
  expect(printed).toMatch(/^zw_/);
  const file = join(dataDir, 'admin-token');
  expect((await readFile(file, 'utf8')).trim()).toBe(printed);
  expect((await stat(file)).mode & 0o777).toBe(0o600);

  // A request in flight when SIGTERM arrives: half its body sent before, half after.
  const body = JSON.stringify({
    name: 'drain',
    displayName: { zh: '停机测试', en: 'Drain' },
    parentId: null,
    level: 'province',
  });
  const answered = new Promise<number>((resolve, reject) => {
    const req = request(`${first.url}/v1/tenants`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${printed}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.write(body.slice(0, 20));
    setTimeout(() => {
      first.child.kill('SIGTERM');
      setTimeout(() => req.end(body.slice(20)), 300);
    }, 300);
  });
  expect(await answered).toBe(201);
  expect(await exited(first.child)).toBe(0);
  expect(first.output()).toMatch(/SIGTERM/);
  // The embedded PostgreSQL stopped with it.
  expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

  // A later start finds the token in the database: nothing printed, the drained tenant kept.
  const second = await start(/data dir/);
  expect(second.output()).not.toMatch(/zw_/);
  const tenants = await fetch(`${second.url}/v1/tenants?limit=100`, {
    headers: { authorization: `Bearer ${printed}` },
  });
  expect(tenants.status).toBe(200);
  const names = ((await tenants.json()) as { data: { name: string }[] }).data.map((t) => t.name);
  expect(names).toContain('drain');
  second.child.kill('SIGTERM');
  expect(await exited(second.child)).toBe(0);
}, 120_000);
