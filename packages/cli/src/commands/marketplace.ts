/** `zw marketplace [service]`: the catalog, its plans, limits, showback prices and compliance marks. */
import type { Schemas } from '@zhengwu/sdk';
import { bilingual, fields, megabytes } from '../output/format';
import type { Handler } from '../program';

type Plan = Schemas['PlanSummary'];

export function limitsText(limits: Plan['limits']): string {
  const parts: string[] = [];
  if (limits.connections !== undefined) parts.push(`${limits.connections} 连接 conn`);
  if (limits.memoryMb !== undefined) parts.push(`内存 mem ${megabytes(limits.memoryMb)}`);
  if (limits.storageMb !== undefined) parts.push(`存储 disk ${megabytes(limits.storageMb)}`);
  if (limits.messagesPerSecond !== undefined) parts.push(`${limits.messagesPerSecond} msg/s`);
  if (limits.bandwidthMbps !== undefined) parts.push(`${limits.bandwidthMbps} Mbps`);
  if (limits.replicas !== undefined) parts.push(`${limits.replicas} 节点 nodes`);
  return parts.join(', ');
}

export function priceText(plan: Plan): string {
  if (plan.free || plan.price.amount === 0) return '免费 free';
  const unit = plan.price.unit === 'hour' ? '时 h' : '月 mo';
  return `¥${plan.price.amount.toFixed(2)}/${unit}`;
}

/** 等保三级 · 国密 · 加密: the marks a buyer in government looks for first. */
export function complianceMarks(plan: Plan): string {
  const c = plan.compliance;
  const marks = [c.dengbaoLevel === 3 ? '等保三级 MLPS-3' : '等保二级 MLPS-2'];
  if (c.gmCrypto) marks.push('国密 SM2/3/4');
  if (c.encryptedAtRest) marks.push('加密 encrypted');
  return marks.join(' · ');
}

export const marketplace: Handler = async (ctx, [serviceId]: [string | undefined]) => {
  const client = await ctx.client();
  if (serviceId) return showService(ctx, await client.catalog.services.retrieve(serviceId));
  const services = await client.catalog.services.list().toArray({ max: 1_000 });
  ctx.result(services, () => {
    const rows: string[][] = [];
    for (const s of services) {
      s.plans.forEach((p, i) => {
        rows.push([
          i === 0 ? s.id : '',
          i === 0 ? `${s.displayName.zh}${s.available ? '' : ' (不可开通 unavailable)'}` : '',
          p.id,
          limitsText(p.limits),
          priceText(p),
          complianceMarks(p),
        ]);
      });
    }
    ctx.table(
      [
        { header: '服务 SERVICE' },
        { header: '名称 NAME', shrink: true },
        { header: '规格 PLAN' },
        { header: '容量 LIMITS', shrink: true },
        { header: '价格 PRICE', align: 'right' },
        { header: '合规 COMPLIANCE' },
      ],
      rows,
    );
    ctx.out();
    // Why a service can't be had: what an operator has to do, said next to the table.
    for (const s of services) {
      const why = s.unavailableReason;
      if (!s.available && why) ctx.out(`${s.id} 不可开通 · unavailable: ${why.zh} · ${why.en}`);
    }
    if (services.some((s) => !s.available && s.unavailableReason)) ctx.out();
    ctx.out(
      '价格为展示性费用，不实际计费 · Prices are showback, not billed. 详情 · Details: zw marketplace <服务 service>',
    );
  });
};

function showService(ctx: Parameters<Handler>[0], s: Schemas['Service']): void {
  ctx.result(s, () => {
    ctx.out(ctx.style.bold(`${s.id} — ${bilingual(s.displayName)}`));
    ctx.out(`  ${s.description.zh}`);
    ctx.out(`  ${s.description.en}`);
    ctx.out(
      fields([
        ['类别 Category', s.category],
        ['引擎 Engine', `${s.engine.name} ${s.engine.version}`],
        ['可开通 Available', s.available ? '是 yes' : `否 no — ${bilingual(s.unavailableReason)}`],
        ['可绑定 Bindable', s.bindable ? '是 yes' : '否 no'],
        ['可换规格 Plan changes', s.planUpdateable ? '是 yes' : '否 no'],
        ['文档 Docs', s.documentationUrl],
      ]),
    );
    for (const p of s.plans) {
      const c = p.compliance;
      ctx.out();
      ctx.out(ctx.style.bold(`规格 Plan ${p.id} — ${bilingual(p.displayName)}`));
      ctx.out(`  ${bilingual(p.description)}`);
      ctx.out(
        fields([
          ['容量 Limits', limitsText(p.limits)],
          ['价格 Price', priceText(p)],
          ['合规 Compliance', complianceMarks(p)],
          ['备份 Backups', `${c.backupRetentionDays} 天 days`],
          ['审计留存 Audit log', `${c.auditRetentionDays} 天 days`],
          ['数据驻留 Residency', c.dataResidency],
          ['开通参数 Parameters', parameterList(p.schemas.instanceCreate)],
          ['绑定参数 Binding', parameterList(p.schemas.bindingCreate)],
        ]),
      );
    }
    ctx.out();
    ctx.out(
      `开通 · Provision: zw services create ${s.id} ${s.plans[0]?.id ?? '<规格 plan>'} <名称 name>`,
    );
  });
}

interface ParameterSchema {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  items?: { enum?: unknown[] };
}

/**
 * `extensions (array of: pg_trgm, pgcrypto …), readOnly (boolean, default false)` from a
 * plan's parameter schema: names, types, the values allowed and the defaults.
 */
function parameterList(schema: Record<string, unknown>): string {
  const properties = (schema.properties ?? {}) as Record<string, ParameterSchema>;
  const names = Object.entries(properties).map(([name, p]) => {
    const type = [p.type ?? 'any'].flat().join('|');
    const allowed = p.enum ?? p.items?.enum;
    const details = [
      allowed ? `${type}${p.items?.enum ? ' of' : ''}: ${allowed.join(', ')}` : type,
      ...(p.default !== undefined ? [`default ${JSON.stringify(p.default)}`] : []),
    ];
    return `${name} (${details.join('; ')})`;
  });
  return names.length ? names.join(', ') : '无 none';
}
