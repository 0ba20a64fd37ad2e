/**
 * The catalog's parameter and credential schemas (the JSON Schema subset of
 * `@zhengwu/catalog`) as tables a reader can scan: one row per property, nested objects
 * flattened to dotted names.
 */
import type { JsonSchemaNode } from '@zhengwu/catalog';
import { cell, code, half, type Locale, t, table } from './markdown';

/** A schema value as inline code: strings as they are, anything else as JSON. */
const json = (value: unknown) => code(typeof value === 'string' ? value : JSON.stringify(value));

/** The value type a node accepts, in TypeScript-like words. */
export function typeOf(node: JsonSchemaNode): string {
  if (node.const !== undefined) return typeof node.const;
  if (node.type === 'array') return `${node.items ? typeOf(node.items) : 'unknown'}[]`;
  if (node.type) return node.type;
  if (node.enum) return [...new Set(node.enum.map((v) => typeof v))].join(' | ');
  return 'unknown';
}

/** The keywords `constraintsOf` reads; catalog schemas and OpenAPI schemas both fit. */
export interface Constrained {
  const?: unknown;
  enum?: readonly unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  items?: { enum?: readonly unknown[] };
  uniqueItems?: boolean;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  propertyNames?: { pattern?: string };
  readOnly?: boolean;
}

/** Every restriction beyond the type, as short phrases. */
export function constraintsOf(node: Constrained, locale: Locale): string[] {
  const out: string[] = [];
  const say = (zh: string, en: string) => out.push(t(locale, zh, en));
  if (node.readOnly) say('只读（仅出现在响应中）', 'read-only (responses only)');
  if (node.const !== undefined) say(`只能为 ${json(node.const)}`, `always ${json(node.const)}`);
  if (node.enum) {
    const values = node.enum.map(json).join(', ');
    say(`可选值：${values}`, `one of ${values}`);
  }
  if (node.pattern) say(`匹配 ${code(node.pattern)}`, `matches ${code(node.pattern)}`);
  if (node.format) say(`格式 ${code(node.format)}`, `format ${code(node.format)}`);
  if (node.minLength !== undefined)
    say(`至少 ${node.minLength} 个字符`, `length ≥ ${node.minLength}`);
  if (node.maxLength !== undefined)
    say(`至多 ${node.maxLength} 个字符`, `length ≤ ${node.maxLength}`);
  if (node.minimum !== undefined) say(`≥ ${node.minimum}`, `≥ ${node.minimum}`);
  if (node.exclusiveMinimum !== undefined) {
    say(`> ${node.exclusiveMinimum}`, `> ${node.exclusiveMinimum}`);
  }
  if (node.maximum !== undefined) say(`≤ ${node.maximum}`, `≤ ${node.maximum}`);
  if (node.items?.enum) {
    const values = node.items.enum.map(json).join(', ');
    say(`元素取值：${values}`, `items: ${values}`);
  }
  if (node.uniqueItems) say('元素不重复', 'unique items');
  if (node.minItems !== undefined) say(`至少 ${node.minItems} 项`, `≥ ${node.minItems} items`);
  if (node.maxItems !== undefined) say(`至多 ${node.maxItems} 项`, `≤ ${node.maxItems} items`);
  if (node.propertyNames?.pattern) {
    const pattern = code(node.propertyNames.pattern);
    say(`键匹配 ${pattern}`, `keys match ${pattern}`);
  }
  if (node.minProperties !== undefined) {
    say(`至少 ${node.minProperties} 个键`, `≥ ${node.minProperties} keys`);
  }
  if (node.maxProperties !== undefined) {
    say(`至多 ${node.maxProperties} 个键`, `≤ ${node.maxProperties} keys`);
  }
  return out;
}

interface Row {
  name: string;
  node: JsonSchemaNode;
  required: boolean;
}

/** Properties in declaration order, nested objects followed by their own properties. */
function rowsOf(node: JsonSchemaNode, path = ''): Row[] {
  const required = new Set(node.required ?? []);
  return Object.entries(node.properties ?? {}).flatMap(([name, child]) => {
    const full = path ? `${path}.${name}` : name;
    const row = { name: full, node: child, required: required.has(name) };
    return child.type === 'object' && child.properties ? [row, ...rowsOf(child, full)] : [row];
  });
}

export interface SchemaTableOptions {
  /** Show a Default column (parameters) or a Required column (credentials). */
  column: 'default' | 'required';
}

/** A table of the schema's properties, or `undefined` when it has none. */
export function schemaTable(
  schema: JsonSchemaNode,
  locale: Locale,
  { column }: SchemaTableOptions,
): string | undefined {
  const rows = rowsOf(schema);
  if (rows.length === 0) return undefined;
  const extra =
    column === 'default' ? t(locale, '默认值', 'Default') : t(locale, '必填', 'Required');
  const headers = [
    t(locale, '名称', 'Name'),
    t(locale, '类型', 'Type'),
    extra,
    t(locale, '约束', 'Constraints'),
    t(locale, '说明', 'Description'),
  ];
  return table(
    headers,
    rows.map(({ name, node, required }) => [
      code(name),
      code(typeOf(node)),
      column === 'default'
        ? node.default === undefined
          ? '—'
          : json(node.default)
        : required
          ? t(locale, '是', 'yes')
          : t(locale, '否', 'no'),
      constraintsOf(node, locale).join(t(locale, '；', '; ')) || '—',
      cell(half(node.description ?? '', locale)) || '—',
    ]),
  );
}

/** The `oneOf` branches of an object schema as rules ("one of these must hold"). */
export function combinedRules(schema: JsonSchemaNode, locale: Locale): string | undefined {
  if (!schema.oneOf) return undefined;
  const branch = (node: JsonSchemaNode) => {
    const required = new Set(node.required ?? []);
    const parts = Object.entries(node.properties ?? {}).map(([name, child]) => {
      const values = child.const !== undefined ? [child.const] : (child.enum ?? []);
      const list = values.map(json).join(t(locale, '、', ', '));
      const value =
        values.length === 1
          ? t(locale, `为 ${list}`, list)
          : t(locale, `取 ${list}`, `one of ${list}`);
      // `properties` only constrain keys that are present.
      return required.has(name)
        ? t(locale, `${code(name)} ${value}`, `${code(name)} is ${value}`)
        : t(locale, `${code(name)} 省略或${value}`, `${code(name)} is absent or ${value}`);
    });
    return `- ${parts.join(t(locale, '；', '; '))}`;
  };
  return [
    t(locale, '参数须恰好满足下列一组条件：', 'The parameters must match exactly one of:'),
    '',
    ...schema.oneOf.map(branch),
  ].join('\n');
}
