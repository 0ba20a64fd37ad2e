/**
 * Platform throughput and latency with autocannon on loopback, against a bare Fastify
 * hello-world started in the same process as the yardstick, plus cold start to ready.
 *
 * - `GET /v1/catalog/services` (authenticated, validated, metered): target ≥ 50 % of the
 *   bare server's req/s.
 * - `GET /v1/instances?limit=100` over 10 000 instances (one in each of 10 000 tenants), at
 *   500 req/s: target p99 < 25 ms. `GET /v1/tenants?limit=100` under the same load beside it.
 *   autocannon paces a rate per second: each connection sends its share of the second's
 *   requests back to back, then waits for the next second, so the load arrives in bursts
 *   (and its coordinated-omission correction assumes 1 ms between a connection's requests).
 *   The lists are also measured evenly paced by `paced-load.ts` (open loop, wrk2's model).
 * - Cold start (embedded PostgreSQL already initialised) to `/readyz` 200: target < 3 s.
 *
 * Each run also reports the CPU time per request of this process (the servers) and of the
 * embedded PostgreSQL: costs that other load on the machine disturbs far less than req/s
 * and latency. `ZW_BENCH_PLATFORM=<copy>/src/index.ts` measures another copy of the
 * platform (say a `git archive` of an earlier commit) under the same conditions.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { get, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import Fastify from 'fastify';
import {
  benchPlatform,
  postgresCpu,
  run,
  runPaced,
  seedInstances,
  seedTenants,
} from './platform-seed';

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);

const { platform, dataDir } = await benchPlatform();
const auth = { authorization: `Bearer ${platform.adminToken}` };
// What Node's fetch (and so the SDK) sends; browsers add br.
const client = { ...auth, 'accept-encoding': 'gzip, deflate' };

/** The raw response (not decompressed) of one GET. */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

const bare = Fastify();
bare.get('/', async () => ({ hello: 'world' }));
// A second yardstick: the catalog's own bytes and headers from a bare route. The load
// generator's cost grows steeply with the response size (its own parsing), so this shows
// what the same bytes cost without the platform in the way.
const catalogBytes = await rawGet(`${platform.url}/v1/catalog/services`, client);
bare.get('/catalog-bytes', (_request, reply) => {
  reply
    .type(String(catalogBytes.headers['content-type']))
    .header('vary', 'accept-encoding')
    .header('content-encoding', String(catalogBytes.headers['content-encoding']))
    .send(catalogBytes.body);
});
const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });

await seedTenants(platform);
await seedInstances(platform);

/**
 * A measured run, with this process's CPU time per request: the servers' own cost, which
 * other load on the machine disturbs much less than req/s and latency.
 */
async function measured(...args: Parameters<typeof run>) {
  const before = process.cpuUsage();
  const postgresBefore = postgresCpu(dataDir);
  const result = await run(...args);
  const cpu = process.cpuUsage(before);
  const postgresAfter = postgresCpu(dataDir);
  return {
    ...result,
    cpuPerRequest: (cpu.user + cpu.system) / result.requests.total,
    postgresPerRequest:
      postgresBefore === undefined || postgresAfter === undefined
        ? undefined
        : Math.max(0, postgresAfter - postgresBefore) / result.requests.total,
  };
}

const connections = 32;
await run(bareUrl, { connections, duration: 2 });
const bareResult = await measured(bareUrl, { connections, duration: DURATION });
const bareCatalog = await measured(`${bareUrl}/catalog-bytes`, {
  connections,
  duration: DURATION,
  headers: client,
});
await run(`${platform.url}/v1/catalog/services`, { connections, duration: 2, headers: client });
const catalog = await measured(`${platform.url}/v1/catalog/services`, {
  connections,
  duration: DURATION,
  headers: client,
});
const atRate = { connections: 16, rate: 500, duration: DURATION, headers: client };
await run(`${platform.url}/v1/instances?limit=100`, { ...atRate, duration: 2 });
const list = await measured(`${platform.url}/v1/instances?limit=100`, atRate);
const tenants = await measured(`${platform.url}/v1/tenants?limit=100`, atRate);
// The same rate evenly paced (open loop), the way "p99 at 500 req/s" is meant.
const paced = { rate: 500, duration: DURATION, connections: 64, headers: client };
const listPaced = await runPaced(`${platform.url}/v1/instances?limit=100`, paced);
const tenantsPaced = await runPaced(`${platform.url}/v1/tenants?limit=100`, paced);
await bare.close();
await platform.stop();

// Cold start: a fresh process on the now-initialised data dir, until /readyz answers 200.
// The built entry is what operators run (`zhengwu-platform`, the npm bin); `pnpm start` in
// this repo compiles the sources with tsx on the fly, which costs more.
const built = join(import.meta.dirname, '../../packages/platform/dist/main.js');
const coldStarts: [string, number][] = [];
if (!process.env.ZW_BENCH_PLATFORM && existsSync(built)) {
  coldStarts.push(['built entry (dist/main.js, the npm bin)', await coldStart([built])]);
}
coldStarts.push([
  'sources through tsx (pnpm start)',
  await coldStart([
    '--conditions=zhengwu-source',
    '--import',
    'tsx',
    join(import.meta.dirname, 'platform-main.ts'),
  ]),
]);

async function coldStart(args: string[]): Promise<number> {
  const started = Date.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ZW_PORT: '0', ZW_DATA_DIR: dataDir, ZW_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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
  const ms = Date.now() - started;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return ms;
}
await rm(dataDir, { recursive: true, force: true });

const ratio = catalog.requests.average / bareResult.requests.average;
console.log(
  `\nPlatform on loopback (autocannon, ${DURATION} s per run, Node ${process.version})\n`,
);
console.log(
  '| run | req/s (mean) | p50 ms | p99 ms | non-2xx | server CPU µs/req | PostgreSQL CPU µs/req |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
);
for (const [name, r] of [
  ['bare Fastify hello-world', bareResult],
  [`bare Fastify, the catalog's ${catalogBytes.body.length} bytes`, bareCatalog],
  ['GET /v1/catalog/services', catalog],
  ['GET /v1/instances?limit=100 (10 000 rows) @ 500 req/s', list],
  ['GET /v1/tenants?limit=100 (10 000 rows) @ 500 req/s', tenants],
] as const) {
  console.log(
    `| ${name} | ${r.requests.average.toFixed(0)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx} | ${r.cpuPerRequest.toFixed(0)} | ${r.postgresPerRequest?.toFixed(0) ?? '–'} |`,
  );
}
console.log(`\ncatalog = ${(ratio * 100).toFixed(0)} % of bare (target ≥ 50 %)`);
console.log(
  `catalog = ${((100 * catalog.requests.average) / bareCatalog.requests.average).toFixed(0)} % of a bare route sending the same bytes`,
);
console.log(
  '\nThe lists at 500 req/s evenly paced (open loop, latency from when each request was due):\n',
);
console.log(
  '| run | req/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx + errors |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
);
for (const [name, r] of [
  ['GET /v1/instances?limit=100', listPaced],
  ['GET /v1/tenants?limit=100', tenantsPaced],
] as const) {
  console.log(
    `| ${name} | ${r.requests.average.toFixed(0)} | ${r.latency.p50} | ${r.latency.p90} | ${r.latency.p99} | ${r.latency.max} | ${r.non2xx + r.errors} |`,
  );
}
console.log(
  `\nlist p99 at 500 req/s (target < 25 ms): ${listPaced.latency.p99} ms evenly paced (${listPaced.latency.p99 < 25 ? 'met' : 'NOT met'}); ${list.latency.p99} ms with autocannon -R (bursts each second, over-corrected; ${list.latency.p99 < 25 ? 'met' : 'NOT met'})`,
);
for (const [how, ms] of coldStarts) {
  console.log(`cold start to ready, ${how} = ${ms} ms (target < 3000 ms)`);
}
