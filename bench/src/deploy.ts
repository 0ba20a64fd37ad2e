/**
 * `zw deploy` of a template to its first 200, on the embedded default (a fresh platform in
 * this process, embedded PostgreSQL and object storage). Three deploys of the 行政审批
 * template: the first fills the shared npm cache (cold), a second app from the same
 * template (warm cache: dependencies linked, a new database and bucket provisioned), and a
 * new version of that app (warm, resources reused). Target (issue: deploy with scaling):
 * warm deploy to first 200 < 10 s.
 */
import { spawnSync } from 'node:child_process';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { run } from '@zhengwu/cli';
import { loadConfig, startPlatform } from '@zhengwu/platform';
import { Zhengwu } from '@zhengwu/sdk';

const require = createRequire(import.meta.url);
const scaffolder = join(require.resolve('create-zhengwu/package.json'), '..', 'src', 'index.js');

const dataDir = await mkdtemp(join(tmpdir(), 'zw-deploy-bench-'));
const platform = await startPlatform(
  loadConfig({
    ZW_PORT: '0',
    ZW_DATA_DIR: dataDir,
    ZW_LOG_LEVEL: 'silent',
    ZW_MQTT_PORT: '0',
    ZW_OBJECT_STORAGE_PORT: '0',
  }),
);
const admin = new Zhengwu({ baseUrl: platform.url, token: platform.adminToken! });
const tenant = await admin.tenants.create({
  parentId: null,
  name: 'bench',
  displayName: { zh: '基准', en: 'bench' },
  level: 'province',
});
const port = Number(new URL(platform.url).port);

function status(host: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/', headers: { host }, agent: false },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', () => resolve(0));
    req.end();
  });
}

const sink = { write: () => true };
/** Wall-clock start of each deploy, for the timeline of its log. */
const startedAt = new Map<string, number[]>();
/** When `zw deploy` itself returned, per deploy of an app. */
const cliSeconds = new Map<string, number[]>();
async function deploy(dir: string, app: string): Promise<number> {
  const started = performance.now();
  startedAt.set(app, [...(startedAt.get(app) ?? []), Date.now()]);
  const code = await run(['deploy', dir, '--tenant', 'bench', '--no-logs', '--json'], {
    stdout: sink,
    stderr: sink,
    env: {
      ...process.env,
      ZHENGWU_URL: platform.url,
      ZHENGWU_TOKEN: platform.adminToken!,
      XDG_CONFIG_HOME: dataDir,
      NO_COLOR: '1',
    },
  });
  if (code !== 0) throw new Error(`zw deploy ${app} exited ${code}`);
  cliSeconds.set(app, [...(cliSeconds.get(app) ?? []), (performance.now() - started) / 1000]);
  while ((await status(`${app}.bench.localhost:${port}`)) !== 200) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return (performance.now() - started) / 1000;
}

function scaffold(name: string): string {
  const dir = join(dataDir, name);
  const result = spawnSync(process.execPath, [
    scaffolder,
    dir,
    '--template',
    'approval',
    '--no-interactive',
  ]);
  if (result.status !== 0) throw new Error(`scaffolding ${name} failed`);
  return dir;
}

/** Where the time of an app's deploys went: its log (build, release, rollout) with offsets. */
async function timeline(name: string): Promise<void> {
  const app = (await admin.apps.list({ tenantId: tenant.id })).data.find((a) => a.name === name);
  const starts = startedAt.get(name) ?? [];
  if (!app) return;
  let shown = -1;
  for await (const entry of admin.apps.logs.stream(app.id, { tail: 1000 })) {
    if (entry.source !== 'platform' && !entry.message.startsWith('$')) continue;
    const time = Date.parse(entry.time);
    const n = starts.filter((t) => t <= time).length - 1;
    if (n < 0) continue;
    if (n !== shown) {
      console.log(`\n${name}, deploy ${n + 1} (seconds after zw deploy started):`);
      shown = n;
    }
    const at = ((time - starts[n]!) / 1000).toFixed(2).padStart(6);
    if (entry.message.includes(' is live')) {
      console.log(
        `  ${(cliSeconds.get(name)?.[n] ?? 0).toFixed(2).padStart(6)}  zw deploy returned`,
      );
    }
    console.log(`  ${at}  ${entry.source.padEnd(8)} ${entry.message.slice(0, 90)}`);
  }
}

try {
  const cold = await deploy(scaffold('approval'), 'approval');
  const warmNew = await deploy(scaffold('approval-two'), 'approval-two');
  await appendFile(join(dataDir, 'approval-two', 'public', 'index.html'), '\n<!-- v2 -->\n');
  const warmAgain = await deploy(join(dataDir, 'approval-two'), 'approval-two');
  console.log(
    `\nzw deploy of the approval template to its first 200 (embedded default, tenant ${tenant.name})\n`,
  );
  console.log(`cold (npm cache empty, new app)        ${cold.toFixed(1).padStart(5)} s`);
  console.log(`warm (dependencies cached, new app)    ${warmNew.toFixed(1).padStart(5)} s`);
  console.log(`warm (new version, resources reused)   ${warmAgain.toFixed(1).padStart(5)} s`);
  console.log(`\ntarget warm < 10 s: ${Math.max(warmNew, warmAgain) < 10 ? 'met' : 'NOT met'}`);
  await timeline('approval-two');
} finally {
  for (const app of ['approval', 'approval-two']) {
    await run(['apps', 'delete', app, '--yes', '--wait'], {
      stdout: sink,
      stderr: sink,
      env: {
        ...process.env,
        ZHENGWU_URL: platform.url,
        ZHENGWU_TOKEN: platform.adminToken!,
        XDG_CONFIG_HOME: dataDir,
      },
    });
  }
  await platform.stop();
  await rm(dataDir, { recursive: true, force: true });
}
