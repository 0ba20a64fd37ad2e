/**
 * One operation of the HTTP reference: method and path, the async note, description,
 * parameters, request body and responses, as the spec states them.
 */
import { cell, code, colon, fence, type Locale, prefix, prose, t, table } from './markdown';
import {
  constraintText,
  METHODS,
  type Operation,
  type Parameter,
  propertyTable,
  refName,
  resolve,
  type SchemaNode,
  type Spec,
  typeText,
} from './openapi';

export interface Located {
  method: (typeof METHODS)[number];
  path: string;
  operation: Operation;
  /** Parameters declared on the path, shared by its operations. */
  pathParameters: Parameter[];
}

/** Common header parameters, described once on the index page instead of on every operation. */
export const COMMON_HEADERS = new Set(['IdempotencyKey', 'RequestId']);

export const tagSlug = (tag: string) => tag.toLowerCase();
export const anchorOf = (operationId: string) => operationId.toLowerCase();

export function operations(spec: Spec): Located[] {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      method,
      path,
      operation: item[method] as Operation,
      pathParameters: (item.parameters as Parameter[] | undefined) ?? [],
    })),
  );
}

/** Where an operation is documented. */
function operationLink(spec: Spec, operationId: string, locale: Locale): string {
  const found = operations(spec).find((o) => o.operation.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId} in openapi.yaml`);
  const tag = tagSlug(found.operation.tags[0]!);
  return `${prefix(locale)}/reference/http/${tag}#${anchorOf(operationId)}`;
}

function parametersTable(spec: Spec, located: Located, locale: Locale): string | undefined {
  const all = [...located.pathParameters, ...(located.operation.parameters ?? [])];
  if (all.length === 0) return undefined;
  const common = `${prefix(locale)}/reference/http/#common-headers`;
  return table(
    t(locale, '名称|位置|类型|必填|说明', 'Name|In|Type|Required|Description').split('|'),
    all.map((ref) => {
      const parameter = resolve(spec, ref);
      const schema = parameter.schema ?? {};
      const isCommon = ref.$ref !== undefined && COMMON_HEADERS.has(refName(ref.$ref));
      const description = isCommon
        ? t(locale, `见[通用请求头](${common})`, `See [common headers](${common})`)
        : cell(parameter.description ?? '');
      const constraints = isCommon ? '' : constraintsLine(schema, locale);
      return [
        code(parameter.name),
        parameter.in,
        typeText(schema, locale),
        parameter.required ? t(locale, '是', 'yes') : '',
        [description, constraints].filter(Boolean).join('<br>') || '—',
      ];
    }),
  );
}

/** Constraints of a parameter; a referenced schema's own are on its entry, only siblings here. */
function constraintsLine(schema: SchemaNode, locale: Locale): string {
  return constraintText(schema.$ref ? { default: schema.default } : schema, locale);
}

function examplesOf(
  media: { examples?: Record<string, { summary?: string; value: unknown }> },
  locale: Locale,
  limit = Number.POSITIVE_INFINITY,
): string[] {
  return Object.values(media.examples ?? {})
    .slice(0, limit)
    .flatMap(({ summary, value }) => [
      summary ? `${t(locale, '示例', 'Example')}${colon(locale)}${cell(summary)}` : '',
      typeof value === 'string'
        ? fence('text', value)
        : fence('json', JSON.stringify(value, null, 2)),
    ])
    .filter(Boolean);
}

function requestBodySection(spec: Spec, operation: Operation, locale: Locale): string[] {
  const body = operation.requestBody;
  if (!body) return [];
  const parts = [`#### ${t(locale, '请求体', 'Request body')}`];
  if (body.description) parts.push(prose(body.description));
  for (const [type, media] of Object.entries(body.content)) {
    const schema = media.schema ?? {};
    const required = body.required ? t(locale, '必填', 'required') : t(locale, '可选', 'optional');
    const qualifier = t(locale, `（${required}）`, ` (${required})`);
    parts.push(`${code(type)}${qualifier}${colon(locale)}${typeText(schema, locale)}`);
    const target = schema.$ref ? resolve(spec, schema) : schema;
    const rows = propertyTable(spec, target, locale);
    if (rows) parts.push(rows);
    parts.push(...examplesOf(media, locale));
  }
  return parts;
}

function responsesSection(spec: Spec, operation: Operation, locale: Locale): string[] {
  const rows = Object.entries(operation.responses).map(([status, ref]) => {
    const response = resolve(spec, ref);
    const content = Object.entries(response.content ?? {})
      .map(([type, media]) =>
        `${code(type)} ${media.schema ? typeText(media.schema, locale) : ''}`.trim(),
      )
      .join('<br>');
    return [code(status), cell(response.description), content || '—'];
  });
  const parts = [
    `#### ${t(locale, '响应', 'Responses')}`,
    table(t(locale, '状态|说明|内容', 'Status|Description|Content').split('|'), rows),
  ];
  // The first example of the first success response, to show the shape of a real answer.
  const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'));
  const media = success && Object.values(resolve(spec, success[1]).content ?? {})[0];
  if (media) parts.push(...examplesOf(media, locale, 1));
  return parts;
}

function asyncNote(spec: Spec, operation: Operation, locale: Locale): string[] {
  if (!operation['x-zhengwu-async']) return [];
  const statuses = Object.keys(operation.responses)
    .filter((s) => s.startsWith('2'))
    .map(code)
    .join(t(locale, '、', ', '));
  const poll = `[${code('GET /v1/operations/{operationId}')}](${operationLink(spec, 'getOperation', locale)})`;
  return [
    [
      `::: info ${t(locale, '异步操作', 'Asynchronous')}`,
      t(
        locale,
        `本操作标有 ${code('x-zhengwu-async')}：请求受理后立即返回（${statuses}），实际工作由一个异步操作完成。用 ${poll} 轮询其状态，或使用 SDK 的等待器（见[异步操作与幂等](/concepts/operations)）。`,
        `This operation is marked ${code('x-zhengwu-async')}: it answers as soon as the request is accepted (${statuses}) and an asynchronous operation does the work. Poll it with ${poll}, or use the SDK's waiters (see [Operations and idempotency](/en/concepts/operations)).`,
      ),
      ':::',
    ].join('\n'),
  ];
}

export function operationSection(spec: Spec, located: Located, locale: Locale): string {
  const { operation } = located;
  const parameters = parametersTable(spec, located, locale);
  return [
    `## ${prose(operation.summary)} {#${anchorOf(operation.operationId)}}`,
    `${code(`${located.method.toUpperCase()} ${located.path}`)} · operationId ${code(operation.operationId)}`,
    ...asyncNote(spec, operation, locale),
    operation.description ? prose(operation.description.trim()) : '',
    ...(parameters ? [`#### ${t(locale, '参数', 'Parameters')}`, parameters] : []),
    ...requestBodySection(spec, operation, locale),
    ...responsesSection(spec, operation, locale),
  ]
    .filter(Boolean)
    .join('\n\n');
}
