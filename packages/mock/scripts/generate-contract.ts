/**
 * Writes `src/generated/contract.ts`: the parts of `packages/openapi/openapi.yaml` the mock
 * validates with (schemas, and per operation its parameters, request body and responses),
 * as a plain module so the handlers never read a file at run time (they also run in
 * browsers).
 *
 *   tsx scripts/generate-contract.ts           write the file
 *   tsx scripts/generate-contract.ts --check   exit 1 when the file on disk is stale
 *
 * Prose (`description`, `summary`, `examples`) and vendor extensions are left out to keep
 * bundles small; `$ref`s to parameters, responses and headers are inlined, `$ref`s to
 * schemas are kept. ajv doesn't support `discriminator.mapping`, so only `propertyName` is
 * kept (the mapping is implied by the `kind` enums of the `oneOf` branches).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';

export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const specPath = resolve(packageDir, '../openapi/openapi.yaml');
export const outputPath = resolve(packageDir, 'src/generated/contract.ts');

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const PROSE = new Set(['description', 'summary', 'examples', 'example']);
/** Keywords whose value is a map from names to schemas (their keys are data, not keywords). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);

/** A copy of a schema without prose, vendor extensions and `discriminator.mapping`. */
function slim(value: unknown, isSchemaMap = false): unknown {
  if (Array.isArray(value)) return value.map((v) => slim(v));
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [key, child] of Object.entries(value as Json)) {
    if (!isSchemaMap && (PROSE.has(key) || key.startsWith('x-'))) continue;
    if (!isSchemaMap && key === 'discriminator') {
      out[key] = { propertyName: (child as Json).propertyName };
      continue;
    }
    out[key] = slim(child, !isSchemaMap && SCHEMA_MAPS.has(key));
  }
  return out;
}

function deref(document: Json, node: Json): Json {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  const target = ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>(
      (at, part) => (at as Json)?.[part.replaceAll('~1', '/').replaceAll('~0', '~')],
      document,
    );
  if (!target) throw new Error(`unresolved $ref ${ref}`);
  return deref(document, target as Json);
}

/** One object schema per parameter location; `null` when the operation has none there. */
function parameterSchemas(document: Json, params: Json[]) {
  const byLocation: Record<string, Json | null> = { path: null, query: null, header: null };
  for (const raw of params) {
    const p = deref(document, raw);
    const where = p.in as string;
    if (!(where in byLocation)) continue;
    // Header names are case-insensitive: they are matched in lower case.
    const name = where === 'header' ? (p.name as string).toLowerCase() : (p.name as string);
    const schema = byLocation[where] ?? {
      type: 'object',
      properties: {},
      required: [],
      // Unknown query parameters are refused (400); other headers are none of our business.
      additionalProperties: where === 'header',
    };
    byLocation[where] = schema;
    (schema.properties as Json)[name] = slim(p.schema);
    if (p.required === true) (schema.required as string[]).push(name);
  }
  return byLocation;
}

function responseOf(document: Json, raw: Json): Json {
  const response = deref(document, raw);
  const headers: Json = {};
  for (const [name, h] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
    const header = deref(document, h);
    headers[name.toLowerCase()] = {
      required: header.required === true,
      schema: slim(header.schema),
    };
  }
  return { ...mediaOf(response.content as Json | undefined), headers };
}

function mediaOf(content: Json | undefined) {
  const [mediaType, media] = Object.entries(content ?? {})[0] ?? [];
  if (!mediaType) return { mediaType: null, schema: null };
  return { mediaType, schema: slim((media as Json).schema ?? null) };
}

/** The generated module's data. */
export async function buildContract(path: string = specPath): Promise<Json> {
  const document = parse(await readFile(path, 'utf8')) as Json;
  const operations: Json = {};
  for (const [, item] of Object.entries(document.paths as Record<string, Json>)) {
    const shared = (item.parameters ?? []) as Json[];
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const body = op.requestBody ? deref(document, op.requestBody as Json) : undefined;
      const responses: Json = {};
      for (const [status, raw] of Object.entries(op.responses as Record<string, Json>)) {
        // Shared responses (errors) stay named: `'400': 'BadRequest'`.
        responses[status] =
          typeof raw.$ref === 'string' ? raw.$ref.split('/').pop() : responseOf(document, raw);
      }
      operations[op.operationId as string] = {
        anonymous: Array.isArray(op.security) && op.security.length === 0,
        parameters: parameterSchemas(document, [...shared, ...((op.parameters ?? []) as Json[])]),
        requestBody: body
          ? { required: body.required === true, ...mediaOf(body.content as Json) }
          : null,
        responses,
      };
    }
  }
  const components = document.components as Json;
  return {
    $id: 'https://zhengwu.gov.cn/contract/v1',
    version: (document.info as Json).version,
    components: {
      schemas: slim(components.schemas, true),
      responses: Object.fromEntries(
        Object.entries(components.responses as Record<string, Json>).map(([name, r]) => [
          name,
          responseOf(document, r),
        ]),
      ),
    },
    operations,
  };
}

export async function renderContract(path?: string): Promise<string> {
  const data = await buildContract(path);
  return `/**
 * generated — do not edit; run \`pnpm --filter @zhengwu/mock run generate\`
 *
 * Source: packages/openapi/openapi.yaml (schemas, parameters, bodies and responses; prose left out).
 */
import type { ContractDocument } from '../contract-types';

export const contract: ContractDocument = ${JSON.stringify(data, null, 2)};
`;
}

async function main(argv: string[]): Promise<number> {
  const expected = await renderContract();
  if (argv.includes('--check')) {
    const actual = await readFile(outputPath, 'utf8').catch(() => '');
    if (actual !== expected) {
      console.error(
        'packages/mock/src/generated/contract.ts is stale: run `pnpm --filter @zhengwu/mock run generate`.',
      );
      return 1;
    }
    console.log('src/generated/contract.ts is up to date');
    return 0;
  }
  await writeFile(outputPath, expected);
  console.log('wrote src/generated/contract.ts');
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
