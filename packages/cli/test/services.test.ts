/** `zw marketplace` and `zw services …` against the mock: output, --json shapes, exit codes. */
import { Zhengwu } from '@zhengwu/sdk';
import { describe, expect, it } from 'vitest';
import { fixtureApp, removeFixtures } from './fixture';
import { useMock } from './helpers';

const t = useMock();
const sdk = () => new Zhengwu({ baseUrl: t.mock.url, token: t.mock.platform.token, maxRetries: 0 });

describe('zw marketplace', () => {
  it('lists every plan with limits, price and compliance marks', async () => {
    const services = await sdk().catalog.services.list().toArray({ max: 100 });
    const r = await t.zw(['marketplace']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^服务 SERVICE\s+名称 NAME\s+规格 PLAN\s+容量 LIMITS\s+价格 PRICE\s+合规 COMPLIANCE$/,
    );
    for (const service of services) {
      expect(r.stdout).toContain(service.id);
      for (const plan of service.plans) {
        const marks = [plan.compliance.dengbaoLevel === 3 ? '等保三级' : '等保二级'];
        if (plan.compliance.gmCrypto) marks.push('国密');
        if (plan.compliance.encryptedAtRest) marks.push('加密');
        const row = lines.find(
          (l, i) =>
            i > 0 &&
            l.split(/\s{2,}/).includes(plan.id) &&
            lines
              .slice(0, i + 1)
              .reverse()
              .find((x) => /^\S/.test(x))
              ?.startsWith(service.id),
        );
        expect(row, `${service.id}/${plan.id}`).toBeDefined();
        for (const mark of marks) expect(row).toContain(mark);
        if (plan.price.amount > 0) expect(row).toContain(`¥${plan.price.amount.toFixed(2)}`);
      }
    }
  });

  it('says below the table why a service is unavailable', async () => {
    t.mock.platform.setServiceAvailability('redis', {
      zh: '未配置 Redis 引擎池',
      en: 'no Redis pool is configured',
    });
    try {
      const r = await t.zw(['marketplace']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^redis\s+Redis 缓存 \(不可开通 unavailable\)/m);
      expect(r.stdout).toContain(
        'redis 不可开通 · unavailable: 未配置 Redis 引擎池 · no Redis pool is configured',
      );
    } finally {
      t.mock.platform.setServiceAvailability('redis', null);
    }
    expect((await t.zw(['marketplace'])).stdout).not.toContain('不可开通');
  });

  it('--json is the catalog as the API gives it', async () => {
    const r = await t.zw(['marketplace', '--json']);
    expect(r.json()).toEqual(await sdk().catalog.services.list().toArray({ max: 100 }));
  });

  it('shows one service with each plan in detail; an unknown one exits 4', async () => {
    const r = await t.zw(['marketplace', 'postgresql']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^postgresql — /);
    for (const plan of ['dev', 's', 'm', 'l'])
      expect(r.stdout).toMatch(new RegExp(`规格 Plan ${plan} — `));
    // Names, the values allowed and defaults: enough to write `params` without the docs.
    expect(r.stdout).toMatch(
      /开通参数 Parameters\s+extensions \(array of: [^)]*\bpg_trgm\b[^)]*\)/,
    );
    expect(r.stdout).toMatch(/绑定参数 Binding\s+readOnly \(boolean; default false\)/);
    expect(r.stdout).toMatch(/审计留存 Audit log\s+\d+ 天 days/);
    const missing = await t.zw(['marketplace', 'oracle']);
    expect(missing.code).toBe(4);
  });
});

describe('zw services', () => {
  it('create --wait provisions to ready; --json is the instance', async () => {
    const r = await t.zw([
      'services',
      'create',
      'postgresql',
      's',
      'approval-db',
      '--param',
      'extensions=["pg_trgm"]',
      '--wait',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const instance = r.json();
    expect(instance).toMatchObject({
      name: 'approval-db',
      service: 'postgresql',
      plan: 's',
      state: 'ready',
    });
    expect(instance.id).toMatch(/^ins_/);
    expect(t.mock.platform.state.instances.get(instance.id)?.parameters).toEqual({
      extensions: ['pg_trgm'],
    });
    expect(r.stderr).toMatch(/开通中 · Provisioning approval-db/);
  });

  it('create without --wait returns at once, still provisioning', async () => {
    const r = await t.zw(['services', 'create', 'redis', 'dev', 'cache']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/开通已开始 · Provisioning started: cache \(ins_\w+\), provisioning/);
  });

  it('maps conflicts to 5 and refusals to 6, with hints', async () => {
    await t.zw(['services', 'create', 'mysql', 'dev', 'taken']);
    const dup = await t.zw(['services', 'create', 'mysql', 'dev', 'taken', '--json']);
    expect(dup.code).toBe(5);
    expect(dup.error()).toMatchObject({ exitCode: 5, status: 409, code: 'already_exists' });
    expect(dup.error().hint).toMatch(/choose another/);

    const badPlan = await t.zw(['services', 'create', 'postgresql', 'huge', 'x-db']);
    expect(badPlan.code).toBe(6);
    expect(badPlan.stderr).toMatch(/提示 · Hint: .*zw marketplace/);

    const badParam = await t.zw([
      'services',
      'create',
      'postgresql',
      'dev',
      'y-db',
      '--params',
      '{"nope": 1}',
      '--json',
    ]);
    expect(badParam.code).toBe(6);
    expect(badParam.error()).toMatchObject({ status: 422, errors: expect.any(Array) });

    const notJson = await t.zw([
      'services',
      'create',
      'postgresql',
      'dev',
      'z-db',
      '--params',
      '{oops',
    ]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/--params 不是有效的 JSON/);
  });

  it('list and show (by name), with bindings', async () => {
    await t.zw(['services', 'create', 'postgresql', 'dev', 'list-db', '--wait']);
    const list = await t.zw(['services', 'list', '--json']);
    expect(list.json().map((i: { name: string }) => i.name)).toContain('list-db');
    const table = await t.zw(['services', 'list']);
    expect(table.stdout).toMatch(
      /^名称 NAME\s+服务 SERVICE\s+规格 PLAN\s+状态 STATE\s+ID\s+创建 CREATED\n/,
    );
    expect(table.stdout).toMatch(/list-db\s+postgresql\s+dev\s+ready\s+ins_/);

    await t.zw(['services', 'bind', 'list-db', '--as', 'report', '--wait']);
    const show = await t.zw(['services', 'show', 'list-db', '--json']);
    expect(show.code).toBe(0);
    expect(show.json()).toMatchObject({
      instance: { name: 'list-db', state: 'ready' },
      bindings: [{ name: 'report' }],
    });
    const human = await t.zw(['services', 'show', 'list-db']);
    expect(human.stdout).toMatch(/绑定 · Bindings/);
    expect(human.stdout).toMatch(/report\s+—\s+ready\s+v1\s+bnd_/);
    expect((await t.zw(['services', 'show', 'nope'])).code).toBe(4);
  });

  it('bind --app, keys (with a secrecy warning), rotate --wait', async () => {
    await t.zw(['services', 'create', 'postgresql', 'dev', 'app-db', '--wait']);
    const app = await sdk().apps.create({ name: 'approval' });
    const bind = await t.zw([
      'services',
      'bind',
      'app-db',
      '--app',
      'approval',
      '--wait',
      '--json',
    ]);
    expect(bind.code).toBe(0);
    expect(bind.json()).toMatchObject({
      name: 'approval',
      appId: app.id,
      state: 'ready',
      credentialsVersion: 1,
    });

    const keys = await t.zw(['services', 'keys', 'app-db/approval', '--json']);
    expect(keys.code).toBe(0);
    expect(keys.json()).toMatchObject({
      bindingId: bind.json().id,
      version: 1,
      credentials: { host: expect.any(String), password: expect.any(String) },
    });
    expect(keys.stderr).toMatch(/以下凭据是机密：.*\n.*These credentials are secret/);
    const human = await t.zw(['services', 'keys', 'approval']);
    expect(human.stdout).toMatch(/password\s+\S+/);

    const rotated = await t.zw(['services', 'rotate', bind.json().id, '--wait', '--json']);
    expect(rotated.code).toBe(0);
    expect(rotated.json()).toMatchObject({ state: 'ready', credentialsVersion: 2 });
    const again = await t.zw(['services', 'keys', 'app-db/approval', '--json']);
    expect(again.json().version).toBe(2);
    expect(again.json().credentials.password).not.toBe(keys.json().credentials.password);

    const noName = await t.zw(['services', 'bind', 'app-db']);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toMatch(/需要绑定名称 · A binding name is needed/);
  });

  it('delete asks for --yes without a terminal, refuses a bound instance without --force, deletes with it', async () => {
    await t.zw(['services', 'create', 'postgresql', 'dev', 'old-db', '--wait']);
    await t.zw(['services', 'bind', 'old-db', '--as', 'tool', '--wait']);
    const unconfirmed = await t.zw(['services', 'delete', 'old-db']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(
      /需要确认才能删除实例 old-db · Confirmation needed to delete instance old-db/,
    );
    expect(unconfirmed.stderr).toMatch(/add --yes/);

    const bound = await t.zw(['services', 'delete', 'old-db', '--yes', '--json']);
    expect(bound.code).toBe(5);
    expect(bound.error().code).toBe('not_empty');

    // An app bound to it too: forcing says which app loses the service.
    const dir = await fixtureApp();
    expect((await t.zw(['deploy', dir, '--json', '--no-logs'])).code).toBe(0);
    await t.zw(['services', 'bind', 'old-db', '--as', 'extra', '--app', 'approval', '--wait']);
    const deleted = await t.zw([
      'services',
      'delete',
      'old-db',
      '--yes',
      '--force',
      '--wait',
      '--json',
    ]);
    expect(deleted.code).toBe(0);
    expect(deleted.json()).toMatchObject({ name: 'old-db', state: 'deleted' });
    expect(deleted.stderr).toMatch(/app approval will lose this service/);
    await removeFixtures();
  });

  it('a typed confirmation on a terminal: the right name deletes, a wrong one does not', async () => {
    await t.zw(['services', 'create', 'redis', 'dev', 'tty-cache', '--wait']);
    const wrong = await t.zw(['services', 'delete', 'tty-cache'], {
      stdin: 'other\n',
      stdinIsTTY: true,
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/未确认，什么也没做 · Not confirmed/);
    const right = await t.zw(['services', 'delete', 'tty-cache'], {
      stdin: 'tty-cache\n',
      stdinIsTTY: true,
    });
    expect(right.code).toBe(0);
    expect(right.stdout).toMatch(/删除已开始 · Deletion started: tty-cache/);
  });
});

describe('zw services update', () => {
  it('--plan and --param --wait change the instance; --json is the instance', async () => {
    await t.zw(['services', 'create', 'postgresql', 'dev', 'upd-db', '--wait']);
    const r = await t.zw([
      'services',
      'update',
      'upd-db',
      '--plan',
      's',
      '--param',
      'extensions=["uuid-ossp"]',
      '--wait',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      name: 'upd-db',
      plan: 's',
      state: 'ready',
      parameters: { extensions: ['uuid-ossp'] },
      lastOperation: { type: 'instance.update', state: 'succeeded' },
    });
    expect(r.stderr).toMatch(/变更中 · Updating upd-db/);
    const id = r.json().id;
    expect(t.mock.platform.state.instances.get(id)?.plan).toBe('s');

    const human = await t.zw(['services', 'update', id, '--plan', 'm', '--wait']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^已变更 · Updated: upd-db \(ins_\w+\), postgresql\/m\n/);
    expect(human.stdout).toMatch(/参数 · Parameters: \{"extensions":\["uuid-ossp"\]\}/);
  });

  it('without --wait returns at once, still updating', async () => {
    await t.zw(['services', 'create', 'redis', 'dev', 'upd-cache', '--wait']);
    const r = await t.zw(['services', 'update', 'upd-cache', '--plan', 's']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/变更已开始 · Update started: upd-cache \(ins_\w+\), updating/);
    expect(r.stdout).toMatch(/zw services show upd-cache/);
  });

  it('needs --plan or --param (exit 2); bad values and states map to 2, 4, 5 and 6', async () => {
    const nothing = await t.zw(['services', 'update', 'any-db']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/没有要变更的内容 · Nothing to change/);
    expect(nothing.stderr).toMatch(/提示 · Hint: .*--plan <plan> or --param key=value/);
    const nothingJson = await t.zw(['services', 'update', 'any-db', '--json']);
    expect(nothingJson.error()).toMatchObject({ exitCode: 2 });

    const badPair = await t.zw(['services', 'update', 'any-db', '--param', 'oops']);
    expect(badPair.code).toBe(2);
    expect(badPair.stderr).toMatch(/--param 须为 key=value/);

    expect((await t.zw(['services', 'update', 'nope', '--plan', 's'])).code).toBe(4);

    await t.zw(['services', 'create', 'postgresql', 'dev', 'busy-db']);
    const busy = await t.zw(['services', 'update', 'busy-db', '--plan', 's', '--json']);
    expect(busy.code).toBe(5);
    expect(busy.error()).toMatchObject({ status: 409, code: 'invalid_state' });

    await t.zw(['services', 'create', 'postgresql', 'dev', 'plan-db', '--wait']);
    const badPlan = await t.zw(['services', 'update', 'plan-db', '--plan', 'huge']);
    expect(badPlan.code).toBe(6);
    expect(badPlan.stderr).toMatch(/提示 · Hint: .*zw marketplace/);
    const badParam = await t.zw(['services', 'update', 'plan-db', '--param', 'nope=1', '--json']);
    expect(badParam.code).toBe(6);
    expect(badParam.error()).toMatchObject({ status: 422, errors: expect.any(Array) });
  });

  it("--wait fails (exit 1) with the platform's reason when the update fails", async () => {
    await t.zw(['services', 'create', 'mysql', 'dev', 'fail-db', '--wait']);
    t.mock.platform.failNextOperation('instance.update', {
      code: 'engine_error',
      detail: 'the pool has no room for plan l',
    });
    const r = await t.zw(['services', 'update', 'fail-db', '--plan', 'l', '--wait']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/变更失败 · Update failed: the pool has no room for plan l/);
    const show = await t.zw(['services', 'show', 'fail-db', '--json']);
    expect(show.json().instance).toMatchObject({ plan: 'dev', state: 'ready' });
  });
});

describe('zw services unbind', () => {
  it('asks for --yes without a terminal and leaves the binding alone', async () => {
    await t.zw(['services', 'create', 'postgresql', 'dev', 'ub-db', '--wait']);
    await t.zw(['services', 'bind', 'ub-db', '--as', 'tool', '--wait']);
    const r = await t.zw(['services', 'unbind', 'ub-db/tool']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /需要确认才能删除绑定 tool · Confirmation needed to delete binding tool/,
    );
    expect(r.stderr).toMatch(/add --yes/);
    const json = await t.zw(['services', 'unbind', 'ub-db/tool', '--json']);
    expect(json.error()).toMatchObject({ exitCode: 2 });
    const show = await t.zw(['services', 'show', 'ub-db', '--json']);
    expect(show.json().bindings).toEqual([
      expect.objectContaining({ name: 'tool', state: 'ready' }),
    ]);
  });

  it('--yes --wait deletes the binding; --json is the binding', async () => {
    await t.zw(['services', 'create', 'postgresql', 'dev', 'ub2-db', '--wait']);
    const app = await sdk().apps.create({ name: 'approval' });
    await t.zw(['services', 'bind', 'ub2-db', '--app', 'approval', '--wait']);
    const r = await t.zw(['services', 'unbind', 'ub2-db/approval', '--yes', '--wait', '--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ name: 'approval', appId: app.id, state: 'deleted' });
    const show = await t.zw(['services', 'show', 'ub2-db', '--json']);
    expect(show.json().bindings).toEqual([]);
    const keys = await t.zw(['services', 'keys', 'ub2-db/approval']);
    expect(keys.code).toBe(4);

    // Again by id: it is gone already.
    expect((await t.zw(['services', 'unbind', r.json().id, '--yes'])).code).toBe(4);
    expect((await t.zw(['services', 'unbind', 'nope', '--yes'])).code).toBe(4);
  });

  it('human output, with and without --wait, and a typed confirmation on a terminal', async () => {
    await t.zw(['services', 'create', 'redis', 'dev', 'ub-cache', '--wait']);
    const app = await sdk().apps.create({ name: 'portal' });
    await t.zw(['services', 'bind', 'ub-cache', '--app', 'portal', '--wait']);
    await t.zw(['services', 'bind', 'ub-cache', '--as', 'ops', '--wait']);

    const wrong = await t.zw(['services', 'unbind', 'ub-cache/portal'], {
      stdin: 'other\n',
      stdinIsTTY: true,
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/未确认，什么也没做 · Not confirmed/);

    const started = await t.zw(['services', 'unbind', 'ub-cache/portal'], {
      stdin: 'portal\n',
      stdinIsTTY: true,
    });
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/删除已开始 · Unbinding started: portal \(bnd_\w+\), deleting/);
    expect(started.stdout).toContain(
      `App ${app.id}, if running, is roll-restarted without these credentials`,
    );

    const done = await t.zw(['services', 'unbind', 'ops', '--yes', '--wait']);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/^已删除绑定，凭据已吊销 · Unbound: ops \(bnd_\w+\)/);
    expect(done.stdout).not.toMatch(/stops getting/);
  });
});
