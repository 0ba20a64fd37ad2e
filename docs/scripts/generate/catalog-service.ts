/** One service's page: what it is, its plans, engine, parameters, credentials and how to use it. */
import { builtInCatalog, type ServiceDefinition } from '@zhengwu/catalog';
import type { Schemas } from '@zhengwu/openapi';
import { limitsText } from '../../../packages/catalog/src/shared/limits-text';
import { engineSection } from './catalog-engines';
import { cliSnippet, manifestSnippet, sdkSnippet } from './catalog-snippets';
import { combinedRules, schemaTable } from './json-schema';
import { cell, code, colon, fence, half, type Locale, page, prefix, t, table } from './markdown';

type Plan = Schemas['Plan'];

export const CATEGORY: Record<ServiceDefinition['category'], { zh: string; en: string }> = {
  database: { zh: '数据库', en: 'Database' },
  middleware: { zh: '中间件', en: 'Middleware' },
  storage: { zh: '存储', en: 'Storage' },
};

/** `PostgreSQL 18（嵌入式）· PostgreSQL 15（外部引擎池）` */
export function enginesText(service: ServiceDefinition, locale: Locale): string {
  const { embedded, external } = service.engines;
  return [
    ...(embedded
      ? [`${embedded.name} ${embedded.version}${t(locale, '（嵌入式）', ' (embedded)')}`]
      : []),
    `${external.name} ${external.version}${t(locale, '（外部引擎池）', ' (external pool)')}`,
  ].join(' · ');
}

const item = (label: string, value: string, locale: Locale) => `- ${label}${colon(locale)}${value}`;

const yesNo = (value: boolean, locale: Locale) =>
  value ? t(locale, '是', 'yes') : t(locale, '否', 'no');

function price(plan: Plan, locale: Locale): string {
  if (plan.free) return t(locale, '免费', 'Free');
  const unit = plan.price.unit === 'hour' ? t(locale, '小时', 'hour') : t(locale, '月', 'month');
  return `¥${plan.price.amount.toFixed(2)} / ${unit}`;
}

function plansTable(plans: Plan[], locale: Locale): string {
  return table(
    t(locale, '规格|名称|容量|展示价格', 'Plan|Name|Limits|Showback price').split('|'),
    plans.map((plan) => [
      code(plan.id),
      cell(plan.displayName[locale]),
      cell(limitsText(plan.limits)[locale]),
      price(plan, locale),
    ]),
  );
}

function complianceTable(plans: Plan[], locale: Locale): string {
  const headers = t(
    locale,
    '规格|等保级别|静态加密|备份保留|数据存放|国密算法',
    'Plan|MLPS (等保) level|Encrypted at rest|Backups kept|Data residency|国密 (GM) crypto',
  ).split('|');
  return table(
    headers,
    plans.map(({ id, compliance: c }) => [
      code(id),
      t(locale, c.dengbaoLevel === 3 ? '三级' : '二级', `Level ${c.dengbaoLevel}`),
      yesNo(c.encryptedAtRest, locale),
      t(
        locale,
        `${c.backupRetentionDays} 天`,
        `${c.backupRetentionDays} day${c.backupRetentionDays === 1 ? '' : 's'}`,
      ),
      c.dataResidency,
      yesNo(c.gmCrypto, locale),
    ]),
  );
}

const PRICE_NOTE = {
  zh: '价格是展示性费用（showback），用于成本意识，不实际计费。',
  en: 'Prices are showback: shown for cost awareness, never billed.',
};

/** The audit retention, said once when every plan has the same. */
function auditNote(plans: Plan[], locale: Locale): string {
  const days = [...new Set(plans.map((p) => p.compliance.auditRetentionDays))];
  if (days.length !== 1) return '';
  return t(
    locale,
    `每个规格的审计日志都保留 ${days[0]} 天。`,
    `Every plan keeps audit logs for ${days[0]} days.`,
  );
}

/** A parameters schema as a table, or why it has none; then its combined rules. */
function parametersOf(schema: ServiceDefinition['schemas']['instanceCreate'], locale: Locale) {
  const parts: string[] = [];
  const rows = schemaTable(schema, locale, { column: 'default' });
  if (rows) parts.push(rows);
  else if (schema.description) {
    // Such a description says why there are none.
    const why = cell(half(schema.description, locale));
    parts.push(/[。.]$/.test(why) ? why : `${why}${t(locale, '。', '.')}`);
  } else parts.push(t(locale, '无参数。', 'None.'));
  const rules = combinedRules(schema, locale);
  if (rules) parts.push(rules);
  return parts;
}

function summarySection(service: ServiceDefinition, locale: Locale): string[] {
  return [
    `# ${service.displayName[locale]}`,
    service.description[locale],
    [
      item(t(locale, '服务 ID', 'Service id'), code(service.id), locale),
      item(t(locale, '类别', 'Category'), CATEGORY[service.category][locale], locale),
      item(t(locale, '引擎', 'Engine'), enginesText(service, locale), locale),
      item(t(locale, '可绑定', 'Bindable'), yesNo(service.bindable, locale), locale),
      item(t(locale, '可更换规格', 'Plan changes'), yesNo(service.planUpdateable, locale), locale),
      item(t(locale, '标签', 'Tags'), service.tags.map(code).join(' '), locale),
    ].join('\n'),
  ];
}

function plansSection(plans: Plan[], locale: Locale): string[] {
  return [
    `## ${t(locale, '规格', 'Plans')} {#plans}`,
    plansTable(plans, locale),
    PRICE_NOTE[locale],
    `### ${t(locale, '合规属性', 'Compliance')} {#compliance}`,
    t(
      locale,
      '规格承诺的合规属性（等保 2.0、密评），由承载该规格的引擎池兑现：',
      'What each plan commits to for MLPS 2.0 (等保) and commercial cryptography; the engine pools serving the plan deliver it:',
    ),
    complianceTable(plans, locale),
    auditNote(plans, locale),
  ];
}

function parametersSections(service: ServiceDefinition, locale: Locale): string[] {
  const { instanceCreate, instanceUpdate, bindingCreate } = service.schemas;
  const of = (method: string, zh: string, en: string) =>
    t(
      locale,
      `${code(method)} 的 ${code('parameters')}${zh}`,
      `The ${code('parameters')} of ${code(method)}${en}`,
    );
  return [
    `## ${t(locale, '开通参数', 'Provisioning parameters')} {#parameters}`,
    of('instances.create', '，按下表校验：', ', checked against:'),
    ...parametersOf(instanceCreate, locale),
    `## ${t(locale, '变更参数', 'Update parameters')} {#update-parameters}`,
    of('instances.update', '：', ':'),
    ...parametersOf(instanceUpdate, locale),
    `## ${t(locale, '绑定参数', 'Binding parameters')} {#binding-parameters}`,
    of('bindings.create', '：', ':'),
    ...parametersOf(bindingCreate, locale),
  ];
}

function credentialsSection(service: ServiceDefinition, locale: Locale): string[] {
  const example = service.schemas.credentials.examples?.[0];
  return [
    `## ${t(locale, '绑定凭据', 'Binding credentials')} {#credentials}`,
    t(
      locale,
      `每个绑定一组独立的凭据，通过 ${code('bindings.credentials')} 读取（读取会记入审计），也会注入绑定的应用。`,
      `Each binding holds credentials of its own, read with ${code('bindings.credentials')} (an audited read) and injected into the bound app.`,
    ),
    schemaTable(service.schemas.credentials, locale, { column: 'required' }) ?? '',
    ...(example
      ? [
          t(locale, '示例（仅为示意）：', 'Example (illustration only):'),
          fence('json', JSON.stringify(example, null, 2)),
        ]
      : []),
  ];
}

function usageSections(service: ServiceDefinition, locale: Locale): string[] {
  const p = prefix(locale);
  return [
    `## ${t(locale, '用 SDK 开通', 'Provision with the SDK')} {#sdk}`,
    sdkSnippet(service, locale),
    t(
      locale,
      '完整 API 见 [SDK 参考（英文）](/en/reference/sdk/)。',
      'The full API is in the [SDK reference](/en/reference/sdk/).',
    ),
    `## ${t(locale, '在 zhengwu.yaml 中声明', 'Declare it in zhengwu.yaml')} {#manifest}`,
    t(
      locale,
      `部署时平台按 ${code('resources')} 开通并绑定实例，凭据通过占位符注入环境变量：`,
      `On deploy the platform provisions and binds the instance from ${code('resources')} and injects its credentials through placeholders:`,
    ),
    manifestSnippet(service),
    t(
      locale,
      `清单的全部字段见[应用清单 zhengwu.yaml](${p}/vendor/manifest)。`,
      `Every field of the manifest is in [The zhengwu.yaml manifest](${p}/vendor/manifest).`,
    ),
    `## ${t(locale, '命令行', 'Command line')} {#cli}`,
    cliSnippet(service),
    t(
      locale,
      `命令的全部选项见[命令行参考](${p}/reference/cli)。`,
      `Every option is in the [CLI reference](${p}/reference/cli).`,
    ),
  ];
}

export function servicePage(service: ServiceDefinition, locale: Locale): string {
  const plans = builtInCatalog().find((s) => s.id === service.id)!.plans;
  return page(
    [
      ...summarySection(service, locale),
      ...plansSection(plans, locale),
      `## ${t(locale, '引擎', 'Engine')} {#engine}`,
      engineSection(service, locale),
      ...parametersSections(service, locale),
      ...credentialsSection(service, locale),
      ...usageSections(service, locale),
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
}
