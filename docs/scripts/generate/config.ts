/**
 * `/operator/configuration`: every `ZW_*` variable of the platform, a table per area, from
 * packages/platform/src/config-reference.ts (which a platform test keeps complete).
 */
import {
  CONFIG_GROUPS,
  CONFIG_REFERENCE,
  type ConfigVariable,
} from '../../../packages/platform/src/config-reference';
import { cell, code, fence, type Locale, page, prefix, t, table } from './markdown';

function defaultOf(variable: ConfigVariable, locale: Locale): string {
  if (variable.default !== undefined) return code(variable.default);
  return cell(variable.unset![locale]);
}

function configurationPage(locale: Locale): string {
  const p = prefix(locale);
  const sections = CONFIG_GROUPS.map((group) => {
    const variables = CONFIG_REFERENCE.filter((v) => v.group === group.id);
    return [
      `## ${group[locale]} {#${group.id}}`,
      table(
        t(locale, '变量|默认值|说明', 'Variable|Default|Description').split('|'),
        variables.map((v) => [code(v.name), defaultOf(v, locale), cell(v[locale])]),
      ),
    ].join('\n\n');
  });
  return page(
    [
      `# ${t(locale, '配置参考', 'Configuration reference')}`,
      t(
        locale,
        `平台只从环境变量读取配置，启动时读取一次并全部校验：某个变量无效时，平台打印出错的变量并以退出码 2 退出，不会带着错误配置运行。未设置的变量取下表的默认值；默认配置不需要安装任何服务器（嵌入式 PostgreSQL、MQTT 和对象存储）。`,
        'The platform reads its configuration from environment variables only, once at start, and checks all of them: when one is invalid it prints which and exits with code 2 rather than run misconfigured. Unset variables take the defaults below; the defaults need no server installed (embedded PostgreSQL, MQTT and object storage).',
      ),
      fence('sh', 'ZW_PORT=8080 ZW_CRYPTO=gm pnpm start'),
      t(
        locale,
        `运行方式见[运行平台](${p}/operator/)，外部引擎池见[外部引擎池](${p}/operator/external-engines)。命令行和 SDK 读取的 ${code('ZHENGWU_URL')}、${code('ZHENGWU_TOKEN')} 不是平台配置，见[命令行参考](${p}/reference/cli)。`,
        `How to run it is in [Running the platform](${p}/operator/), engine pools in [External engine pools](${p}/operator/external-engines). ${code('ZHENGWU_URL')} and ${code('ZHENGWU_TOKEN')}, read by the CLI and the SDK, are not platform settings: see the [CLI reference](${p}/reference/cli).`,
      ),
      ...sections,
    ].join('\n\n'),
  );
}

export function configurationPages(): Map<string, string> {
  return new Map([
    ['operator/configuration.md', configurationPage('zh')],
    ['en/operator/configuration.md', configurationPage('en')],
  ]);
}
