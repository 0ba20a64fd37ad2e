/** `zw tokens list|create|revoke`: API tokens (`zw_…`), shown once, expiring, revocable. */
import type { Zhengwu } from '@zhengwu/sdk';
import { CliError, notFound } from '../errors';
import { EXIT } from '../exit-codes';
import { tenantIdOf } from '../lookup';
import { shortTime } from '../output/format';
import type { Handler } from '../program';
import { confirmByName } from '../prompt';

export const list: Handler = async (
  ctx,
  _args,
  opts: { tenant?: string; includeRevoked?: boolean },
) => {
  const client = await ctx.client();
  const tenantId = await tenantIdOf(client, opts.tenant);
  const tokens = await client.tokens
    .list({ ...(tenantId && { tenantId }), ...(opts.includeRevoked && { includeRevoked: true }) })
    .toArray({ max: 10_000 });
  ctx.result(tokens, () =>
    ctx.table(
      [
        { header: 'ID' },
        { header: '名称 NAME', shrink: true },
        { header: '角色 ROLE' },
        { header: '前缀 PREFIX' },
        { header: '过期 EXPIRES' },
        { header: '最近使用 LAST USED' },
        { header: '吊销 REVOKED' },
      ],
      tokens.map((t) => [
        t.id,
        t.name,
        t.role,
        `zw_${t.prefix}…`,
        shortTime(t.expiresAt),
        shortTime(t.lastUsedAt),
        t.revokedAt ? shortTime(t.revokedAt) : '—',
      ]),
    ),
  );
};

export const create: Handler = async (
  ctx,
  [name]: [string],
  opts: { role: 'tenant-admin' | 'developer' | 'auditor'; tenant?: string; days?: number },
) => {
  const client = await ctx.client();
  const tenantId =
    (await tenantIdOf(client, opts.tenant)) ?? (await client.tokens.whoami()).tenantId;
  if (!tenantId) {
    throw new CliError(
      '当前身份没有默认租户 · You have no default tenant',
      EXIT.usage,
      '用 --tenant 指定 · name one with --tenant',
    );
  }
  const token = await client.tokens.create({
    name,
    tenantId,
    role: opts.role,
    ...(opts.days && { expiresInDays: opts.days }),
  });
  ctx.note(
    ctx.style.yellow(
      '⚠ 令牌密钥只显示这一次，请立即存入密钥管理系统 · The secret is shown this once: store it in a secret manager now',
    ),
  );
  ctx.result(token, () => {
    ctx.out(
      `已创建令牌 · Token created: ${token.id} (${token.role}, 过期 expires ${shortTime(token.expiresAt)})`,
    );
    ctx.out(token.secret);
  });
};

export const revoke: Handler = async (ctx, [ref]: [string], opts: { yes?: boolean }) => {
  const client = await ctx.client();
  const existing = ref.startsWith('tok_')
    ? await client.tokens.retrieve(ref)
    : await tokenByName(client, ref);
  await confirmByName(ctx.io, { zh: '吊销令牌', en: 'revoke token' }, existing.id, opts.yes);
  const token = await client.tokens.revoke(existing.id);
  ctx.result(token, () => ctx.out(`已吊销 · Revoked: ${token.id} (${token.name})`));
};

/** A token by its name, which must be unambiguous among those the caller sees. */
async function tokenByName(client: Zhengwu, name: string) {
  const named = (await client.tokens.list().toArray({ max: 10_000 })).filter(
    (t) => t.name === name,
  );
  if (named.length === 1) return named[0]!;
  if (named.length === 0) throw notFound('令牌', 'Token', name, 'zw tokens list');
  throw new CliError(
    `有 ${named.length} 个同名令牌 · ${named.length} tokens are named ${name}: ${named.map((t) => t.id).join(', ')}`,
    EXIT.usage,
    '请改用 ID · use the id instead',
  );
}
