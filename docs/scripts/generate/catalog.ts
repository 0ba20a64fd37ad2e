/**
 * Catalog pages from @zhengwu/catalog: `/catalog/` (every service at a glance) and one page
 * per service (catalog-service.ts) in both locales.
 */
import { builtInCatalog, SERVICE_DEFINITIONS, type ServiceDefinition } from '@zhengwu/catalog';
import { availabilityNote } from './catalog-engines';
import { CATEGORY, enginesText, servicePage } from './catalog-service';
import { code, type Locale, page, prefix, t, table } from './markdown';

const LOCALES: Locale[] = ['zh', 'en'];

/** The definitions (engines, typed schemas) in the catalog's order. */
export function services(): ServiceDefinition[] {
  return builtInCatalog().map((s) => {
    const definition = SERVICE_DEFINITIONS.find((d) => d.id === s.id);
    if (!definition) throw new Error(`no definition for catalog service ${s.id}`);
    return definition;
  });
}

function overviewPage(all: ServiceDefinition[], locale: Locale): string {
  const p = prefix(locale);
  const rows = all.map((service) => {
    return [
      `[${service.displayName[locale]}](${p}/catalog/${service.id})`,
      code(service.id),
      CATEGORY[service.category][locale],
      service.plans.map((plan) => code(plan.id)).join(' '),
      enginesText(service, locale),
      availabilityNote(service, locale),
    ];
  });
  const tiers = all[0]!.plans.map((plan) => `${code(plan.id)} ${plan.displayName[locale]}`);
  return page(
    [
      `# ${t(locale, '服务目录', 'Service catalog')}`,
      t(
        locale,
        `服务目录列出平台上可以开通的服务。每个服务的规格是统一的几档（${tiers.join('、')}），规格决定容量上限、展示价格和合规属性；${code('dev')} 免费、使用共享资源、没有 SLA，不用于生产数据。概念说明见[服务目录](${p}/concepts/catalog)。`,
        `The catalog lists the services you can provision on the platform. Every service comes in the same tiers (${tiers.join(', ')}); a plan sets the limits, the showback price and the compliance marks. ${code('dev')} is free, on shared resources, with no SLA and not for production data. The concepts are explained in [The catalog](${p}/concepts/catalog).`,
      ),
      table(
        t(
          locale,
          '服务|ID|类别|规格|引擎|可用性',
          'Service|Id|Category|Plans|Engine|Availability',
        ).split('|'),
        rows,
      ),
      t(
        locale,
        `一个服务能否开通取决于运维为它配置了哪个引擎池：平台在 ${code('GET /v1/catalog/services')} 的 ${code('available')} 和 ${code('unavailableReason')} 中说明（见 [HTTP API：Catalog](${p}/reference/http/catalog)）。在命令行里用 ${code('zw marketplace')} 查看，在 SDK 里用 ${code('zw.catalog.services.list()')}。`,
        `Whether a service can be provisioned depends on the engine pool the operator configured for it: the platform says so in ${code('available')} and ${code('unavailableReason')} of ${code('GET /v1/catalog/services')} (see [HTTP API: Catalog](${p}/reference/http/catalog)). Browse it with ${code('zw marketplace')} on the command line, or ${code('zw.catalog.services.list()')} in the SDK.`,
      ),
      t(
        locale,
        `TypeScript 中的目录数据和类型见 [@zhengwu/catalog 参考（英文）](/en/reference/catalog/)。`,
        `The catalog's data and types for TypeScript are in the [@zhengwu/catalog reference](/en/reference/catalog/).`,
      ),
    ].join('\n\n'),
  );
}

export function catalogPages(): Map<string, string> {
  const files = new Map<string, string>();
  const all = services();
  for (const locale of LOCALES) {
    const dir = locale === 'en' ? 'en/catalog' : 'catalog';
    files.set(`${dir}/index.md`, overviewPage(all, locale));
    for (const service of all) files.set(`${dir}/${service.id}.md`, servicePage(service, locale));
  }
  return files;
}
