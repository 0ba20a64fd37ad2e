import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type OperationId, type OperationInfo, operations } from '@zhengwu/openapi';
import { parse } from 'yaml';

type Json = Record<string, unknown>;

/** The contract document (`openapi.yaml` of `@zhengwu/openapi`), parsed once. */
export function loadDocument(): Json {
  const file = createRequire(import.meta.url).resolve('@zhengwu/openapi/openapi.yaml');
  return parse(readFileSync(file, 'utf8')) as Json;
}

/** The id under which the document's `components` are registered with Ajv. */
export const CONTRACT_ID = 'contract';

/** Rewrites local refs (`#/components/…`) to the registered document. */
export function rebase<T>(schema: T): T {
  return JSON.parse(
    JSON.stringify(schema).replaceAll('"#/components/', `"${CONTRACT_ID}#/components/`),
  ) as T;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Json;
}

/** The Fastify route schema parts of one operation, with refs pointing into the contract. */
export interface RouteSchemas {
  params?: Json;
  querystring?: Json;
  headers?: Json;
  body?: Json;
  /** Media types the operation accepts, when it has a body. */
  consumes?: string[];
  /** Response schema by status, for response validation. */
  responses: Record<string, { contentType: string | undefined; schema: Json | undefined }>;
}

/** Follows a `$ref` inside the document. */
function deref(document: Json, node: Json): Json {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  let target: unknown = document;
  for (const part of ref.replace(/^#\//, '').split('/')) target = (target as Json)[part];
  return deref(document, target as Json);
}

function objectOf(params: Parameter[], closed: boolean): Json | undefined {
  if (params.length === 0)
    return closed ? { type: 'object', additionalProperties: false } : undefined;
  return {
    type: 'object',
    properties: Object.fromEntries(
      params.map((p) => [p.in === 'header' ? p.name.toLowerCase() : p.name, p.schema]),
    ),
    required: params
      .filter((p) => p.required)
      .map((p) => (p.in === 'header' ? p.name.toLowerCase() : p.name)),
    additionalProperties: !closed,
  };
}

/** Builds the validation schemas of an operation from the contract. */
export function routeSchemas(document: Json, op: OperationInfo): RouteSchemas {
  const item = (document.paths as Json)[op.path] as Json;
  const operation = item[op.method.toLowerCase()] as Json;
  const params = [
    ...((item.parameters as Json[]) ?? []),
    ...((operation.parameters as Json[]) ?? []),
  ].map((p) => rebase(deref(document, p)) as unknown as Parameter);
  const by = (where: Parameter['in']) => params.filter((p) => p.in === where);
  const schemas: RouteSchemas = {
    params: objectOf(by('path'), false),
    // Unknown query parameters are refused (400 bad_request), as the contract says.
    querystring: objectOf(by('query'), true),
    headers: objectOf(by('header'), false),
    responses: {},
  };
  const requestBody = operation.requestBody
    ? deref(document, operation.requestBody as Json)
    : undefined;
  if (requestBody) {
    const content = requestBody.content as Record<string, { schema: Json }>;
    schemas.consumes = Object.keys(content);
    const json = content['application/json'];
    if (json) schemas.body = rebase(json.schema);
  }
  for (const [status, response] of Object.entries((operation.responses as Json) ?? {})) {
    const content = deref(document, response as Json).content as
      | Record<string, { schema?: Json }>
      | undefined;
    const [contentType, media] = Object.entries(content ?? {})[0] ?? [];
    schemas.responses[status] = { contentType, schema: media?.schema && rebase(media.schema) };
  }
  return schemas;
}

/** Every operation of the contract, in document order. */
export const contractOperations = Object.values(operations) as OperationInfo[];
export type { OperationId };
