/**
 * Where the platform's time goes under load: starts the platform in this process, seeds the
 * 10 000 tenants, drives one scenario with autocannon (another process) while the V8
 * sampling profiler runs, then prints self and inclusive time by package and by source file
 * and the hottest functions, and writes the `.cpuprofile` (open it in Chrome DevTools).
 *
 *   tsx --conditions=zhengwu-source src/platform-profile.ts catalog|list|tenants [out.cpuprofile]
 *
 * `list` is `GET /v1/instances?limit=100` over 10 000 instances; `tenants` the tenant list.
 */
import { rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { benchPlatform, run, seedInstances, seedTenants } from './platform-seed';

const scenario = process.argv[2] ?? 'catalog';
const out = process.argv[3] ?? join(tmpdir(), `zw-platform-${scenario}.cpuprofile`);
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);

const { platform, dataDir } = await benchPlatform();
await seedTenants(platform);
await seedInstances(platform);
const headers = {
  authorization: `Bearer ${platform.adminToken}`,
  'accept-encoding': 'gzip, deflate',
};
const target =
  scenario === 'list' || scenario === 'tenants'
    ? {
        url: `${platform.url}/v1/${scenario === 'list' ? 'instances' : 'tenants'}?limit=100`,
        connections: 16,
        rate: 500,
      }
    : { url: `${platform.url}/v1/catalog/services`, connections: 32 };
// Warm up (JIT, pools, caches) before sampling.
await run(target.url, { ...target, duration: 2, headers });

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
// ZW_PROFILE=0: the same load without the sampler, for its CPU per request alone.
// ZW_PROFILE=heap: allocations instead (sampled every 4 KiB), by the function that made them.
const sampling = process.env.ZW_PROFILE !== '0' && process.env.ZW_PROFILE !== 'heap';
const heap = process.env.ZW_PROFILE === 'heap';
if (sampling) await session.post('Profiler.start');
if (heap)
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const cpuBefore = process.cpuUsage();
const result = await run(target.url, { ...target, duration: DURATION, headers });
const cpu = process.cpuUsage(cpuBefore);
loopDelay.disable();
if (heap) {
  const { profile: allocations } = await session.post('HeapProfiler.stopSampling');
  printAllocations(allocations, result.requests.total);
}
const { profile } = sampling
  ? await session.post('Profiler.stop')
  : { profile: { nodes: [], samples: [], timeDeltas: [] } };
session.disconnect();
await platform.stop();
await rm(dataDir, { recursive: true, force: true });
await writeFile(out, JSON.stringify(profile));

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const nodes = new Map<number, Node>();
const parent = new Map<number, number>();
for (const node of profile.nodes as Node[]) {
  nodes.set(node.id, node);
  for (const child of node.children ?? []) parent.set(child, node.id);
}

/** A package name for dependency code, the path under `src/` for ours, or the VM's own. */
function where(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const m = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  const src = /packages\/([^/]+)\/src\/(.*)$/.exec(url);
  if (src) return `${src[1]}/${src[2]}`;
  if (url.startsWith('node:')) return 'node:internal';
  return url;
}

const samples = profile.samples as number[];
const deltas = profile.timeDeltas as number[];
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const fnSelf = new Map<string, number>();
let total = 0;
let busy = 0;
for (let i = 0; i < samples.length; i++) {
  const us = deltas[i + 1] ?? deltas[i] ?? 0;
  total += us;
  let id: number | undefined = samples[i]!;
  const leaf = nodes.get(id)!;
  if (leaf.callFrame.functionName === '(idle)') continue;
  busy += us;
  const leafWhere = where(leaf.callFrame.url, leaf.callFrame.functionName);
  self.set(leafWhere, (self.get(leafWhere) ?? 0) + us);
  const fn = `${leaf.callFrame.functionName || '(anonymous)'} ${leafWhere}:${leaf.callFrame.lineNumber + 1}`;
  fnSelf.set(fn, (fnSelf.get(fn) ?? 0) + us);
  const seen = new Set<string>();
  while (id !== undefined) {
    const n = nodes.get(id)!;
    seen.add(where(n.callFrame.url, n.callFrame.functionName));
    id = parent.get(id);
  }
  for (const w of seen) inclusive.set(w, (inclusive.get(w) ?? 0) + us);
}

const requests = result.requests.total;
const pct = (us: number) => `${((100 * us) / busy).toFixed(1)} %`;
const perReq = (us: number) => `${(us / requests).toFixed(1)} µs`;
const table = (title: string, m: Map<string, number>, n: number) => {
  console.log(`\n${title}\n| where | share of busy | per request |\n| --- | ---: | ---: |`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`| ${k} | ${pct(v)} | ${perReq(v)} |`);
  }
};
console.log(
  `\n${scenario}: ${requests} requests, ${result.requests.average} req/s, p99 ${result.latency.p99} ms; ` +
    `main thread busy ${((100 * busy) / total).toFixed(0)} % = ${perReq(busy)} per request; ` +
    `process CPU ${perReq(cpu.user + cpu.system)} per request (user ${perReq(cpu.user)}); ` +
    `event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms`,
);
table('Self time by package / source file', self, 25);
table('Inclusive time by package / source file', inclusive, 40);
table('Hottest functions (self)', fnSelf, 40);
console.log(`\nprofile written to ${out}`);

interface AllocationNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: AllocationNode[];
}

/** Bytes allocated per request by allocating function (the sampler's estimate). */
function printAllocations(root: { head: AllocationNode }, requests: number): void {
  const by = new Map<string, number>();
  const walk = (node: AllocationNode) => {
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${where(f.url, f.functionName)}:${f.lineNumber + 1}`;
    by.set(key, (by.get(key) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child);
  };
  walk(root.head);
  const total = [...by.values()].reduce((a, b) => a + b, 0);
  console.log(`\nAllocated ${(total / requests).toFixed(0)} bytes per request (sampled)\n`);
  console.log('| allocating function | bytes per request |\n| --- | ---: |');
  for (const [k, v] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
    console.log(`| ${k} | ${(v / requests).toFixed(0)} |`);
  }
}
