/** `zw deploy` end to end against the mock: validate, plan, provision, upload, release, URL. */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Zhengwu } from '@zhengwu/sdk';
import { list } from 'tar';
import { afterEach, describe, expect, it } from 'vitest';
import { packDirectory } from '../src/deploy/pack';
import { displayWidth } from '../src/output/width';
import { CLUTTER, fixtureApp, removeFixtures } from './fixture';
import { CREATE_HANGZHOU, useMock } from './helpers';

const t = useMock();
afterEach(removeFixtures);

async function entriesOf(bytes: Uint8Array, dir: string): Promise<string[]> {
  const file = join(dir, '..', `${dir.split('/').at(-1)}.tgz`);
  await writeFile(file, bytes);
  const names: string[] = [];
  await list({ file, onReadEntry: (e) => void names.push(e.path) });
  await rm(file);
  return names.sort();
}

describe('packing the app folder', () => {
  it('leaves out node_modules, .git, .zhengwu, .env files and .gitignore patterns; is reproducible', async () => {
    const dir = await fixtureApp();
    const first = await packDirectory(dir);
    expect(first.files).toEqual([
      '.env.example',
      '.gitignore',
      'migrate.js',
      'package.json',
      'server.js',
      'src/lib.js',
      'worker.js',
      'zhengwu.yaml',
    ]);
    for (const junk of CLUTTER) expect(first.files).not.toContain(junk);
    expect(await entriesOf(first.bytes, dir)).toEqual(first.files);
    expect(first.sha256).toBe((await packDirectory(dir)).sha256);
  });
});

describe('zw deploy', () => {
  it('--dry-run prints the plan and changes nothing', async () => {
    const dir = await fixtureApp();
    const human = await t.zw(['deploy', dir, '--dry-run']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/部署计划 · Deploy plan: approval/);
    expect(human.stdout).toMatch(/\+ 应用 app\s+approval\s+新建 · create/);
    expect(human.stdout).toMatch(
      /\+ 实例 instance\s+approval-db\s+postgresql\/dev\s+← resources\.db\s+新建 · create/,
    );
    expect(human.stdout).toMatch(
      /\+ 实例 instance\s+shared-files\s+object-storage\/dev\s+← resources\.files \(共享 shared\)/,
    );
    expect(human.stdout).toMatch(/\+ 发布 release\s+v1\s+进程 processes: web, worker/);
    expect(human.stdout).toMatch(/计划 · Plan: 3 新建 to create, 0 复用 to reuse/);

    const json = await t.zw(['deploy', dir, '--dry-run', '--json']);
    expect(json.json().plan).toMatchObject({
      app: { name: 'approval', action: 'create', id: null, nextVersion: 1 },
      processes: ['web', 'worker'],
      resources: [
        { name: 'db', instanceName: 'approval-db', action: 'create', shared: false },
        { name: 'files', instanceName: 'shared-files', action: 'create', shared: true },
      ],
    });
    expect(t.mock.platform.state.apps.size).toBe(0);
    expect(t.mock.platform.state.instances.size).toBe(0);
  });

  it('deploys the fixture app: uploads, follows the release (which provisions), prints the URL', async () => {
    const dir = await fixtureApp();
    const r = await t.zw(['deploy', dir, '-m', 'first release', '--json']);
    expect(r.stderr).not.toMatch(/错误 · Error/);
    expect(r.code).toBe(0);
    const { plan, app, release } = r.json();
    expect(plan.app.action).toBe('create');
    expect(app).toMatchObject({ name: 'approval', state: 'running', currentReleaseId: release.id });
    expect(app.url).toBe(`http://approval.zhejiang.localhost:${new URL(t.mock.url).port}`);
    expect(release).toMatchObject({ version: 1, state: 'succeeded', description: 'first release' });
    expect(release.manifest).toMatchObject({
      metadata: { name: 'approval' },
      resources: { db: { type: 'postgresql' } },
    });
    expect(app.processes.map((p: { type: string }) => p.type).sort()).toEqual(['web', 'worker']);

    const instances = [...t.mock.platform.state.instances.values()];
    expect(instances.map((i) => [i.name, i.service, i.plan, i.state]).sort()).toEqual([
      ['approval-db', 'postgresql', 'dev', 'ready'],
      ['shared-files', 'object-storage', 'dev', 'ready'],
    ]);
    const [source] = [...t.mock.platform.state.sources.values()];
    expect(source!.sha256).toBe((await packDirectory(dir)).sha256);

    // Progress (stderr, not a terminal): one line per step, in the pipeline's order.
    const order = [
      '校验 validate',
      '上传 upload',
      '构建 build',
      '开通服务 provision',
      '发布命令 release',
      '滚动部署 rollout',
      '访问地址 URL',
    ];
    const done = order.map((step) => r.stderr.indexOf(`✔ ${step}`));
    expect(
      done.every((i) => i >= 0),
      r.stderr,
    ).toBe(true);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    // Build and release log lines stream between the steps.
    expect(r.stderr).toMatch(/│ -----> Building source src_\w+ for approval v1/);
    expect(r.stderr).toMatch(/│ \[router\] Route approval\.zhejiang\.localhost\/ → web \(v1\)/);
  });

  it('on a terminal, redraws the steps in place, lines cut to its width', async () => {
    const r = await t.zw(['deploy', await fixtureApp()], { terminalColumns: 60 });
    expect(r.code, r.stderr).toBe(0);
    // ESC[7A ESC[0J: up over the 7 step lines and clear, then draw them again.
    expect(r.stderr.split('\x1b[7A\x1b[0J').length).toBeGreaterThan(5);
    const lastBlock = r.stderr.split('\x1b[7A\x1b[0J').at(-1)!.trimEnd().split('\n');
    expect(lastBlock).toHaveLength(7);
    for (const line of lastBlock) {
      expect(line).toMatch(/^✔ /);
      expect(displayWidth(line)).toBeLessThanOrEqual(59);
    }
    expect(lastBlock[6]).toMatch(/^✔ 访问地址 URL {2}http:\/\/approval\./);
  });

  it('a second deploy updates the app, reuses the instances and makes v2', async () => {
    const dir = await fixtureApp();
    expect((await t.zw(['deploy', dir, '--json'])).code).toBe(0);
    await writeFile(
      join(dir, 'server.js'),
      `${await readFile(join(dir, 'server.js'), 'utf8')}\n// v2\n`,
    );
    const plan = await t.zw(['deploy', dir, '--dry-run']);
    expect(plan.stdout).toMatch(/~ 应用 app\s+approval\s+更新 · update/);
    expect(plan.stdout).toMatch(/= 实例 instance\s+approval-db .* 复用 · reuse/);
    expect(plan.stdout).toMatch(/\+ 发布 release\s+v2 .*\(替换 replaces v1\)/);
    const r = await t.zw(['deploy', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /✔ 已部署 · Deployed approval v2\n {2}http:\/\/approval\.zhejiang\.localhost:\d+/,
    );
    expect(r.stderr).toMatch(/✔ 开通服务 provision\s+复用 reused: approval-db, shared-files/);
    expect(t.mock.platform.state.instances.size).toBe(2);
    expect([...t.mock.platform.state.releases.values()].map((x) => x.version).sort()).toEqual([
      1, 2,
    ]);
  });

  it('--tenant deploys into another tenant, named by name', async () => {
    await t.zw(CREATE_HANGZHOU);
    const r = await t.zw([
      'deploy',
      await fixtureApp(),
      '--tenant',
      'hangzhou',
      '--json',
      '--no-logs',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const hangzhou = [...t.mock.platform.state.tenants.values()].find(
      (x) => x.name === 'hangzhou',
    )!;
    expect(r.json().app).toMatchObject({
      tenantId: hangzhou.id,
      url: expect.stringMatching(/^http:\/\/approval\.hangzhou\.localhost:/),
    });
    const instances = [...t.mock.platform.state.instances.values()];
    expect(instances.every((i) => i.tenantId === hangzhou.id)).toBe(true);
    expect(r.stderr).not.toMatch(/│/);

    // The same name in the caller's own tenant too: --tenant says which one.
    expect((await t.zw(['deploy', await fixtureApp(), '--json', '--no-logs'])).code).toBe(0);
    const ambiguous = await t.zw(['apps', 'show', 'approval']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/add --tenant <tenant>/);
    const scoped = await t.zw(['apps', 'show', 'approval', '--tenant', 'hangzhou', '--json']);
    expect(scoped.code, scoped.stderr).toBe(0);
    expect(scoped.json().app.tenantId).toBe(hangzhou.id);
  });

  it('refuses an invalid manifest with every issue and its line (exit 6)', async () => {
    const dir = await fixtureApp();
    const text = await readFile(join(dir, 'zhengwu.yaml'), 'utf8');
    await writeFile(
      join(dir, 'zhengwu.yaml'),
      text
        .replace('class: dev }\n  files', 'class: huge }\n  files')
        .replace('command: node worker.js', 'command: 42'),
    );
    const r = await t.zw(['deploy', dir]);
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/zhengwu\.yaml 有 \d+ 处问题 · zhengwu\.yaml has \d+ problems?/);
    expect(r.stderr).toMatch(/zhengwu\.yaml:\d+:\d+ \/processes\/worker\/command/);
    expect(t.mock.platform.state.apps.size).toBe(0);

    await writeFile(
      join(dir, 'zhengwu.yaml'),
      text.replace('class: dev }\n  files', 'class: huge }\n  files'),
    );
    const plan = await t.zw(['deploy', dir, '--json']);
    expect(plan.code).toBe(6);
    const issues = plan.error().issues as { path: string; code: string; line: number }[];
    expect(issues).toEqual([
      expect.objectContaining({ path: '/resources/db/class', code: 'plan_not_found', line: 22 }),
    ]);
  });

  it('checks resource parameters against the plan’s schema before uploading (exit 6)', async () => {
    const dir = await fixtureApp();
    const text = await readFile(join(dir, 'zhengwu.yaml'), 'utf8');
    await writeFile(
      join(dir, 'zhengwu.yaml'),
      text.replace(
        'db: { type: postgresql, class: dev }',
        'db: { type: postgresql, class: dev, params: { extensions: [postgis] } }',
      ),
    );
    const r = await t.zw(['deploy', dir, '--json']);
    expect(r.code).toBe(6);
    const issues = r.error().issues as { path: string }[];
    expect(issues).toEqual([
      expect.objectContaining({ path: '/resources/db/params/extensions/0' }),
    ]);
    expect(t.mock.platform.state.apps.size).toBe(0);
  });

  it('refuses a service the catalog lists as unavailable, with its reason, before uploading', async () => {
    t.mock.platform.setServiceAvailability('object-storage', {
      zh: '对象存储引擎池已停止',
      en: 'the object storage pool is down',
    });
    try {
      const r = await t.zw(['deploy', await fixtureApp()]);
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(
        /zhengwu\.yaml:\d+:\d+ \/resources\/files\/type 服务 object-storage 当前不可开通：对象存储引擎池已停止 · service object-storage cannot be provisioned now: the object storage pool is down/,
      );
      expect(t.mock.platform.state.apps.size).toBe(0);
    } finally {
      t.mock.platform.setServiceAvailability('object-storage', null);
    }
  });

  it('says what to do without a zhengwu.yaml (exit 2)', async () => {
    const dir = await fixtureApp();
    await rm(join(dir, 'zhengwu.yaml'));
    const r = await t.zw(['deploy', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/找不到 zhengwu\.yaml · No zhengwu\.yaml in/);
    expect(r.stderr).toMatch(/npm create zhengwu/);
  });

  it('stops with exit 5 when an instance of the same name is another service', async () => {
    await t.zw(['services', 'create', 'mysql', 'dev', 'approval-db']);
    const r = await t.zw(['deploy', await fixtureApp(), '--dry-run']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/实例 approval-db 已存在，但服务是 mysql/);
  });

  it('refuses a deploy over the quota before anything is provisioned (exit 6), leaving no app', async () => {
    // The fixture's two new instances do not fit a quota of one.
    const tenant = [...t.mock.platform.state.tenants.values()].find((x) => x.name === 'zhejiang')!;
    const admin = new Zhengwu({ baseUrl: t.mock.url, token: t.mock.platform.token });
    await admin.tenants.setQuota(tenant.id, {
      instances: 1,
      apps: null,
      memoryMb: null,
      storageMb: null,
      replicas: null,
    });
    const r = await t.zw(['deploy', await fixtureApp()]);
    expect(r.code, r.stderr).toBe(6);
    expect(r.stderr).toMatch(/quota_exceeded|配额不足/);
    expect(t.mock.platform.state.instances.size).toBe(0);
    expect([...t.mock.platform.state.apps.values()].filter((a) => a.state !== 'deleted')).toEqual(
      [],
    );
    expect(t.mock.platform.state.releases.size).toBe(0);
  });

  it("a failed build fails the deploy (exit 1) with the platform's reason", async () => {
    t.mock.platform.failNextOperation('release.build', {
      code: 'build_failed',
      detail: 'npm ci exited with 1',
    });
    const r = await t.zw(['deploy', await fixtureApp()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/✘ 构建 build/);
    expect(r.stderr).toMatch(/发布 v1 失败 · Release v1 failed: npm ci exited with 1/);
    expect(r.stderr).toMatch(/zw apps logs approval --source build/);
  });

  it('a failed release command is shown failing at its own step, not the one before', async () => {
    t.mock.platform.failNextOperation('release.build', {
      code: 'release_failed',
      detail: "The release command exited with 1: Error: Cannot find module 'nope.js'",
    });
    const r = await t.zw(['deploy', await fixtureApp()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/✘ 发布命令/);
    expect(r.stderr).not.toMatch(/✘ 开通服务/);
    expect(r.stderr).toMatch(/zw apps logs approval --source release/);
  });
});
