/**
 * The acceptance test: each of the four templates, scaffolded by the real
 * `create-zhengwu` and deployed with the real `zw deploy`, answers through the platform's
 * router with its own web page, and a write through its web API reads back. Then, on the
 * approval app: scale to 3, heal a killed replica, redeploy under load with zero failed
 * requests, roll back. Everything runs for real: a platform started here on the embedded
 * default — no `ZW_*_URL`: embedded PostgreSQL, MQTT and object storage, and the embedded
 * Redis the platform runs from this machine's `redis-server` — and `npm install` from the
 * registry.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { run } from '@zhengwu/cli';
import { loadConfig, type RunningPlatform, startPlatform } from '@zhengwu/platform';
import { Zhengwu } from '@zhengwu/sdk';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// ---------------------------------------------------------------------------------------------
// The embedded default needs nothing installed but, for Redis, this machine's `redis-server`.

function redisServerFound(): boolean {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
  if (found) return true;
  const reason = 'redis-server is not installed (the embedded Redis runs it)';
  if (process.env.CI) throw new Error(`${reason} — CI needs it`);
  console.warn(`skipping the templates' deploy test: ${reason}`);
  return false;
}

const available = redisServerFound();

// ---------------------------------------------------------------------------------------------
// The scaffolder and the CLI, as a vendor runs them.

const require = createRequire(import.meta.url);
const templatesPackage = dirname(require.resolve('create-zhengwu/package.json'));
const scaffolderBin = join(
  templatesPackage,
  (require('create-zhengwu/package.json') as { bin: Record<string, string> }).bin[
    'create-zhengwu'
  ]!,
);

/** `npm create zhengwu <dir> -- --template <name> --no-interactive`, as a child process. */
function scaffold(dir: string, template: string): Promise<{ code: number; output: string }> {
  const child = spawn(
    process.execPath,
    [scaffolderBin, dir, '--template', template, '--no-interactive'],
    { cwd: dirname(dir), env: { PATH: process.env.PATH, HOME: process.env.HOME } },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stdin.end();
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

interface ZwResult {
  code: number;
  stdout: string;
  stderr: string;
  // biome-ignore lint/suspicious/noExplicitAny: the test reads whatever the command prints.
  json<T = any>(): T;
}

let cliEnv: Record<string, string | undefined> = {};

/** `zw <argv>` in-process through `run()`, with the vendor's URL, token and config folder. */
async function zw(...argv: string[]): Promise<ZwResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: cliEnv,
    stdinIsTTY: false,
    stdoutIsTTY: false,
    stderrIsTTY: false,
  });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

/** Like `zw`, but a non-zero exit fails the test with what the command said. */
async function zwOk(...argv: string[]): Promise<ZwResult> {
  const result = await zw(...argv);
  expect(result.code, `zw ${argv.join(' ')}\n${result.stderr}\n${result.stdout}`).toBe(0);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Reaching an app through the platform's router: `*.localhost` may not resolve here, so the
// request goes to the platform's port with the app URL's host in the Host header.

interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: API bodies of four different apps.
  json(): any;
}

interface CallOptions {
  method?: string;
  json?: unknown;
  body?: Buffer;
  headers?: Record<string, string>;
}

function call(appUrl: string, path: string, options: CallOptions = {}): Promise<HttpResult> {
  const url = new URL(appUrl);
  const body =
    options.json !== undefined ? Buffer.from(JSON.stringify(options.json)) : options.body;
  const headers: Record<string, string> = { host: url.host, ...options.headers };
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: url.port,
        method: options.method ?? 'GET',
        path: `${url.pathname.replace(/\/$/, '')}/${path}`,
        headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const all = Buffer.concat(chunks);
          const text = all.toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: all,
            text,
            json: () => JSON.parse(text),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function until<T>(
  what: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 60_000,
  pauseMs = 200,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 2000)}`);
    }
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}

// ---------------------------------------------------------------------------------------------
// Each template: its page, and a write through its web API that reads back.

/** A resident ID number with a valid GB 11643 check character. */
function residentId(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return first17 + '10X98765432'[sum % 11];
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface TemplateCase {
  name: 'approval' | 'data-sharing' | 'hotline' | 'oa';
  /** Text only this template's web page has. */
  pageMarker: string;
  /** Runs after the first deploy, before the API check (e.g. set a known secret). */
  prepare?(app: DeployedApp): Promise<void>;
  writeAndReadBack(url: string): Promise<void>;
}

interface DeployedApp {
  id: string;
  name: string;
  url: string;
}

const dataSharingAdminToken = `it-admin-${randomBytes(12).toString('hex')}`;

const TEMPLATES: TemplateCase[] = [
  {
    name: 'approval',
    pageMarker: '<title>行政审批 · Administrative approval</title>',
    async writeAndReadBack(url) {
      const applicant = {
        type: 'person',
        name: '验收测试 · Acceptance',
        idNumber: residentId('33010219900101123'),
        phone: '13800001234',
      };
      const created = await call(url, 'api/applications', {
        method: 'POST',
        json: { matterId: 'food-business-licence', applicant, form: { shopName: '验收小吃店' } },
      });
      expect(created.status, created.text).toBe(201);
      const id = created.json().id as string;
      // The attachment goes to the bound bucket (object storage) and comes back byte for byte.
      const file = randomBytes(4096);
      const upload = await call(
        url,
        `api/applications/${id}/attachments?material=application-form&fileName=form.pdf`,
        { method: 'POST', body: file, headers: { 'content-type': 'application/pdf' } },
      );
      expect(upload.status, upload.text).toBe(201);
      const read = await call(url, `api/applications/${id}`);
      expect(read.status).toBe(200);
      const app = read.json();
      expect(app).toMatchObject({ id, status: 'draft', form: { shopName: '验收小吃店' } });
      expect(app.applicant.name).toBe(applicant.name);
      expect(app.attachments.map((a: { id: string }) => a.id)).toEqual([upload.json().id]);
      const download = await call(url, `api/applications/${id}/attachments/${upload.json().id}`);
      expect(download.status).toBe(200);
      expect(sha256(download.body)).toBe(sha256(file));
    },
  },
  {
    name: 'data-sharing',
    pageMarker: '<title>数据共享 · Data sharing</title>',
    // ADMIN_TOKEN is generated at deploy and never shown: set a known one as a config var
    // (config vars override the manifest's values) and restart.
    async prepare(app) {
      await developer.apps.update(app.id, { env: { ADMIN_TOKEN: dataSharingAdminToken } });
      await zwOk('apps', 'restart', app.name, '--wait', '--json');
    },
    async writeAndReadBack(url) {
      const admin = { authorization: `Bearer ${dataSharingAdminToken}` };
      // The restart is rolling: wait until every replica serving has the new token.
      await until(
        'the admin API to accept the known token',
        () => call(url, 'api/admin/datasets', { headers: admin }),
        (r) => r.status === 200,
        30_000,
      );
      expect((await call(url, 'api/admin/datasets')).status).toBe(401);
      const created = await call(url, 'api/admin/consumers', {
        method: 'POST',
        headers: admin,
        json: {
          name: '验收调用方 · Acceptance consumer',
          department: '测试',
          rateLimitPerMinute: 100,
        },
      });
      expect(created.status, created.text).toBe(201);
      const { consumer, apiKey } = created.json();
      const key = { 'x-api-key': apiKey };
      const rowsPath = 'api/v1/datasets/enterprise-licences/rows?pageSize=5';
      // A conditional dataset: refused until the grant below is written.
      expect((await call(url, rowsPath, { headers: key })).status).toBe(403);
      const grant = await call(
        url,
        `api/admin/consumers/${consumer.id}/grants/enterprise-licences`,
        {
          method: 'PUT',
          headers: admin,
          json: { purpose: '验收 · acceptance test' },
        },
      );
      expect(grant.status, grant.text).toBeLessThan(300);
      const listed = await call(url, 'api/admin/consumers', { headers: admin });
      expect(listed.json().items.map((c: { id: string }) => c.id)).toContain(consumer.id);
      // The consumer reads the granted dataset; the second read comes from Redis.
      const first = await call(url, rowsPath, {
        headers: key,
      });
      expect(first.status, first.text).toBe(200);
      expect(first.json().rows.length).toBeGreaterThan(0);
      expect(first.headers['x-cache']).toBe('MISS');
      const second = await call(url, rowsPath, {
        headers: key,
      });
      expect(second.headers['x-cache']).toBe('HIT');
      expect(second.json()).toEqual(first.json());
    },
  },
  {
    name: 'hotline',
    pageMarker: '<title>12345 热线工单 · 12345 Hotline work orders</title>',
    async writeAndReadBack(url) {
      const created = await call(url, 'api/work-orders', {
        method: 'POST',
        json: {
          channel: 'web',
          citizen: { name: '验收', phone: '13800138000' },
          category: 'complaint',
          location: '验收路 1 号',
          content: '验收测试 · acceptance test',
        },
      });
      expect(created.status, created.text).toBe(201);
      const id = created.json().id as string;
      const read = await call(url, `api/work-orders/${id}`);
      expect(read.status).toBe(200);
      expect(read.json()).toMatchObject({
        id,
        status: 'accepted',
        content: '验收测试 · acceptance test',
      });
      // web → outbox → MQTT → worker process → event log: the bound topic prefix carries events.
      const events = await until(
        'the worker to record the created event',
        () => call(url, `api/work-orders/${id}/events`).then((r) => r.json()),
        (e) =>
          e.items?.some(
            (x: { routing_key?: string; routingKey?: string }) =>
              (x.routingKey ?? x.routing_key) === 'workorder.created',
          ),
        60_000,
        500,
      );
      expect(events.items.length).toBeGreaterThan(0);
    },
  },
  {
    name: 'oa',
    pageMarker: '<title>OA 公文 · Official documents</title>',
    async writeAndReadBack(url) {
      const created = await call(url, 'api/documents/outgoing', {
        method: 'POST',
        json: {
          title: '关于验收测试的通知 · Notice on the acceptance test',
          docType: '通知',
          classification: 'internal',
          urgency: 'normal',
          issuingOrg: '验收办公室 · Acceptance office',
          numberPrefix: `验收${randomBytes(2).toString('hex')}`,
          mainRecipients: ['各单位'],
          actor: '验收拟稿人',
        },
      });
      expect(created.status, created.text).toBe(201);
      const id = created.json().id as string;
      const text = Buffer.from('正文 · body text of the acceptance test');
      const upload = await call(
        url,
        `api/documents/${id}/attachments?kind=body&fileName=body.txt`,
        {
          method: 'POST',
          body: text,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        },
      );
      expect(upload.status, upload.text).toBe(201);
      const read = await call(url, `api/documents/${id}`);
      expect(read.status).toBe(200);
      expect(read.json()).toMatchObject({ id, status: 'drafting' });
      expect(JSON.stringify(read.json())).toContain(upload.json().id);
      const download = await call(url, `api/documents/${id}/attachments/${upload.json().id}`);
      expect(download.status).toBe(200);
      expect(download.text).toBe(text.toString('utf8'));
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Replicas as the operating system sees them: processes whose environment names the app.

async function replicaPids(appId: string, processType: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = (await readFile(`/proc/${entry}/environ`, 'utf8')).split('\0');
      if (!environ.includes(`ZHENGWU_APP_ID=${appId}`)) continue;
      if (!environ.includes(`ZHENGWU_PROCESS=${processType}`)) continue;
      // The replica is `/bin/sh -c "node server.js"`: the node process is the server.
      const argv0 = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0')[0] ?? '';
      if (/(^|\/)node$/.test(argv0)) pids.push(Number(entry));
    } catch {
      // The process ended while being read.
    }
  }
  return pids.sort((a, b) => a - b);
}

/** The users the embedded Redis knows (`ACL USERS`, as the platform's admin user, in RESP). */
async function redisUsers(): Promise<string> {
  const dir = join(dataDir, 'engines', 'redis');
  const port = Number((await readFile(join(dir, 'port'), 'utf8')).trim());
  const password = (await readFile(join(dir, 'admin-password'), 'utf8')).trim();
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (reply.startsWith('-')) {
        socket.end();
        reject(new Error(reply.trim()));
        return;
      }
      // `+OK` for AUTH, then `*<n>` and n bulk strings: done when every one has arrived.
      const users = reply.slice(reply.indexOf('\r\n') + 2);
      const count = Number(/^\*(\d+)\r\n/.exec(users)?.[1] ?? Number.NaN);
      if (users.split('\r\n').length - 1 >= 1 + 2 * count) {
        socket.end();
        resolve(users);
      }
    });
    socket.once('error', reject);
    socket.write(`AUTH zw-admin ${password}\r\nACL USERS\r\n`);
  });
}

/** The app's last log lines, one per line as `process/replica stream: message`. */
async function lastLogLines(appId: string): Promise<string> {
  const lines: string[] = [];
  try {
    for await (const e of developer.apps.logs.stream(appId, { follow: false, tail: 60 })) {
      lines.push(`${e.process}/${e.replica ?? '-'} ${e.stream}: ${e.message}`);
    }
  } catch (error) {
    lines.push(`(logs unavailable: ${String(error)})`);
  }
  return lines.join('\n');
}

/** Whether the embedded MQTT broker lets these credentials in (CONNACK accepted). */
async function mqttAccepts(uri: string): Promise<boolean> {
  try {
    const client = await mqtt.connectAsync(uri, { reconnectPeriod: 0, connectTimeout: 5000 });
    await client.endAsync(true);
    return true;
  } catch (error) {
    if (/Not authorized|Bad username or password/i.test(String(error))) return false;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------

let platform: RunningPlatform;
let admin: Zhengwu;
let developer: Zhengwu;
let tenantId: string;
let tenantName: string;
let dataDir: string;
let workDir: string;
const deployed = new Map<string, DeployedApp & { dir: string }>();
const figures: Record<string, Record<string, number>> = {};

async function deployAndTime(
  dir: string,
): Promise<{ app: DeployedApp; json: ZwResult; cliMs: number; to200Ms: number }> {
  const started = performance.now();
  const result = await zwOk('deploy', dir, '--json');
  const cliMs = performance.now() - started;
  const out = result.json();
  expect(out.release.state).toBe('succeeded');
  expect(out.app.url).toMatch(/^http:\/\//);
  const app = { id: out.app.id, name: out.app.name, url: out.app.url };
  await until(
    'the app to answer 200',
    () => call(app.url, ''),
    (r) => r.status === 200,
    30_000,
    50,
  );
  return { app, json: result, cliMs, to200Ms: performance.now() - started };
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

describe.runIf(available)('the four templates, scaffolded and deployed with zw', () => {
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'zw-templates-it-'));
    workDir = await mkdtemp(join(tmpdir(), 'zw-templates-apps-'));
    platform = await startPlatform(
      loadConfig({
        ZW_PORT: '0',
        ZW_DATA_DIR: dataDir,
        ZW_LOG_LEVEL: 'silent',
        // Every response the CLI reads is checked against the contract.
        ZW_VALIDATE_RESPONSES: '1',
        // The embedded default, its engines on free ports (test files run in parallel).
        ZW_MQTT_PORT: '0',
        ZW_OBJECT_STORAGE_PORT: '0',
        ZW_REDIS_PORT: '0',
      }),
    );
    admin = new Zhengwu({ baseUrl: platform.url, token: platform.adminToken! });
    tenantName = `tpl-${randomBytes(3).toString('hex')}`;
    const tenant = await admin.tenants.create({
      parentId: null,
      name: tenantName,
      displayName: { zh: '模板验收', en: 'Template acceptance' },
      level: 'province',
    });
    tenantId = tenant.id;
    const { secret } = await admin.tokens.create({
      name: 'templates acceptance',
      tenantId: tenant.id,
      role: 'developer',
      expiresInDays: 1,
    });
    developer = new Zhengwu({ baseUrl: platform.url, token: secret });
    cliEnv = {
      ZHENGWU_URL: platform.url,
      ZHENGWU_TOKEN: secret,
      XDG_CONFIG_HOME: join(workDir, '.config'),
      HOME: workDir,
      PATH: process.env.PATH,
      NO_COLOR: '1',
    };
  }, 180_000);

  afterAll(async () => {
    const rows = Object.entries(figures).map(([t, f]) => ({ template: t, ...f }));
    if (rows.length) {
      console.log('templates deploy figures (seconds):');
      console.table(rows);
    }
    if (!platform) return;
    try {
      // Apps first (their bindings go with them), then the instances they created.
      for (const app of deployed.values()) {
        const r = await zw('apps', 'delete', app.name, '--yes', '--wait', '--json');
        if (r.code !== 0) console.warn(`zw apps delete ${app.name}: ${r.stderr}`);
      }
      const listed = await zw('services', 'list', '--json');
      const instances =
        listed.code === 0 ? (listed.json() as { name: string; state: string }[]) : [];
      for (const i of instances.filter((x) => x.state !== 'deleted')) {
        const r = await zw('services', 'delete', i.name, '--force', '--yes', '--wait', '--json');
        if (r.code !== 0) console.warn(`zw services delete ${i.name}: ${r.stderr}`);
      }
    } finally {
      await platform.stop();
      await rm(dataDir, { recursive: true, force: true });
      await rm(workDir, { recursive: true, force: true });
    }
  }, 300_000);

  for (const template of TEMPLATES) {
    it(`${template.name}: scaffold → zw deploy → its page and API through the router`, async () => {
      const dir = join(workDir, template.name);
      const t0 = performance.now();
      const created = await scaffold(dir, template.name);
      const scaffoldMs = performance.now() - t0;
      expect(created.code, created.output).toBe(0);
      expect(await readFile(join(dir, 'zhengwu.yaml'), 'utf8')).toContain(`name: ${template.name}`);

      const first = await deployAndTime(dir);
      deployed.set(template.name, { ...first.app, dir });
      const { app } = first;
      expect(new URL(app.url).hostname).toBe(`${template.name}.${tenantName}.localhost`);

      // `zw apps show` tells the same URL and every process ready.
      const shown = (await zwOk('apps', 'show', template.name, '--json')).json();
      expect(shown.app.url).toBe(app.url);
      for (const p of shown.app.processes) expect(p.ready, JSON.stringify(p)).toBe(p.replicas);

      const page = await call(app.url, '');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.text).toContain(template.pageMarker);
      // The same page under the path route, with its relative assets.
      const byPath = `http://127.0.0.1:${new URL(app.url).port}/apps/${tenantName}/${template.name}/`;
      const viaPath = await call(byPath, '');
      expect(viaPath.status).toBe(200);
      expect(viaPath.text).toContain(template.pageMarker);
      expect((await call(byPath, 'app.js')).status).toBe(200);

      await template.prepare?.(app);
      await template.writeAndReadBack(app.url).catch(async (error: Error) => {
        // What the app's processes said is what tells why (a worker that never connected, say).
        error.message += `\n--- last log lines of ${template.name} ---\n${await lastLogLines(app.id)}`;
        throw error;
      });

      // A second deploy of the same app: the dependencies come from the package cache.
      const second = await deployAndTime(dir);
      expect(second.json.json().release.version).toBeGreaterThan(first.json.json().release.version);
      expect((await call(app.url, '')).text).toContain(template.pageMarker);

      figures[template.name] = {
        scaffold: seconds(scaffoldMs),
        firstDeployCli: seconds(first.cliMs),
        firstDeployTo200: seconds(first.to200Ms),
        secondDeployCli: seconds(second.cliMs),
        secondDeployTo200: seconds(second.to200Ms),
      };
      console.log(`${template.name}: ${JSON.stringify(figures[template.name])}`);
    }, 600_000);
  }

  it('approval: scale to 3, heal a killed replica, redeploy under load, roll back', async () => {
    const approval = deployed.get('approval');
    expect(approval, 'the approval app was deployed by its own test').toBeDefined();
    const { id, url, dir } = approval!;
    const show = async () => (await zwOk('apps', 'show', 'approval', '--json')).json().app;
    const web = (app: { processes: { type: string; ready: number; replicas: number }[] }) =>
      app.processes.find((p) => p.type === 'web')!;

    // Scale.
    const scaled = (await zwOk('apps', 'scale', 'approval', '--replicas', '3', '--json')).json();
    expect(scaled.processes.find((p: { type: string }) => p.type === 'web').replicas).toBe(3);
    await until('3 ready', show, (a) => web(a).ready === 3 && web(a).replicas === 3, 60_000);
    const before = await until(
      '3 web processes',
      () => replicaPids(id, 'web'),
      (p) => p.length === 3,
      10_000,
    );

    // Kill one replica's server process; the platform notices and brings a new one up.
    const victim = before[1]!;
    process.kill(victim, 'SIGKILL');
    await until('a replica down', show, (a) => web(a).ready < 3, 10_000, 50);
    await until('3 ready again', show, (a) => web(a).ready === 3, 60_000);
    const after = await until(
      '3 web processes again',
      () => replicaPids(id, 'web'),
      (p) => p.length === 3 && !p.includes(victim),
      10_000,
    );
    expect(after.filter((p) => before.includes(p))).toHaveLength(2);

    // A new version under a steady load of GETs: not one request may fail.
    const firstPage = (await call(url, '')).text;
    const v2Marker = '验收第二版 · Acceptance v2';
    const indexFile = join(dir, 'public', 'index.html');
    const html = await readFile(indexFile, 'utf8');
    expect(html).toContain('<h1>行政审批 <small>Administrative approval</small></h1>');
    await writeFile(
      indexFile,
      html.replace(
        '<h1>行政审批 <small>Administrative approval</small></h1>',
        `<h1>行政审批 <small>Administrative approval</small> <em>${v2Marker}</em></h1>`,
      ),
    );
    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    const load = (async () => {
      while (!stop) {
        const r = await call(url, '').catch((e: Error) => ({ status: 0, text: String(e) }));
        if (r.status === 200 && r.text.includes('行政审批')) ok++;
        else failures.push(`${r.status} ${r.text.slice(0, 200)}`);
      }
    })();
    const started = performance.now();
    let redeploy: ZwResult;
    try {
      redeploy = await zw('deploy', dir, '--json');
    } finally {
      stop = true;
      await load;
    }
    expect(redeploy.code, redeploy.stderr).toBe(0);
    const redeployMs = performance.now() - started;
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(20);
    expect((await call(url, '')).text).toContain(v2Marker);
    const afterDeploy = await show();
    expect(web(afterDeploy)).toMatchObject({ replicas: 3, ready: 3 });

    // Roll back to the previous release: the first page again.
    const back = (await zwOk('apps', 'rollback', 'approval', '--wait', '--json')).json();
    expect(back.state).toBe('succeeded');
    const restored = await call(url, '');
    expect(restored.status).toBe(200);
    expect(restored.text).not.toContain(v2Marker);
    expect(restored.text).toBe(firstPage);

    figures['approval (3 replicas)'] = {
      redeployUnderLoad: seconds(redeployMs),
      requestsDuringRedeploy: ok,
      failedRequests: failures.length,
    };
  }, 600_000);

  it('refuses a deploy over the quota before anything is provisioned, leaving no app', async () => {
    const dir = join(workDir, 'over-quota');
    expect((await scaffold(dir, 'approval')).code).toBe(0);
    const before = (await developer.tenants.getUsage(tenantId)).used;
    // Room for one more instance; the approval template needs two (db and files).
    await admin.tenants.setQuota(tenantId, {
      instances: before.instances + 1,
      apps: null,
      memoryMb: null,
      storageMb: null,
      replicas: null,
    });
    try {
      const refused = await zw('deploy', dir, '--json');
      expect(refused.code, refused.stderr).toBe(6);
      expect(refused.stderr).toMatch(/quota_exceeded|配额/);
      const instances = (await zwOk('services', 'list', '--json')).json() as { name: string }[];
      expect(instances.filter((i) => i.name.startsWith('over-quota'))).toEqual([]);
      const apps = (await zwOk('apps', 'list', '--json')).json() as { name: string }[];
      expect(apps.map((a) => a.name)).not.toContain('over-quota');
      expect((await developer.tenants.getUsage(tenantId)).used.instances).toBe(before.instances);
    } finally {
      await admin.tenants.setQuota(tenantId, {
        instances: null,
        apps: null,
        memoryMb: null,
        storageMb: null,
        replicas: null,
      });
    }
  }, 120_000);

  it('deletes the apps and their instances with zw, leaving nothing on the engines', async () => {
    // What the engines hold for these apps: Redis ACL users and MQTT credentials.
    const redisNames: string[] = [];
    const mqttUris: string[] = [];
    for (const app of deployed.values()) {
      for await (const binding of developer.bindings.list({ appId: app.id })) {
        const { credentials } = await developer.bindings.credentials(binding.id);
        const c = credentials as { username?: string; uri?: string };
        if (c.uri?.startsWith('redis')) redisNames.push(c.username!);
        if (c.uri?.startsWith('mqtt')) mqttUris.push(c.uri);
      }
    }
    expect(redisNames.length, 'data-sharing has a Redis binding').toBeGreaterThan(0);
    expect(mqttUris.length, 'hotline has an MQTT binding').toBeGreaterThan(0);
    expect(await redisUsers()).toContain(redisNames[0]);
    expect(await mqttAccepts(mqttUris[0]!)).toBe(true);

    for (const app of [...deployed.values()]) {
      await zwOk('apps', 'delete', app.name, '--yes', '--wait', '--json');
      expect(await replicaPids(app.id, 'web')).toEqual([]);
      expect((await call(app.url, '')).status).toBe(404);
      deployed.delete(app.name);
    }
    const instances = (await zwOk('services', 'list', '--json')).json() as {
      name: string;
      state: string;
    }[];
    const live = instances.filter((i) => i.state !== 'deleted').map((i) => i.name);
    // Each template's resources became `<app>-<resource>` instances.
    expect(live.sort()).toEqual(
      [
        'approval-db',
        'approval-files',
        'data-sharing-cache',
        'data-sharing-db',
        'hotline-db',
        'hotline-mq',
        'oa-db',
        'oa-files',
      ].sort(),
    );
    for (const name of live) await zwOk('services', 'delete', name, '--force', '--yes', '--wait');
    const left = (await zwOk('services', 'list', '--json')).json() as { state: string }[];
    expect(left.filter((i) => i.state !== 'deleted')).toEqual([]);

    const users = await redisUsers();
    for (const name of redisNames) expect(users).not.toContain(name);
    for (const uri of mqttUris) expect(await mqttAccepts(uri)).toBe(false);
  }, 300_000);
});
