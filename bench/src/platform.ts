/**
 * Platform throughput and latency with autocannon on loopback, against a bare Fastify
 * hello-world started in the same process as the yardstick, plus cold start to ready.
 *
 * - `GET /v1/catalog/services` (authenticated, validated, metered): target ≥ 50 % of the
 *   bare server's req/s.
 * - `GET /v1/tenants?limit=100` over 10 000 tenants, at a fixed 500 req/s: target p99 < 25 ms
 *   (stands in for `GET /v1/instances?limit=100` until instances exist).
 * - Cold start (embedded PostgreSQL already initialised) to `/readyz` 200: target < 3 s.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, startPlatform } from '@zhengwu/platform';
import type autocannon from 'autocannon';
import Fastify from 'fastify';

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const require = createRequire(import.meta.url);

/**
 * Runs autocannon in its own process (its CLI, JSON output), so the load generator does not
 * share the server's event loop — only the machine, as a remote client would not.
 */
function run(
  url: string,
  options: {
    connections: number;
    duration: number;
    headers?: Record<string, string>;
    rate?: number;
  },
): Promise<autocannon.Result> {
  const args = [
    require.resolve('autocannon/autocannon.js'),
    '--json',
    '-c',
    String(options.connections),
    '-d',
    String(options.duration),
  ];
  for (const [k, v] of Object.entries(options.headers ?? {})) args.push('-H', `${k}=${v}`);
  if (options.rate) args.push('-R', String(options.rate));
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`autocannon exited ${code}`)),
    );
  });
}

const dataDir = await mkdtemp(join(tmpdir(), 'zw-bench-'));
const platform = await startPlatform(
  loadConfig({ ZW_PORT: '0', ZW_DATA_DIR: dataDir, ZW_LOG_LEVEL: 'silent' }),
);
const auth = { authorization: `Bearer ${platform.adminToken}` };

const bare = Fastify();
bare.get('/', async () => ({ hello: 'world' }));
const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });

// 10 000 tenants: one province, 99 cities under it, 100 districts under each city.
const province = { id: 'ten_benchProvince000000', path: ['ten_benchProvince000000'] };
const rows = [
  {
    id: province.id,
    name: 'bench',
    parent_id: null,
    path: province.path,
    level: 'province' as const,
  },
];
for (let c = 0; c < 99; c++) {
  const city = `ten_benchCity${String(c).padStart(10, '0')}`;
  rows.push({
    id: city,
    name: `city-${c}`,
    parent_id: province.id as never,
    path: [province.id, city],
    level: 'city' as never,
  });
  for (let d = 0; d < 100 && rows.length < 10_000; d++) {
    const id = `ten_benchDist${String(c * 100 + d).padStart(10, '0')}`;
    rows.push({
      id,
      name: `district-${d}`,
      parent_id: city as never,
      path: [province.id, city, id],
      level: 'district' as never,
    });
  }
}
for (let i = 0; i < rows.length; i += 1000) {
  await platform.db
    .insertInto('tenants')
    .values(
      rows.slice(i, i + 1000).map((r) => ({
        ...r,
        display_name: JSON.stringify({ zh: r.name, en: r.name }),
        region_code: null,
        labels: '{}',
      })),
    )
    .execute();
}

const connections = 32;
// What Node's fetch (and so the SDK) sends; browsers add br.
const client = { ...auth, 'accept-encoding': 'gzip, deflate' };
await run(bareUrl, { connections, duration: 2 });
const bareResult = await run(bareUrl, { connections, duration: DURATION });
await run(`${platform.url}/v1/catalog/services`, { connections, duration: 2, headers: client });
const catalog = await run(`${platform.url}/v1/catalog/services`, {
  connections,
  duration: DURATION,
  headers: client,
});
const list = await run(`${platform.url}/v1/tenants?limit=100`, {
  connections: 16,
  rate: 500,
  duration: DURATION,
  headers: client,
});
await bare.close();
await platform.stop();

// Cold start: a fresh process on the now-initialised data dir, until /readyz answers 200.
const started = Date.now();
const child = spawn(
  process.execPath,
  ['--conditions=zhengwu-source', '--import', 'tsx', join(import.meta.dirname, 'platform-main.ts')],
  {
    env: { ...process.env, ZW_PORT: '0', ZW_DATA_DIR: dataDir, ZW_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const url = await new Promise<string>((resolve, reject) => {
  child.stdout.on('data', (chunk: Buffer) => {
    const m = /running at (\S+)/.exec(chunk.toString());
    if (m) resolve(m[1]!);
  });
  child.once('exit', (code) => reject(new Error(`platform exited with ${code}`)));
});
for (;;) {
  const res = await fetch(`${url}/readyz`).catch(() => undefined);
  if (res?.status === 200) break;
  await new Promise((r) => setTimeout(r, 20));
}
const coldStartMs = Date.now() - started;
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
await rm(dataDir, { recursive: true, force: true });

const ratio = catalog.requests.average / bareResult.requests.average;
console.log(
  `\nPlatform on loopback (autocannon, ${DURATION} s per run, Node ${process.version})\n`,
);
console.log(
  '| run | req/s (mean) | p50 ms | p99 ms | non-2xx |\n| --- | ---: | ---: | ---: | ---: |',
);
for (const [name, r] of [
  ['bare Fastify hello-world', bareResult],
  ['GET /v1/catalog/services', catalog],
  ['GET /v1/tenants?limit=100 (10 000 rows) @ 500 req/s', list],
] as const) {
  console.log(
    `| ${name} | ${r.requests.average.toFixed(0)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx} |`,
  );
}
console.log(`\ncatalog = ${(ratio * 100).toFixed(0)} % of bare (target ≥ 50 %)`);
console.log(`list p99 = ${list.latency.p99} ms at 500 req/s (target < 25 ms)`);
console.log(`cold start to ready = ${coldStartMs} ms (target < 3000 ms)`);
