/**
 * The app router against calling the replica directly: autocannon on loopback, a small
 * HTTP app in its own process as the replica, the router (the platform's `serverFactory`
 * in front of a do-nothing fallback) in this process. Runs alternate, medians compared.
 * Target (issue: deploy with scaling): through the router ≥ 70 % of direct req/s. A bare TCP
 * pipe to the same replica shows what any proxy can reach on this machine.
 */
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { AppRouter, routingServerFactory } from '@zhengwu/platform';
import { run } from './platform-seed';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 50;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const replicaPort = await freePort();
const replica = spawn(
  process.execPath,
  [
    '-e',
    // \`/\` answers at once (the router's worst case); \`/work\` renders a 100-row JSON page twice
    // the way an API over a database does (a fraction of a millisecond of work).
    `const rows = Array.from({ length: 100 }, (_, i) => ({ id: i, name: '事项' + i, status: 'accepted', due: new Date(0).toISOString() }));
     require('node:http').createServer((q, s) => {
       s.setHeader('content-type', 'application/json');
       if (q.url === '/work') { let out = ''; for (let i = 0; i < 2; i++) out = JSON.stringify({ data: rows.map((r) => ({ ...r, page: i })) }); s.end(out.slice(0, 2048)); }
       else s.end('{"hello":"world"}');
     }).listen(${replicaPort}, '127.0.0.1', () => console.log('up'))`,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
await new Promise((resolve) => replica.stdout.once('data', resolve));

const router = new AppRouter();
router.setBackends('bench', 'hello', [{ id: 'web-0', port: replicaPort }]);
const server = routingServerFactory(router)((_req, res) => {
  res.statusCode = 404;
  res.end();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const routerPort = (server.address() as { port: number }).port;

// The ceiling of any proxy on this machine: bytes piped between sockets, no HTTP parsed. With
// two cores the load generator, the replica and a proxy compete for CPU, so even this loses
// much of the direct figure to a replica that answers at once.
const pipe = createServer((client) => {
  const upstream = connect(replicaPort, '127.0.0.1');
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.pipe(upstream).pipe(client);
});
await new Promise<void>((resolve) => pipe.listen(0, '127.0.0.1', resolve));
const pipePort = (pipe.address() as { port: number }).port;

const targets = {
  direct: { url: `http://127.0.0.1:${replicaPort}/` },
  'TCP pipe (ceiling)': { url: `http://127.0.0.1:${pipePort}/` },
  'router (host)': {
    url: `http://127.0.0.1:${routerPort}/`,
    headers: { host: `hello.bench.localhost:${routerPort}` },
  },
  'router (path)': { url: `http://127.0.0.1:${routerPort}/apps/bench/hello/` },
  'direct, working app': { url: `http://127.0.0.1:${replicaPort}/work` },
  'router, working app': {
    url: `http://127.0.0.1:${routerPort}/work`,
    headers: { host: `hello.bench.localhost:${routerPort}` },
  },
} as const;

const results: Record<string, number[]> = {};
const p99: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, target] of Object.entries(targets)) {
    const r = await run(target.url, {
      connections: CONNECTIONS,
      duration: DURATION,
      ...('headers' in target && { headers: target.headers }),
    });
    if (r.non2xx > 0 || r.errors > 0)
      throw new Error(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    results[name] = [...(results[name] ?? []), r.requests.average];
    p99[name] = [...(p99[name] ?? []), r.latency.p99];
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const rps = (name: keyof typeof targets) => median(results[name] ?? []);
console.log(
  `\nApp router on loopback (autocannon -c ${CONNECTIONS}, ${DURATION} s × ${ROUNDS} rounds, Node ${process.version})\n`,
);
for (const name of Object.keys(targets) as (keyof typeof targets)[]) {
  const base = name.includes('working') ? rps('direct, working app') : rps('direct');
  console.log(
    `${name.padEnd(19)} ${rps(name).toFixed(0).padStart(7)} req/s  p99 ${median(p99[name] ?? [])
      .toFixed(1)
      .padStart(5)} ms  ${((rps(name) / base) * 100).toFixed(0).padStart(4)} % of direct`,
  );
}
const instant = Math.min(rps('router (host)'), rps('router (path)')) / rps('direct');
const working = rps('router, working app') / rps('direct, working app');
const ofCeiling = Math.min(rps('router (host)'), rps('router (path)')) / rps('TCP pipe (ceiling)');
console.log(
  `\ntarget ≥ 70 % of direct: hello-world replica ${(instant * 100).toFixed(0)} % (${instant >= 0.7 ? 'met' : 'NOT met'}), working replica ${(working * 100).toFixed(0)} % (${working >= 0.7 ? 'met' : 'NOT met'})`,
);
console.log(
  `router (hello-world) = ${(ofCeiling * 100).toFixed(0)} % of a bare TCP pipe to the same replica`,
);

server.close();
pipe.close();
await router.close();
replica.kill();
