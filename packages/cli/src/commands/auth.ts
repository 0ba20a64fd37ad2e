/** `zw login`, `zw logout`, `zw whoami`. */
import { DEFAULT_URL, deleteConfig, readConfig, writeConfig } from '../config';
import { CliError, usageError } from '../errors';
import { EXIT } from '../exit-codes';
import { fields } from '../output/format';
import type { Handler } from '../program';
import { readPiped, readSecret } from '../prompt';
import { VERSION } from '../version';

function checkUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {}
  if (!parsed || !/^https?:$/.test(parsed.protocol)) {
    throw usageError(
      `平台地址无效 · Invalid platform URL: ${url}`,
      `应为 http(s) 地址，如 ${DEFAULT_URL} · expected an http(s) URL such as ${DEFAULT_URL}`,
    );
  }
  return parsed.href.replace(/\/+$/, '');
}

export const login: Handler = async (
  ctx,
  _args,
  opts: { url?: string; token?: string; withToken?: boolean },
) => {
  const { io } = ctx;
  const stored = await readConfig(io.env);
  const url = checkUrl(opts.url ?? io.env.ZHENGWU_URL ?? stored?.url ?? DEFAULT_URL);
  // --token, then stdin when asked (--with-token: never read implicitly, a CI stdin may stay
  // open), then a hidden prompt on a terminal, then ZHENGWU_TOKEN.
  let token = opts.token?.trim();
  if (!token && opts.withToken && io.stdin) token = await readPiped(io);
  else if (!token && io.stdinIsTTY)
    token = await readSecret(io, `${url} 的令牌 · Token for ${url}: `);
  token ||= io.env.ZHENGWU_TOKEN?.trim();
  if (!token) {
    throw usageError(
      '需要令牌 · A token is needed',
      '用 --token 传入，或从标准输入读取：echo "$TOKEN" | zw login --with-token · pass --token, or read it from stdin: echo "$TOKEN" | zw login --with-token',
    );
  }
  const { Zhengwu, AuthenticationError } = await import('@zhengwu/sdk');
  const client = new Zhengwu({ baseUrl: url, token, appInfo: { name: 'zw', version: VERSION } });
  let principal: Awaited<ReturnType<typeof client.tokens.whoami>>;
  try {
    principal = await client.tokens.whoami();
  } catch (error) {
    if (error instanceof AuthenticationError) {
      throw new CliError(
        `平台拒绝了该令牌 · ${url} refused the token (${error.code ?? 401})`,
        EXIT.auth,
        '检查令牌是否完整、未过期、未吊销；可请租户管理员新建令牌 · check the token is complete, unexpired and not revoked; a tenant-admin can issue a new one',
      );
    }
    throw error;
  }
  const configPath = await writeConfig(io.env, { url, token });
  if (io.env.ZHENGWU_TOKEN && io.env.ZHENGWU_TOKEN !== token) {
    ctx.note(
      '注意：已设置的 ZHENGWU_TOKEN 会覆盖保存的令牌 · note: ZHENGWU_TOKEN is set and overrides the stored token',
    );
  }
  ctx.result({ url, principal, configPath }, () => {
    ctx.out(`已登录 · Logged in as ${principal.name} (${principal.id}) at ${url}`);
    ctx.out(`令牌已保存到 · Token stored in ${configPath} (mode 600)`);
  });
};

export const logout: Handler = async (ctx) => {
  const removed = await deleteConfig(ctx.io.env);
  const { configPath } = await ctx.settings();
  ctx.result({ loggedOut: removed, configPath }, () =>
    ctx.out(
      removed
        ? `已退出，令牌已删除 · Logged out: removed ${configPath}`
        : `本来就未登录 · Not logged in: no ${configPath}`,
    ),
  );
  if (ctx.io.env.ZHENGWU_TOKEN) {
    ctx.note('注意：ZHENGWU_TOKEN 仍然有效 · note: ZHENGWU_TOKEN is still set in this shell');
  }
};

export const whoami: Handler = async (ctx) => {
  const settings = await ctx.settings();
  const principal = await (await ctx.client()).tokens.whoami();
  ctx.result({ url: settings.url, principal }, () =>
    ctx.out(
      fields([
        ['主体 Principal', `${principal.name} (${principal.id}, ${principal.type})`],
        ['默认租户 Tenant', principal.tenantId],
        [
          '角色 Roles',
          principal.roles.map((r) => `${r.role}@${r.tenantId ?? '平台 platform'}`).join(', ') ||
            '—',
        ],
        ['平台 Platform', `${settings.url} (${from(settings.from.url)})`],
        ['令牌 Token', from(settings.from.token)],
      ]),
    ),
  );
};

const from = (source: string) =>
  source === 'env'
    ? '来自环境变量 · from the environment'
    : source === 'config'
      ? '来自 zw login · from zw login'
      : '默认 · default';
