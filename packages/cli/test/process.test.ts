/** The real `zw` bin as a child process: help, exit codes, a piped login and the config file. */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useMock, zwProcess } from './helpers';

const t = useMock();

describe('zw (child process)', () => {
  it('--help is bilingual, Chinese first, lists every command group and the exit codes', async () => {
    const r = await zwProcess(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^用法 · Usage: zw/);
    expect(r.stdout.indexOf('政务云平台命令行')).toBeLessThan(
      r.stdout.indexOf('the Zhengwu government cloud'),
    );
    for (const group of [
      'login',
      'marketplace',
      'services',
      'apps',
      'deploy',
      'tenants',
      'tokens',
      'audit',
      'export',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`\\n  ${group}\\b`));
    }
    expect(r.stdout).toMatch(/退出码 · Exit codes/);
  });

  it('zw help [command] exits 0; zw alone and a group alone show help on stderr and exit 2', async () => {
    const help = await zwProcess(['help', 'deploy']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^用法 · Usage: zw deploy \[options\] \[dir\]/);
    expect(help.stdout).toMatch(/--dry-run\s+只校验并显示计划/);
    const bare = await zwProcess([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^用法 · Usage: zw/);
    const group = await zwProcess(['services']);
    expect(group.code).toBe(2);
    expect(group.stderr).toMatch(/create \[options\] <service> <plan> <name>/);
  });

  it('exits 2 on usage errors, with a bilingual message on stderr', async () => {
    const unknown = await zwProcess(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /用法错误 · Usage error: 未知命令 frobnicate · unknown command 'frobnicate'/,
    );
    const missing = await zwProcess(['services', 'create', 'postgresql']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/缺少参数 plan · missing required argument 'plan'/);
    const typo = await zwProcess(['servics']);
    expect(typo.stderr).toMatch(/（是否想输入以下之一：service, services？· Did you mean one of/);
    const choice = await zwProcess(['tokens', 'create', 'x', '--role', 'boss']);
    expect(choice.stderr).toMatch(/可选值 · Allowed choices are tenant-admin, developer, auditor/);
    const badNumber = await zwProcess(['apps', 'scale', 'x', '--replicas', 'many']);
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toMatch(/须为 0–100 的整数 · must be a whole number from 0 to 100/);
  });

  it('exits 3 without a token and says to run zw login', async () => {
    const r = await zwProcess(['whoami'], { env: { XDG_CONFIG_HOME: await t.home() } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/尚未登录 · Not logged in/);
    expect(r.stderr).toMatch(/运行 zw login/);
  });

  it('logs in with a piped token, stores it with mode 600, then works without env', async () => {
    const home = await t.home();
    const login = await zwProcess(['login', '--url', t.mock.url, '--with-token'], {
      env: { XDG_CONFIG_HOME: home },
      input: `${t.mock.platform.token}\n`,
    });
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toMatch(/已登录 · Logged in as/);
    const path = join(home, 'zhengwu', 'config.json');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, 'zhengwu'))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      url: t.mock.url,
      token: t.mock.platform.token,
    });

    const who = await zwProcess(['whoami', '--json'], { env: { XDG_CONFIG_HOME: home } });
    expect(who.code).toBe(0);
    expect(who.json().principal.id).toBe('admin@zhejiang.gov.cn');
  });

  it('exits 4 for a name that does not exist, with a hint', async () => {
    const r = await zwProcess(['apps', 'show', 'nope'], { env: await t.env() });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/应用不存在 · App not found: nope/);
    expect(r.stderr).toMatch(/zw apps list/);
  });
});
