/**
 * Where generated files live, and the two things done with them: write them (removing files
 * no generator produces any more) or compare them with what is on disk.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { byCodePoint } from './markdown';

/** A generator's output: file contents by path relative to `docs/`. */
export type Files = Map<string, string>;

export const DOCS = fileURLToPath(new URL('../../', import.meta.url));

/** Folders that hold generated files only. */
const GENERATED_DIRS = [
  'catalog',
  'en/catalog',
  'reference',
  'en/reference',
  '.vitepress/generated',
];

/** Generated files that live among hand-written pages. */
const GENERATED_FILES = ['operator/configuration.md', 'en/operator/configuration.md'];

const isGenerated = (path: string) =>
  GENERATED_FILES.includes(path) || GENERATED_DIRS.some((dir) => path.startsWith(`${dir}/`));

function filesUnder(dir: string): string[] {
  const root = join(DOCS, dir);
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(DOCS, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

/** Generated files on disk now. */
function onDisk(): string[] {
  return [
    ...GENERATED_DIRS.flatMap(filesUnder),
    ...GENERATED_FILES.filter((path) => existsSync(join(DOCS, path))),
  ].sort(byCodePoint);
}

/** Merges generators' outputs, refusing a path two produce or one outside the generated places. */
export function merge(outputs: Files[]): Files {
  const all: Files = new Map();
  for (const files of outputs) {
    for (const [path, content] of files) {
      if (!isGenerated(path)) throw new Error(`${path} is not in a generated folder (files.ts)`);
      if (all.has(path)) throw new Error(`${path} is produced twice`);
      all.set(path, content);
    }
  }
  return new Map([...all].sort(([a], [b]) => byCodePoint(a, b)));
}

export interface Difference {
  stale: string[];
  missing: string[];
  extra: string[];
}

export function compare(files: Files): Difference {
  const present = onDisk();
  const stale: string[] = [];
  const missing: string[] = [];
  for (const [path, content] of files) {
    if (!present.includes(path)) missing.push(path);
    else if (readFileSync(join(DOCS, path), 'utf8') !== content) stale.push(path);
  }
  const extra = present.filter((path) => !files.has(path));
  return { stale, missing, extra };
}

/** Writes what changed and removes what is no longer produced; returns the difference. */
export function write(files: Files): Difference {
  const difference = compare(files);
  for (const path of [...difference.missing, ...difference.stale]) {
    mkdirSync(dirname(join(DOCS, path)), { recursive: true });
    writeFileSync(join(DOCS, path), files.get(path)!);
  }
  for (const path of difference.extra) rmSync(join(DOCS, path));
  for (const dir of GENERATED_DIRS) removeEmptyDirs(join(DOCS, dir));
  return difference;
}

function removeEmptyDirs(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeEmptyDirs(join(dir, entry.name));
  }
  if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
}
