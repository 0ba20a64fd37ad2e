/**
 * English API references of the TypeScript packages, by typedoc with typedoc-plugin-markdown:
 * `/en/reference/sdk/`, `/en/reference/mock/` (and `mock/node/`), `/en/reference/catalog/`.
 * Each package is converted on its own from its entry file, into a temporary folder that is
 * then read back; sources links are off so nothing depends on the machine or the commit.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Application, OptionDefaults, type TypeDocOptions } from 'typedoc';
import type { PluginOptions } from 'typedoc-plugin-markdown';
import { DOCS } from './files';
import { page } from './markdown';

const ROOT = join(DOCS, '..');

interface Reference {
  /** Folder under `en/reference/`. */
  dir: string;
  /** The import specifier, shown as the title. */
  name: string;
  entry: string;
  /** Extra Markdown appended to the reference's index page. */
  index?: string;
  /**
   * Pages of the contract's generated types, re-exported from @zhengwu/openapi: typedoc
   * would spell out every path and schema (megabytes); the HTTP reference documents them.
   */
  contractTypes?: string[];
}

/**
 * A contract type's page: its title and a pointer to the HTTP reference. (typedoc would take
 * the generated file's header comment for its description.)
 */
function summarizeContractType(text: string): string {
  const title = text.match(/^# .*$/m)?.[0];
  if (!title) throw new Error('a typedoc page without a title');
  return [
    title,
    'Re-exported from `@zhengwu/openapi`: one of the types `openapi-typescript` generates from the contract. Every path, operation and schema is documented in the [HTTP API reference](/en/reference/http/).',
  ].join('\n\n');
}

export const REFERENCES: Reference[] = [
  {
    dir: 'sdk',
    name: '@zhengwu/sdk',
    entry: 'packages/sdk/src/index.ts',
    contractTypes: [
      'interfaces/components.md',
      'interfaces/paths.md',
      'type-aliases/operations.md',
    ],
  },
  {
    dir: 'mock',
    name: '@zhengwu/mock',
    entry: 'packages/mock/src/index.ts',
    index:
      '## Node entry\n\nThe HTTP server and the `zw-mock` CLI are in `@zhengwu/mock/node`: see [@zhengwu/mock/node](node/index.md).',
  },
  { dir: 'mock/node', name: '@zhengwu/mock/node', entry: 'packages/mock/src/node/index.ts' },
  { dir: 'catalog', name: '@zhengwu/catalog', entry: 'packages/catalog/src/index.ts' },
];

/**
 * A tsconfig that holds the entry file only (the packages' own include their tests), with the
 * repository's compiler options and its `@types`.
 */
function tsconfigFor(reference: Reference, dir: string): string {
  // One file per reference: typedoc caches a tsconfig by its path.
  const path = join(dir, `tsconfig.${reference.dir.replace(/\//g, '-')}.json`);
  const config = {
    extends: join(ROOT, 'tsconfig.base.json'),
    compilerOptions: { typeRoots: [join(ROOT, 'node_modules/@types')], types: ['node'] },
    files: [join(ROOT, reference.entry)],
  };
  writeFileSync(path, JSON.stringify(config));
  return path;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

async function convert(reference: Reference, work: string): Promise<Map<string, string>> {
  const out = join(work, reference.dir);
  const options: TypeDocOptions & PluginOptions = {
    name: reference.name,
    entryPoints: [join(ROOT, reference.entry)],
    tsconfig: tsconfigFor(reference, work),
    plugin: [createRequire(import.meta.url).resolve('typedoc-plugin-markdown')],
    out,
    readme: 'none',
    disableSources: true,
    excludePrivate: true,
    excludeInternal: true,
    skipErrorChecking: true,
    // The contract's generated types document fields with `@description`.
    blockTags: [...OptionDefaults.blockTags, '@description'],
    logLevel: 'Warn',
    entryFileName: 'index',
    fileExtension: '.md',
    hidePageHeader: true,
    hideBreadcrumbs: true,
    useCodeBlocks: true,
    sanitizeComments: true,
  };
  const app = await Application.bootstrapWithPlugins(options);
  const project = await app.convert();
  if (!project) throw new Error(`typedoc could not convert ${reference.name}`);
  await app.generateOutputs(project);
  const written = filesUnder(out);
  for (const file of reference.contractTypes ?? []) {
    if (!written.includes(file)) throw new Error(`typedoc wrote no ${file} for ${reference.name}`);
  }
  const files = new Map<string, string>();
  for (const file of written) {
    let text = readFileSync(join(out, file), 'utf8');
    if (file === 'index.md' && reference.index) text = `${text.trimEnd()}\n\n${reference.index}\n`;
    if (reference.contractTypes?.includes(file)) text = summarizeContractType(text);
    files.set(`en/reference/${reference.dir}/${file}`, page(text));
  }
  return files;
}

export async function typedocPages(): Promise<Map<string, string>> {
  const work = mkdtempSync(join(tmpdir(), 'zhengwu-typedoc-'));
  try {
    const files = new Map<string, string>();
    for (const reference of REFERENCES) {
      for (const [path, text] of await convert(reference, work)) files.set(path, text);
    }
    return files;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
