/**
 * The platform benchmarks' fixtures: a platform on a fresh data dir with 10 000 tenants (one
 * province, 99 cities under it, 100 districts under each city), and autocannon run in its
 * own process.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunningPlatform } from '@zhengwu/platform';
import * as workspacePlatform from '@zhengwu/platform';
import type autocannon from 'autocannon';

const require = createRequire(import.meta.url);

/** What `paced-load.ts` prints: an open-loop run at a fixed rate. */
export interface PacedResult {
  requests: { total: number; average: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
}

/**
 * Requests evenly spaced at `rate` per second, in their own process (`paced-load.ts`, open
 * loop: latency counts from when a request was due). The fair yardstick of "p99 at N req/s".
 */
export function runPaced(
  url: string,
  options: {
    rate: number;
    duration: number;
    connections: number;
    headers?: Record<string, string>;
  },
): Promise<PacedResult> {
  const args = [
    '--import',
    'tsx',
    join(import.meta.dirname, 'paced-load.ts'),
    url,
    String(options.rate),
    String(options.duration),
    String(options.connections),
    ...Object.entries(options.headers ?? {}).map(([k, v]) => `${k}=${v}`),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`paced-load exited ${code}`)),
    );
  });
}

/**
 * Runs autocannon in its own process (its CLI, JSON output), so the load generator does not
 * share the server's event loop — only the machine, as a remote client would not.
 */
export function run(
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

/**
 * A platform on a fresh data dir (embedded PostgreSQL), quiet. `ZW_BENCH_PLATFORM` names
 * another copy's `src/index.ts` (say a `git archive` of an earlier commit) to measure it
 * instead, under the same conditions.
 */
export async function benchPlatform(): Promise<{ platform: RunningPlatform; dataDir: string }> {
  const { loadConfig, startPlatform } = process.env.ZW_BENCH_PLATFORM
    ? ((await import(
        pathToFileURL(process.env.ZW_BENCH_PLATFORM).href
      )) as typeof workspacePlatform)
    : workspacePlatform;
  const dataDir = await mkdtemp(join(tmpdir(), 'zw-bench-'));
  const platform = await startPlatform(
    loadConfig({ ZW_PORT: '0', ZW_DATA_DIR: dataDir, ZW_LOG_LEVEL: 'silent' }),
  );
  return { platform, dataDir };
}

/** 10 000 tenants: one province, 99 cities under it, 100 districts under each city. */
export async function seedTenants(platform: RunningPlatform): Promise<void> {
  const province = { id: 'ten_benchProvince000000', path: ['ten_benchProvince000000'] };
  const rows = [
    {
      id: province.id,
      name: 'bench',
      parent_id: null as string | null,
      path: province.path,
      level: 'province' as 'province' | 'city' | 'district',
    },
  ];
  for (let c = 0; c < 99; c++) {
    const city = `ten_benchCity${String(c).padStart(10, '0')}`;
    rows.push({
      id: city,
      name: `city-${c}`,
      parent_id: province.id,
      path: [province.id, city],
      level: 'city',
    });
    for (let d = 0; d < 100 && rows.length < 10_000; d++) {
      const id = `ten_benchDist${String(c * 100 + d).padStart(10, '0')}`;
      rows.push({
        id,
        name: `district-${d}`,
        parent_id: city,
        path: [province.id, city, id],
        level: 'district',
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
}

/**
 * 10 000 service instances, one per seeded tenant (`seedTenants` first), each with the
 * provisioning operation that made it, as the broker leaves them: what
 * `GET /v1/instances?limit=100` pages through. The rows name a pool but no engine holds them:
 * the list reads the control plane's tables only.
 */
export async function seedInstances(platform: RunningPlatform): Promise<void> {
  const tenants = await platform.db
    .selectFrom('tenants')
    .select('id')
    .where('id', 'like', 'ten_bench%')
    .orderBy('id')
    .execute();
  const plans = ['s', 'm', 'l'];
  const created = Date.now() - 86_400_000;
  for (let i = 0; i < 10_000; i += 1000) {
    const batch = tenants.slice(i, i + 1000).map((t, j) => {
      const n = i + j;
      const at = new Date(created + n * 1000);
      return {
        id: `ins_bench${String(n).padStart(14, '0')}`,
        op: `op_bench${String(n).padStart(15, '0')}`,
        tenant_id: t.id,
        name: `db-${n}`,
        plan: plans[n % plans.length]!,
        at,
      };
    });
    await platform.db
      .insertInto('operations')
      .values(
        batch.map((b) => ({
          id: b.op,
          tenant_id: b.tenant_id,
          type: 'instance.provision',
          state: 'succeeded' as const,
          target_type: 'instance',
          target_id: b.id,
          progress: JSON.stringify({ percent: 100, step: 'done', message: null }),
          input: '{}',
          error: null,
          run_after: b.at,
          created_at: b.at,
          started_at: b.at,
          finished_at: b.at,
          updated_at: b.at,
        })),
      )
      .execute();
    await platform.db
      .insertInto('instances')
      .values(
        batch.map((b) => ({
          id: b.id,
          tenant_id: b.tenant_id,
          name: b.name,
          service: 'postgresql',
          plan: b.plan,
          parameters: JSON.stringify({ extensions: ['pgcrypto'] }),
          labels: JSON.stringify({ app: 'approval', env: 'prod' }),
          state: 'ready' as const,
          pool: 'postgresql-embedded',
          dashboard_url: null,
          last_operation_id: b.op,
          reserved: JSON.stringify({ instances: 1, storageMb: 1024 }),
          created_at: b.at,
          updated_at: b.at,
        })),
      )
      .execute();
  }
}

/**
 * CPU time (µs, user + system) the embedded PostgreSQL of `dataDir` has used so far: its
 * postmaster and backends, from `/proc` (Linux; `undefined` elsewhere). Ticks are 10 ms, so
 * measure runs of thousands of queries.
 */
export function postgresCpu(dataDir: string): number | undefined {
  try {
    const postmaster = readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split(
      '\n',
    )[0];
    let ticks = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      // Fields after the command name: state ppid … utime(12th) stime(13th).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (pid === postmaster || fields[1] === postmaster) {
        ticks += Number(fields[11]) + Number(fields[12]);
      }
    }
    return ticks * 10_000;
  } catch {
    return undefined;
  }
}
