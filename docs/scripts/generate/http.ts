/**
 * The HTTP API reference from openapi.yaml: `/reference/http/` (conventions, auth, groups),
 * one page per tag with each operation, and `/reference/http/schemas`. The spec's text is
 * bilingual already and is shown as written; headings and labels follow the locale.
 */
import { anchorOf, COMMON_HEADERS, operationSection, operations, tagSlug } from './http-operations';
import { schemaSections } from './http-schemas';
import { cell, code, type Locale, page, prefix, prose, t, table } from './markdown';
import { loadSpec, type Spec, schemaLink } from './openapi';

function tagPage(spec: Spec, tag: Spec['tags'][number], locale: Locale): string {
  const located = operations(spec).filter((o) => o.operation.tags[0] === tag.name);
  return page(
    [
      `# ${t(locale, 'HTTP API：', 'HTTP API: ')}${tag.name}`,
      prose(tag.description.trim()),
      table(
        t(locale, '操作|方法与路径', 'Operation|Method and path').split('|'),
        located.map((o) => [
          `[${cell(o.operation.summary)}](#${anchorOf(o.operation.operationId)})`,
          code(`${o.method.toUpperCase()} ${o.path}`),
        ]),
      ),
      ...located.map((o) => operationSection(spec, o, locale)),
    ].join('\n\n'),
  );
}

/** The paragraph of a bilingual tag description in the reader's language (Chinese first). */
function tagSummary(description: string, locale: Locale): string {
  const paragraphs = description.trim().split(/\n\s*\n/);
  return paragraphs.length === 2 ? paragraphs[locale === 'zh' ? 0 : 1]! : description;
}

function indexPage(spec: Spec, locale: Locale): string {
  const p = prefix(locale);
  const all = operations(spec);
  const headers = Object.entries(spec.components.parameters).filter(
    ([name, parameter]) => COMMON_HEADERS.has(name) && parameter.in === 'header',
  );
  return page(
    [
      `# ${t(locale, 'HTTP API 参考', 'HTTP API reference')}`,
      `${prose(spec.info.summary ?? spec.info.title)} · ${code(`v${spec.info.version}`)}`,
      prose(spec.info.description.trim()),
      `## ${t(locale, '地址', 'Base URL')} {#base-url}`,
      ...spec.servers.map(
        (server) =>
          `${code(server.url)}${server.description ? ` — ${prose(server.description)}` : ''}`,
      ),
      t(
        locale,
        `机器可读的契约是 ${code('packages/openapi/openapi.yaml')}（npm 包 ${code('@zhengwu/openapi')} 导出为 ${code('@zhengwu/openapi/openapi.yaml')}）。TypeScript 项目可直接使用 [SDK](/en/reference/sdk/)。`,
        `The machine-readable contract is ${code('packages/openapi/openapi.yaml')} (exported by the npm package ${code('@zhengwu/openapi')} as ${code('@zhengwu/openapi/openapi.yaml')}). TypeScript projects can use the [SDK](/en/reference/sdk/).`,
      ),
      `## ${t(locale, '认证', 'Authentication')} {#authentication}`,
      ...Object.values(spec.components.securitySchemes).map((s) => prose(s.description.trim())),
      `## ${t(locale, '通用请求头', 'Common headers')} {#common-headers}`,
      table(
        t(locale, '请求头|说明', 'Header|Description').split('|'),
        headers.map(([, parameter]) => [code(parameter.name), cell(parameter.description ?? '')]),
      ),
      `## ${t(locale, '错误', 'Errors')} {#errors}`,
      t(
        locale,
        `错误响应都是 ${code('application/problem+json')}，结构见 ${schemaLink('Problem', locale)}，其中列出了全部错误码。`,
        `Every error response is ${code('application/problem+json')}; its shape, with every error code, is ${schemaLink('Problem', locale)}.`,
      ),
      `## ${t(locale, '接口分组', 'Groups')} {#groups}`,
      table(
        t(locale, '分组|操作数|说明', 'Group|Operations|Description').split('|'),
        spec.tags.map((tag) => [
          `[${tag.name}](${p}/reference/http/${tagSlug(tag.name)})`,
          String(all.filter((o) => o.operation.tags[0] === tag.name).length),
          cell(tagSummary(tag.description, locale)),
        ]),
      ),
      t(
        locale,
        `所有请求和响应中的数据结构见[数据结构](${p}/reference/http/schemas)。`,
        `Every request and response shape is in [Schemas](${p}/reference/http/schemas).`,
      ),
    ].join('\n\n'),
  );
}

function schemasPage(spec: Spec, locale: Locale): string {
  return page(
    [
      `# ${t(locale, 'HTTP API：数据结构', 'HTTP API: Schemas')}`,
      t(
        locale,
        `契约 ${code('components.schemas')} 中的全部数据结构，按契约中的顺序排列。`,
        `Every schema of the contract's ${code('components.schemas')}, in the contract's order.`,
      ),
      ...schemaSections(spec, locale),
    ].join('\n\n'),
  );
}

export function httpPages(): Map<string, string> {
  const spec = loadSpec();
  const files = new Map<string, string>();
  for (const locale of ['zh', 'en'] as const) {
    const dir = `${locale === 'en' ? 'en/' : ''}reference/http`;
    files.set(`${dir}/index.md`, indexPage(spec, locale));
    files.set(`${dir}/schemas.md`, schemasPage(spec, locale));
    for (const tag of spec.tags) {
      files.set(`${dir}/${tagSlug(tag.name)}.md`, tagPage(spec, tag, locale));
    }
  }
  const untagged = operations(spec).filter(
    (o) => !spec.tags.some((tag) => tag.name === o.operation.tags[0]),
  );
  if (untagged.length > 0) {
    throw new Error(
      `operations without a declared tag: ${untagged.map((o) => o.operation.operationId).join(', ')}`,
    );
  }
  return files;
}
