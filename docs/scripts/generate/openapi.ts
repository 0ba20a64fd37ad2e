/**
 * The contract (packages/openapi/openapi.yaml) as plain data, and how its schemas read in a
 * reference: type names with links to `/reference/http/schemas`, property tables.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { constraintsOf } from './json-schema';
import { cell, code, type Locale, prefix, t, table } from './markdown';

export interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  additionalProperties?: boolean | SchemaNode;
  allOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  discriminator?: { propertyName: string };
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  examples?: unknown[];
  readOnly?: boolean;
  pattern?: string;
  format?: string;
  propertyNames?: { pattern?: string };
}

export interface Parameter {
  $ref?: string;
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: SchemaNode;
}

export interface MediaType {
  schema?: SchemaNode;
  examples?: Record<string, { summary?: string; value: unknown }>;
}

export interface Response {
  $ref?: string;
  description: string;
  content?: Record<string, MediaType>;
}

export interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; description?: string; content: Record<string, MediaType> };
  responses: Record<string, Response>;
  'x-zhengwu-async'?: boolean;
}

export interface Spec {
  info: { title: string; summary?: string; description: string; version: string };
  servers: { url: string; description?: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Operation | Parameter[]>>;
  components: {
    securitySchemes: Record<string, { description: string }>;
    parameters: Record<string, Parameter>;
    responses: Record<string, Response>;
    schemas: Record<string, SchemaNode>;
  };
}

export const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

export function loadSpec(): Spec {
  const path = createRequire(import.meta.url).resolve('@zhengwu/openapi/openapi.yaml');
  return parse(readFileSync(path, 'utf8')) as Spec;
}

/** The last segment of a local `$ref`. */
export const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

/** Follows a `#/components/<kind>/<name>` reference. */
export function resolve<T>(spec: Spec, node: T & { $ref?: string }): T {
  if (!node.$ref) return node;
  const [, , kind, name] = node.$ref.split('/');
  const target = (spec.components as unknown as Record<string, Record<string, T>>)[kind!]?.[name!];
  if (!target) throw new Error(`unresolved $ref ${node.$ref}`);
  return target;
}

/** The anchor of a schema on the schemas page. */
export const schemaAnchor = (name: string) => name.toLowerCase();

export const schemaLink = (name: string, locale: Locale) =>
  `[${name}](${prefix(locale)}/reference/http/schemas#${schemaAnchor(name)})`;

/** A schema's type in TypeScript-like words, named schemas linked. */
export function typeText(node: SchemaNode, locale: Locale): string {
  if (node.$ref) return schemaLink(refName(node.$ref), locale);
  if (node.allOf) return node.allOf.map((n) => typeText(n, locale)).join(' & ');
  const union = node.oneOf ?? node.anyOf;
  if (union) return union.map((n) => typeText(n, locale)).join(' \\| ');
  if (node.const !== undefined) return code(JSON.stringify(node.const));
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  if (types.length === 0) return node.enum ? code('string') : code('any');
  return types
    .map((type) => {
      if (type === 'array' && node.items) {
        const item = typeText(node.items, locale);
        return item.includes('|') ? `(${item})[]` : `${item}[]`;
      }
      if (type === 'object' && !node.properties && typeof node.additionalProperties === 'object') {
        return `Record&lt;string, ${typeText(node.additionalProperties, locale)}&gt;`;
      }
      return code(type);
    })
    .join(' \\| ');
}

interface Row {
  name: string;
  node: SchemaNode;
  required: boolean;
}

/** Properties, inline nested objects (and arrays of them) flattened to dotted names. */
function rowsOf(node: SchemaNode, path = ''): Row[] {
  const required = new Set(node.required ?? []);
  return Object.entries(node.properties ?? {}).flatMap(([name, child]) => {
    const full = path ? `${path}.${name}` : name;
    const row = { name: full, node: child, required: required.has(name) };
    if (child.properties) return [row, ...rowsOf(child, full)];
    if (child.items?.properties) return [row, ...rowsOf(child.items, `${full}[]`)];
    return [row];
  });
}

/** The description of a property: its own, else that of the schema it refers to. */
function descriptionOf(spec: Spec, node: SchemaNode): string {
  if (node.description) return node.description;
  return node.$ref ? (resolve(spec, node).description ?? '') : '';
}

/** One line of constraints and the default, for a description cell. */
export function constraintText(node: SchemaNode, locale: Locale): string {
  const parts = constraintsOf(node, locale);
  if (node.default !== undefined) {
    const value = code(JSON.stringify(node.default));
    parts.push(t(locale, `默认 ${value}`, `default ${value}`));
  }
  return parts.join(t(locale, '；', '; '));
}

/** A table of an object schema's properties, or `undefined` when it has none. */
export function propertyTable(spec: Spec, node: SchemaNode, locale: Locale): string | undefined {
  const rows = rowsOf(node);
  if (rows.length === 0) return undefined;
  return table(
    t(locale, '字段|类型|必填|说明', 'Field|Type|Required|Description').split('|'),
    rows.map(({ name, node: child, required }) => {
      const description = cell(descriptionOf(spec, child));
      const constraints = constraintText(child, locale);
      return [
        code(name),
        typeText(child, locale),
        required ? t(locale, '是', 'yes') : '',
        [description, constraints].filter(Boolean).join('<br>') || '—',
      ];
    }),
  );
}
