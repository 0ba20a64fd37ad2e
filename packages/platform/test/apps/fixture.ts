import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';

/**
 * A tiny app without dependencies: `/` says its version, `/env` reports what the platform
 * gave it (bindings, secrets, forwarded prefix, pid), `/hog?mb=N` holds N MiB, `/crash` exits; with the file named by
 * `CRASH_FLAG` present it dies at start (a crash loop).
 */
const SERVER = `
import { createServer } from 'node:http';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
const version = readFileSync(new URL('./VERSION', import.meta.url), 'utf8').trim();
if (process.env.CRASH_FLAG && existsSync(process.env.CRASH_FLAG)) process.exit(3);
const bindingType = (name) => {
  try { return readFileSync(process.env.SERVICE_BINDING_ROOT + '/' + name + '/type', 'utf8'); } catch { return null; }
};
const server = createServer((req, res) => {
  if (req.url === '/readyz' || req.url === '/healthz') return res.end('ok');
  if (req.url === '/never') { res.statusCode = 503; return res.end('never ready'); }
  if (req.url.startsWith('/hog?mb=')) {
    // Holds that many MiB (touched, so they are resident) until the next /hog.
    globalThis.hog = Buffer.alloc(Number(req.url.slice(8)) * 1024 * 1024, 1);
    return res.end('holding ' + req.url.slice(8) + ' MiB');
  }
  if (req.url === '/crash') { res.end('bye'); setTimeout(() => process.exit(1), 10); return; }
  if (req.url === '/env') {
    res.setHeader('content-type', 'application/json');
    return res.end(JSON.stringify({
      version, pid: process.pid,
      database: process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL).pathname : null,
      dbUser: process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL).username : null,
      bindingType: bindingType('db'),
      bindings: readdirSync(process.env.SERVICE_BINDING_ROOT).sort(),
      secretLength: (process.env.SESSION_SECRET || '').length,
      prefix: req.headers['x-forwarded-prefix'] ?? null,
      greeting: process.env.GREETING ?? null,
    }));
  }
  res.end('hello v' + version);
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening on ' + process.env.PORT));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

/** A gzip tarball of the fixture app at `version`, plus any extra files. */
export async function fixtureTarball(version: string, extra: Record<string, string> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'zw-app-'));
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'hello', private: true, type: 'module' }),
    'server.js': SERVER,
    'release.js': "console.log('release step ran');",
    VERSION: version,
    ...extra,
  };
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  const out = join(dir, '..', `${dir.split('/').pop()}.tar.gz`);
  await tar.c({ gzip: true, file: out, cwd: dir }, Object.keys(files));
  return out;
}

/** A tarball holding an entry that climbs out of the app folder. */
export async function escapingTarball(): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'zw-evil-'));
  await mkdir(join(dir, 'app'));
  await writeFile(join(dir, 'evil.txt'), 'x');
  const out = join(dir, 'evil.tar.gz');
  // `app/../evil.txt` is stored as written (tar strips nothing with preservePaths).
  await tar.c({ gzip: true, file: out, cwd: join(dir, 'app'), preservePaths: true }, [
    '../evil.txt',
  ]);
  const { readFile } = await import('node:fs/promises');
  return readFile(out);
}

export function manifestOf(overrides: Record<string, unknown> = {}) {
  return {
    apiVersion: 'zhengwu.gov.cn/v1',
    kind: 'App',
    metadata: { name: 'hello' },
    release: { command: 'node release.js' },
    processes: {
      web: {
        command: 'node server.js',
        memoryMb: 128,
        health: { readiness: { httpGet: { path: '/readyz' } }, startupTimeout: '20s' },
      },
    },
    env: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a manifest placeholder
      DATABASE_URL: '${resources.db.uri}',
      SESSION_SECRET: { generate: 'secret' },
    },
    resources: { db: { type: 'postgresql', class: 'dev' } },
    deploy: { strategy: 'rolling', maxInFlight: 1, autoRollback: true, healthTimeout: '20s' },
    ...overrides,
  };
}

/** One GET to the platform's port with any Host header, as a client of the app router. */
export function getVia(
  platformUrl: string,
  path: string,
  host?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: new URL(platformUrl).port,
        path,
        headers: host ? { host } : {},
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
