/**
 * Which engine backs each catalog service on a platform, and the variables that choose it.
 * Mirrors `startEngines` in packages/platform/src/brokers/engines.ts: an external pool where
 * its URL variable is set, else the embedded engine where `ZW_EMBEDDED_ENGINES` lists it,
 * else none (the catalog then lists the service as unavailable).
 */
import type { ServiceDefinition } from '@zhengwu/catalog';
import { CONFIG_REFERENCE } from '../../../packages/platform/src/config-reference';
import { code, type Locale, prefix, t } from './markdown';

interface Backing {
  /** Listed in `ZW_EMBEDDED_ENGINES` (and on by default). */
  embedded: boolean;
  /** The variable that configures an external pool, if the platform supports one. */
  url?: string;
  /** Other variables of this engine. */
  more: string[];
  /** What the machine must have for the embedded engine (when npm alone is not enough). */
  needs?: { zh: string; en: string };
}

const BACKING: Record<string, Backing> = {
  postgresql: { embedded: true, url: 'ZW_POSTGRES_URL', more: [] },
  mysql: { embedded: false, url: 'ZW_MYSQL_URL', more: [] },
  redis: {
    embedded: true,
    url: 'ZW_REDIS_URL',
    more: ['ZW_REDIS_SERVER', 'ZW_REDIS_PORT'],
    needs: {
      zh: '平台运行本机的 `redis-server`（7.0 以上，如 `apt-get install redis-server`），作为独立的 Redis 服务器，数据在数据目录中；本机没有时目录把 Redis 列为不可开通并说明原因。',
      en: "The platform runs this machine's `redis-server` (7.0+, e.g. `apt-get install redis-server`) as a Redis server of its own, with its data in the data dir; on a machine without one the catalog lists Redis as unavailable and says why.",
    },
  },
  rabbitmq: { embedded: false, url: 'ZW_RABBITMQ_URL', more: ['ZW_RABBITMQ_MANAGEMENT_URL'] },
  mqtt: { embedded: true, url: 'ZW_MQTT_URL', more: ['ZW_MQTT_PORT'] },
  'object-storage': { embedded: true, more: ['ZW_OBJECT_STORAGE_PORT'] },
};

/** The backing of a service; fails the generation for a service or variable nobody mapped. */
export function backingOf(service: ServiceDefinition): Backing {
  const backing = BACKING[service.id];
  if (!backing) throw new Error(`catalog-engines.ts: no engine mapping for "${service.id}"`);
  if (backing.embedded !== Boolean(service.engines.embedded)) {
    throw new Error(`catalog-engines.ts: the embedded engine of "${service.id}" changed`);
  }
  return backing;
}

const engineName = (e: { name: string; version: string }) => `${e.name} ${e.version}`;

/** A link to a variable's group on the configuration page (the variable must exist). */
export function variableLink(name: string, locale: Locale): string {
  const variable = CONFIG_REFERENCE.find((v) => v.name === name);
  if (!variable) throw new Error(`${name} is not in the platform's configuration reference`);
  return `[${code(name)}](${prefix(locale)}/operator/configuration#${variable.group})`;
}

/** One line for the overview table: what it takes to make the service available. */
export function availabilityNote(service: ServiceDefinition, locale: Locale): string {
  const backing = backingOf(service);
  if (backing.embedded && backing.needs) {
    return t(
      locale,
      '嵌入式引擎，需本机有 `redis-server`',
      'Embedded engine, needs `redis-server` on the machine',
    );
  }
  if (backing.embedded) {
    return t(locale, '开箱即用（嵌入式引擎）', 'Works out of the box (embedded engine)');
  }
  const url = variableLink(backing.url!, locale);
  return t(locale, `需配置 ${url}`, `Needs ${url}`);
}

/** The “Engine” section of a service page. */
export function engineSection(service: ServiceDefinition, locale: Locale): string {
  const backing = backingOf(service);
  const { embedded, external } = service.engines;
  const lines: string[] = [];
  if (embedded && backing.needs) {
    lines.push(
      t(
        locale,
        `默认由平台的嵌入式 **${engineName(embedded)}** 提供（${variableLink('ZW_EMBEDDED_ENGINES', locale)} 默认包含 ${code(service.id)}）。${backing.needs.zh}`,
        `By default the platform's embedded **${engineName(embedded)}** serves it (${variableLink('ZW_EMBEDDED_ENGINES', locale)} lists ${code(service.id)} by default). ${backing.needs.en}`,
      ),
    );
  } else if (embedded) {
    lines.push(
      t(
        locale,
        `默认由平台内嵌的 **${engineName(embedded)}** 提供，无需安装服务器（${variableLink('ZW_EMBEDDED_ENGINES', locale)} 默认包含 ${code(service.id)}）。`,
        `By default the platform's embedded **${engineName(embedded)}** serves it, with no server to install (${variableLink('ZW_EMBEDDED_ENGINES', locale)} lists ${code(service.id)} by default).`,
      ),
    );
  } else {
    lines.push(
      t(
        locale,
        `没有嵌入式引擎：运维设置 ${variableLink(backing.url!, locale)} 指向一个 **${engineName(external)}** 引擎池后才能开通；未设置时目录把它列为不可开通（${code('available: false')}）。`,
        `No embedded engine: it can be provisioned once the operator points ${variableLink(backing.url!, locale)} at a **${engineName(external)}** pool; until then the catalog lists it as unavailable (${code('available: false')}).`,
      ),
    );
  }
  if (embedded && backing.url) {
    lines.push(
      t(
        locale,
        `设置 ${variableLink(backing.url, locale)} 后改用外部 **${engineName(external)}** 引擎池，嵌入式引擎不再启动。`,
        `Setting ${variableLink(backing.url, locale)} switches to an external **${engineName(external)}** pool instead; the embedded engine no longer starts.`,
      ),
    );
    if (embedded.version !== external.version || embedded.name !== external.name) {
      lines.push(
        t(
          locale,
          '两种引擎的版本不同，应用应同时兼容二者。',
          'The two engines differ, so applications should work with both.',
        ),
      );
    }
  }
  if (embedded && !backing.url) {
    lines.push(
      t(
        locale,
        `目录登记的外部引擎为 **${engineName(external)}**，但平台目前还不能配置外部引擎池（没有对应的环境变量）。`,
        `The catalog names **${engineName(external)}** as its external engine, but the platform cannot be configured with an external pool for it yet (there is no variable for one).`,
      ),
    );
  }
  const related = embedded ? [...backing.more, 'ZW_ENGINE_HOST'] : backing.more;
  if (related.length > 0) {
    const list = related.map((name) => variableLink(name, locale)).join(t(locale, '、', ', '));
    lines.push(t(locale, `相关变量：${list}。`, `Related variables: ${list}.`));
  }
  if (backing.url) {
    lines.push(
      t(
        locale,
        `外部引擎池的搭建见[外部引擎池](/operator/external-engines)。`,
        `See [External engine pools](/en/operator/external-engines) for setting one up.`,
      ),
    );
  }
  return lines.join('\n\n');
}
