/** `/reference/`: what each reference covers, with links to all of them. */
import { type Locale, page, prefix, t, table } from './markdown';

function referenceIndex(locale: Locale): string {
  const p = prefix(locale);
  const rows = [
    [
      `[HTTP API](${p}/reference/http/)`,
      t(
        locale,
        '平台 /v1 接口：每个操作的参数、请求体、响应和数据结构，来自 `openapi.yaml`',
        'The platform’s /v1 API: parameters, bodies, responses and schemas of every operation, from `openapi.yaml`',
      ),
    ],
    [
      `[${t(locale, '命令行 zw', 'The zw CLI')}](${p}/reference/cli)`,
      t(
        locale,
        '`zw` 的每个命令、参数、选项和退出码，来自命令定义',
        'Every `zw` command, argument, option and exit code, from its command definitions',
      ),
    ],
    [
      `[${t(locale, '配置参考', 'Configuration')}](${p}/operator/configuration)`,
      t(
        locale,
        '平台读取的每个 `ZW_*` 环境变量及其默认值',
        'Every `ZW_*` variable the platform reads, with its default',
      ),
    ],
    [
      `[${t(locale, '服务目录', 'Service catalog')}](${p}/catalog/)`,
      t(
        locale,
        '每个服务的规格、合规属性、参数和凭据，来自 `@zhengwu/catalog`',
        'Plans, compliance marks, parameters and credentials of every service, from `@zhengwu/catalog`',
      ),
    ],
    [
      '[@zhengwu/sdk](/en/reference/sdk/)',
      t(
        locale,
        'TypeScript SDK：`Zhengwu` 客户端、各资源、类型化错误、等待器（英文）',
        'The TypeScript SDK: the `Zhengwu` client, its resources, typed errors, waiters',
      ),
    ],
    [
      '[@zhengwu/mock](/en/reference/mock/)',
      t(
        locale,
        '离线测试用的模拟平台：msw 处理器和 `@zhengwu/mock/node` 服务器（英文）',
        'The mock platform for offline tests: msw handlers and the `@zhengwu/mock/node` server',
      ),
    ],
    [
      '[@zhengwu/catalog](/en/reference/catalog/)',
      t(
        locale,
        '服务目录的数据与按服务的类型（英文）',
        'The catalog’s data and its per-service types',
      ),
    ],
  ];
  return page(
    [
      `# ${t(locale, '参考', 'Reference')}`,
      t(
        locale,
        '这些参考都由代码生成（`pnpm docs:generate`），代码变了而参考没有重新生成时 CI 会失败，所以它们与代码一致。TypeScript API 参考（SDK、mock、catalog）由 typedoc 生成，只有英文版。',
        'These references are generated from the code (`pnpm docs:generate`); CI fails when the code changes and they were not regenerated, so they match the code. The TypeScript API references (SDK, mock, catalog) are made by typedoc.',
      ),
      table(t(locale, '参考|内容', 'Reference|What it covers').split('|'), rows),
      t(
        locale,
        `刚开始使用？先看[快速开始](${p}/guide/quick-start)，再看[开发商指南](${p}/vendor/install)。`,
        `New here? Start with the [Quick start](${p}/guide/quick-start), then the [Vendor guide](${p}/vendor/install).`,
      ),
    ].join('\n\n'),
  );
}

export function referenceIndexPages(): Map<string, string> {
  return new Map([
    ['reference/index.md', referenceIndex('zh')],
    ['en/reference/index.md', referenceIndex('en')],
  ]);
}
