/** `zw tenants list|show|quota|create|delete`: departments, their quotas and usage. */
import type { Schemas } from '@zhengwu/sdk';
import { CliError, toCliError, usageError } from '../errors';
import { EXIT } from '../exit-codes';
import { findTenant, tenantIdOf } from '../lookup';
import { bilingual, fields, megabytes, shortTime } from '../output/format';
import type { Handler } from '../program';
import { confirmByName } from '../prompt';

type Level = Schemas['TenantLevel'];
type Ctx = Parameters<Handler>[0];
type Limits = Schemas['QuotaLimits'];

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
    printQuota(ctx, quota, usage);
  });
};

/** The quota, one row per limit: used, effective limit, and whether it is the tenant's own. */
function printQuota(ctx: Ctx, quota: Schemas['Quota'], usage: Schemas['TenantUsage']): void {
  const used = usage.used;
  const eff = quota.effective;
  const row = (zh: string, key: keyof Limits, fmt: (n: number) => string = String): string[] => [
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
}

/** `--instances` … as the API names them. */
const LIMIT_OPTIONS = {
  instances: '--instances',
  apps: '--apps',
  memoryMb: '--memory-mb',
  storageMb: '--storage-mb',
  replicas: '--replicas',
} as const satisfies Record<keyof Limits, string>;

export const quota: Handler = async (
  ctx,
  [ref]: [string],
  opts: Partial<Record<keyof Limits, number | 'inherit'>>,
) => {
  const client = await ctx.client();
  const tenant = await findTenant(client, ref);
  let [quota, usage] = await Promise.all([
    client.tenants.getQuota(tenant.id),
    client.tenants.getUsage(tenant.id),
  ]);
  const keys = Object.keys(LIMIT_OPTIONS) as (keyof Limits)[];
  const given = keys.filter((k) => opts[k] !== undefined);
  const before = quota.limits;
  if (given.length > 0) {
    // The API replaces every limit: the ones not given keep their current value.
    const limits: Limits = { ...before };
    for (const k of given) limits[k] = opts[k] === 'inherit' ? null : opts[k]!;
    quota = await client.tenants.setQuota(tenant.id, limits).catch((error: unknown) => {
      if ((error as { status?: unknown }).status !== 403) throw error;
      const failure = toCliError(error);
      throw new CliError(
        failure.message,
        failure.exitCode,
        '设置配额需要上级租户的 tenant-admin 或 platform-admin，不能给自己的租户设置 · setting a quota takes tenant-admin on an ancestor, or platform-admin; not your own tenant',
        failure.details,
      );
    });
    for (const k of given) {
      const limit = quota.effective[k];
      if (limit !== null && usage.used[k] > limit) {
        ctx.note(
          ctx.style.yellow(
            `⚠ ${LIMIT_OPTIONS[k]} 的上限 ${limit} 低于当前用量 ${usage.used[k]}：已有资源不受影响，新的分配会被拒绝 · the ${LIMIT_OPTIONS[k]} limit ${limit} is below the current usage ${usage.used[k]}: what exists stays, new allocations are refused`,
          ),
        );
      }
    }
  }
  ctx.result({ quota, usage }, () => {
    ctx.out(ctx.style.bold(`${bilingual(tenant.displayName)} (${tenant.name}, ${tenant.id})`));
    if (given.length > 0) {
      const shown = (v: number | null) => (v === null ? '继承 inherit' : String(v));
      ctx.out(
        `已设置配额 · Quota set: ${given.map((k) => `${LIMIT_OPTIONS[k].slice(2)} ${shown(before[k])} → ${shown(quota.limits[k])}`).join(', ')}`,
      );
    }
    ctx.out();
    printQuota(ctx, quota, usage);
    if (given.length === 0)
      ctx.out(
        `\n设置 · Set: zw tenants quota ${tenant.name} --instances <n> … (inherit 继承上级 · inherit takes the parent's)`,
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
        '用 --parent 指定上级，或用 --root 新建省级根租户（系统管理员）· name the parent with --parent, or create a province root with --root (platform-admin)',
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

/** Deletes an empty tenant (no child tenants, instances or apps: 409 `not_empty` otherwise). */
export const remove: Handler = async (ctx, [ref]: [string], opts: { yes?: boolean }) => {
  const client = await ctx.client();
  const tenant = await findTenant(client, ref);
  await confirmByName(ctx.io, { zh: '删除租户', en: 'delete tenant' }, tenant.name, opts.yes);
  await client.tenants.delete(tenant.id);
  const deleted = { id: tenant.id, name: tenant.name, deleted: true };
  ctx.result(deleted, () =>
    ctx.out(`已删除租户 · Tenant deleted: ${bilingual(tenant.displayName)} (${tenant.name})`),
  );
};
export { remove as delete };
