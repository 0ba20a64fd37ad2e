/** `zw login`, `logout`, `whoami`: token verification, the config file, env precedence. */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useMock } from './helpers';

const t = useMock();

describe('zw login / logout / whoami', () => {
  it('verifies the token with GET /v1/me, then stores url and token (mode 600)', async () => {
    const home = await t.home();
    const r = await t.zw(
      ['login', '--url', `${t.mock.url}/`, '--token', t.mock.platform.token, '--json'],
      {
        env: { XDG_CONFIG_HOME: home },
      },
    );
    expect(r.code).toBe(0);
    const out = r.json();
    expect(out).toMatchObject({
      url: t.mock.url,
      principal: { id: 'admin@zhejiang.gov.cn', type: 'user' },
    });
    expect(out.configPath).toBe(join(home, 'zhengwu', 'config.json'));
    expect((await stat(out.configPath)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(out.configPath, 'utf8'))).toEqual({
      url: t.mock.url,
      token: t.mock.platform.token,
    });
  });

  it('refuses a wrong token with exit 3 and writes nothing', async () => {
    const home = await t.home();
    const r = await t.zw(
      ['login', '--url', t.mock.url, '--token', 'zw_wrong_token_000000000000000000000000000000'],
      {
        env: { XDG_CONFIG_HOME: home },
      },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/平台拒绝了该令牌 · .* refused the token/);
    await expect(stat(join(home, 'zhengwu', 'config.json'))).rejects.toThrow();
  });

  it('on a terminal, reads the token without echoing it', async () => {
    const home = await t.home();
    const r = await t.zw(['login', '--url', t.mock.url], {
      env: { XDG_CONFIG_HOME: home },
      stdin: `${t.mock.platform.token}\r`,
      stdinIsTTY: true,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${t.mock.url} 的令牌 · Token for ${t.mock.url}: `);
    expect(r.stderr + r.stdout).not.toContain(t.mock.platform.token);
    const stored = JSON.parse(await readFile(join(home, 'zhengwu', 'config.json'), 'utf8'));
    expect(stored.token).toBe(t.mock.platform.token);
  });

  it('asks for a token when none is given and nothing is piped (exit 2)', async () => {
    const r = await t.zw(['login', '--url', t.mock.url], {
      env: { XDG_CONFIG_HOME: await t.home() },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/需要令牌 · A token is needed/);
  });

  it('rejects a URL that is not http(s) (exit 2)', async () => {
    const r = await t.zw(['login', '--url', 'ftp://x', '--token', 't'], {
      env: { XDG_CONFIG_HOME: await t.home() },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/平台地址无效 · Invalid platform URL/);
  });

  it('names the address it could not reach: the one given, not the one stored', async () => {
    const home = await t.home();
    await t.zw(['login', '--url', t.mock.url, '--token', t.mock.platform.token], {
      env: { XDG_CONFIG_HOME: home },
    });
    const r = await t.zw(['login', '--url', 'http://127.0.0.1:9', '--token', 'zw_x'], {
      env: { XDG_CONFIG_HOME: home },
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Cannot reach the platform at http:\/\/127\.0\.0\.1:9/);
  });

  it('whoami --json: principal and url; ZHENGWU_TOKEN overrides the stored token', async () => {
    const home = await t.home();
    await t.zw(['login', '--url', t.mock.url, '--token', t.mock.platform.token], {
      env: { XDG_CONFIG_HOME: home },
    });
    const ok = await t.zw(['whoami', '--json'], { env: { XDG_CONFIG_HOME: home } });
    expect(ok.code).toBe(0);
    expect(ok.json()).toEqual({
      url: t.mock.url,
      principal: expect.objectContaining({ id: 'admin@zhejiang.gov.cn', roles: expect.any(Array) }),
    });
    const human = await t.zw(['whoami'], { env: { XDG_CONFIG_HOME: home } });
    expect(human.stdout).toMatch(/主体 Principal\s+.*admin@zhejiang\.gov\.cn/);
    expect(human.stdout).toMatch(/来自 zw login · from zw login/);

    const overridden = await t.zw(['whoami', '--json'], {
      env: {
        XDG_CONFIG_HOME: home,
        ZHENGWU_TOKEN: 'zw_revoked_or_wrong_00000000000000000000000000',
      },
    });
    expect(overridden.code).toBe(3);
    expect(overridden.error()).toMatchObject({ exitCode: 3, status: 401 });
    expect(overridden.error().hint).toMatch(/comes from ZHENGWU_TOKEN/);
  });

  it('logout removes the stored token; whoami then exits 3', async () => {
    const home = await t.home();
    await t.zw(['login', '--url', t.mock.url, '--token', t.mock.platform.token], {
      env: { XDG_CONFIG_HOME: home },
    });
    const out = await t.zw(['logout', '--json'], { env: { XDG_CONFIG_HOME: home } });
    expect(out.json()).toMatchObject({ loggedOut: true });
    await expect(stat(join(home, 'zhengwu', 'config.json'))).rejects.toThrow();
    const who = await t.zw(['whoami'], { env: { XDG_CONFIG_HOME: home } });
    expect(who.code).toBe(3);
    const again = await t.zw(['logout'], { env: { XDG_CONFIG_HOME: home } });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/本来就未登录 · Not logged in/);
  });
});
