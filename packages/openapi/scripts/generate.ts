/**
 * Generates the TypeScript side of the contract from `openapi.yaml`.
 *
 *   tsx scripts/generate.ts               write src/generated/schema.ts and src/generated/operations.ts
 *   tsx scripts/generate.ts --check       regenerate in memory; exit 1 if a file on disk is stale
 *   tsx scripts/generate.ts --json <file> write the document as JSON (used by the build)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import ts from 'typescript';
import { parse } from 'yaml';

export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const specPath = resolve(packageDir, 'openapi.yaml');
export const schemaFile = 'src/generated/schema.ts';
export const operationsFile = 'src/generated/operations.ts';

const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace'] as const;
const MUTATING_METHODS = new Set(['post', 'put', 'patch', 'delete']);

const HEADER = `/**
 * generated — do not edit; run pnpm generate
 *
 * Source: packages/openapi/openapi.yaml (Zhengwu platform API).
 */
`;

/** Parses `openapi.yaml` into a plain object (no `$ref` is resolved). */
export async function loadDocument(path: string = specPath): Promise<OpenAPI3> {
  return parse(await readFile(path, 'utf8')) as OpenAPI3;
}

/** `paths`, `components` and `operations` types, via openapi-typescript's Node API. */
export async function renderSchema(document: OpenAPI3): Promise<string> {
  const ast = await openapiTS(structuredClone(document), {
    exportType: false,
    rootTypes: false,
    // A `default` makes a field optional to send, so don't mark it required (the
    // openapi-typescript default would, which is wrong for request bodies).
    defaultNonNullable: false,
    silent: true,
    // Binary bodies (the source archive upload) are Blobs, not strings.
    transform(schema) {
      if ('format' in schema && schema.format === 'binary') {
        return ts.factory.createTypeReferenceNode('Blob');
      }
      return undefined;
    },
  });
  return `${HEADER}\n${markOptionalHeaders(astToString(ast), document)}`;
}

/**
 * openapi-typescript types every response header given by `$ref` as present. Mark those
 * whose component says `required: false` (such as `Idempotency-Replayed`) as optional.
 */
function markOptionalHeaders(source: string, document: OpenAPI3): string {
  let out = source;
  for (const [name, header] of Object.entries(document.components?.headers ?? {})) {
    if ('$ref' in header || header.required === true) continue;
    const key = JSON.stringify(name);
    out = out.replaceAll(
      `${key}: components["headers"][${key}];`,
      `${key}?: components["headers"][${key}];`,
    );
  }
  return out;
}

export interface OperationEntry {
  operationId: string;
  method: Uppercase<(typeof HTTP_METHODS)[number]>;
  path: string;
  tags: string[];
  mutating: boolean;
  paginated: boolean;
  async: boolean;
}

type Json = Record<string, unknown>;

/** Every operation of the document, in document order. */
export function listOperations(document: OpenAPI3): OperationEntry[] {
  const entries: OperationEntry[] = [];
  const parameters = (document.components?.parameters ?? {}) as unknown as Record<string, Json>;
  const resolve = (p: Json): Json =>
    typeof p.$ref === 'string' ? (parameters[p.$ref.split('/').pop() ?? ''] ?? {}) : p;

  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, Json>)) {
    const shared = (item.parameters ?? []) as Json[];
    for (const method of HTTP_METHODS) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      if (typeof operation.operationId !== 'string') {
        throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      }
      const params = [...shared, ...((operation.parameters ?? []) as Json[])].map(resolve);
      entries.push({
        operationId: operation.operationId,
        method: method.toUpperCase() as OperationEntry['method'],
        path,
        tags: (operation.tags ?? []) as string[],
        mutating: MUTATING_METHODS.has(method),
        paginated: params.some((p) => p.in === 'query' && p.name === 'cursor'),
        async: operation['x-zhengwu-async'] === true,
      });
    }
  }
  return entries;
}

/** The runtime table of operations plus the `OperationId` type. */
export function renderOperations(document: OpenAPI3): string {
  const q = (s: string) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  const rows = listOperations(document).map((op) =>
    [
      `  ${op.operationId}: {`,
      `    operationId: ${q(op.operationId)},`,
      `    method: ${q(op.method)},`,
      `    path: ${q(op.path)},`,
      `    tags: [${op.tags.map(q).join(', ')}],`,
      `    mutating: ${op.mutating},`,
      `    paginated: ${op.paginated},`,
      `    async: ${op.async},`,
      '  },',
    ].join('\n'),
  );
  return `${HEADER}
/**
 * Every operation of the platform API, keyed by operationId, in document order.
 *
 * - \`method\`: the upper-case HTTP method.
 * - \`mutating\`: POST, PUT, PATCH or DELETE; accepts \`Idempotency-Key\`.
 * - \`paginated\`: takes \`limit\` and \`cursor\` and answers \`{ data, nextCursor }\`.
 * - \`async\`: answers 202 and tracks its work with an Operation (\`x-zhengwu-async\`).
 */
export const operations = {
${rows.join('\n')}
} as const;

/** The operationId of a platform API operation, e.g. \`'createInstance'\`. */
export type OperationId = keyof typeof operations;

/** One row of the {@link operations} table. */
export type OperationInfo = (typeof operations)[OperationId];
`;
}

/** Generated files, keyed by path relative to the package. */
export async function generateFiles(document?: OpenAPI3): Promise<Record<string, string>> {
  const doc = document ?? (await loadDocument());
  return {
    [schemaFile]: await renderSchema(doc),
    [operationsFile]: renderOperations(doc),
  };
}

/** Paths (relative to the package) of generated files that differ from a fresh generation. */
export async function findStaleFiles(files?: Record<string, string>): Promise<string[]> {
  const expected = files ?? (await generateFiles());
  const stale: string[] = [];
  for (const [file, content] of Object.entries(expected)) {
    const actual = await readFile(resolve(packageDir, file), 'utf8').catch(() => undefined);
    if (actual !== content) stale.push(file);
  }
  return stale;
}

async function writeFiles(files: Record<string, string>): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    const target = resolve(packageDir, file);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

async function main(argv: string[]): Promise<number> {
  const jsonAt = argv.indexOf('--json');
  if (jsonAt !== -1) {
    const out = argv[jsonAt + 1];
    if (!out || out.startsWith('--')) {
      console.error('usage: generate.ts --json <file>');
      return 2;
    }
    const target = resolve(process.cwd(), out);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, `${JSON.stringify(await loadDocument(), null, 2)}\n`);
    console.log(`wrote ${relative(process.cwd(), target)}`);
    return 0;
  }

  const files = await generateFiles();
  if (argv.includes('--check')) {
    const stale = await findStaleFiles(files);
    for (const file of stale) {
      console.error(
        `packages/openapi/${file} is stale: it doesn't match openapi.yaml. Run \`pnpm generate\` and commit the result.`,
      );
    }
    if (stale.length === 0) console.log('generated files are up to date');
    return stale.length === 0 ? 0 : 1;
  }

  await writeFiles(files);
  for (const file of Object.keys(files)) console.log(`wrote ${file}`);
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
