/** `zw tenants list|show|create`: departments, their quotas and usage. */
import type { Schemas } from '@zhengwu/sdk';
import { CliError, usageError } from '../errors';
import { EXIT } from '../exit-codes';
import { tenantIdOf } from '../lookup';
import { bilingual, fields, megabytes, shortTime } from '../output/format';
import type { Handler } from '../program';

type Level = Schemas['TenantLevel'];

export const list: Handler = async (ctx, _args, opts: { parent?: string; level?: Level }) => {
  const client = await ctx.client();
  const parentId = await tenantIdOf(client, opts.parent);
  const tenants = await client.tenants
    .list({ ...(parentId && { parentId }), ...(opts.level && { level: opts.level }) })
    .toArray({ max: 10_000 });
  ctx.result(tenants, () =>
    ctx.table(
      [
        { header: '名称 NAME' },
        { header: '显示名 DISPLAY NAME', shrink: true },
        { header: '层级 LEVEL' },
        { header: '区划 REGION' },
        { header: 'ID' },
        { header: '上级 PARENT' },
      ],
      tenants.map((t) => [
        t.name,
        bilingual(t.displayName),
        t.level,
        t.regionCode ?? '—',
        t.id,
        t.parentId ?? '—',
      ]),
    ),
  );
};

export const show: Handler = async (ctx, [ref]: [string | undefined]) => {
  const client = await ctx.client();
  let tenantId = ref && (await tenantIdOf(client, ref));
  if (!tenantId) {
    tenantId = (await client.tokens.whoami()).tenantId ?? undefined;
    if (!tenantId) {
      throw usageError(
        '当前身份没有默认租户 · You have no default tenant',
        '指定租户 · name one: zw tenants show <租户 tenant>',
      );
    }
  }
  const [tenant, quota, usage] = await Promise.all([
    client.tenants.retrieve(tenantId),
    client.tenants.getQuota(tenantId),
    client.tenants.getUsage(tenantId),
  ]);
  ctx.result({ tenant, quota, usage }, () => {
    ctx.out(ctx.style.bold(`${bilingual(tenant.displayName)} (${tenant.name}, ${tenant.id})`));
    ctx.out(
      fields([
        ['层级 Level', tenant.level],
        ['区划 Region', tenant.regionCode],
        ['上级 Parent', tenant.parentId],
        ['创建 Created', shortTime(tenant.createdAt)],
      ]),
    );
    ctx.out();
    const used = usage.used;
    const eff = quota.effective;
    const row = (
      zh: string,
      key: keyof typeof used,
      fmt: (n: number) => string = String,
    ): string[] => [
      zh,
      fmt(used[key] ?? 0),
      eff[key] === null ? '—' : fmt(eff[key]!),
      quota.limits[key] === null ? '继承 inherited' : '自设 own',
    ];
    ctx.table(
      [
        { header: '配额 QUOTA' },
        { header: '已用 USED', align: 'right' },
        { header: '上限 LIMIT', align: 'right' },
        { header: '来源 SOURCE' },
      ],
      [
        row('实例 instances', 'instances'),
        row('应用 apps', 'apps'),
        row('副本 replicas', 'replicas'),
        row('内存 memory', 'memoryMb', megabytes),
        row('存储 storage', 'storageMb', megabytes),
      ],
    );
  });
};

export const create: Handler = async (
  ctx,
  [name]: [string],
  opts: { zh: string; en: string; level: Level; parent?: string; root?: boolean; region?: string },
) => {
  if (opts.root && opts.parent)
    throw usageError('--root 与 --parent 不能同时使用 · --root and --parent exclude each other');
  const client = await ctx.client();
  let parentId: string | null;
  if (opts.root) parentId = null;
  else if (opts.parent) parentId = (await tenantIdOf(client, opts.parent))!;
  else {
    parentId = (await client.tokens.whoami()).tenantId;
    if (!parentId) {
      throw new CliError(
        '当前身份没有默认租户 · You have no default tenant',
        EXIT.usage,
        '用 --parent 指定上级 · name the parent with --parent',
      );
    }
  }
  const tenant = await client.tenants.create({
    name,
    displayName: { zh: opts.zh, en: opts.en },
    parentId,
    level: opts.level,
    ...(opts.region && { regionCode: opts.region }),
  });
  ctx.result(tenant, () =>
    ctx.out(
      `已创建租户 · Tenant created: ${bilingual(tenant.displayName)} (${tenant.name}, ${tenant.id})`,
    ),
  );
};
