import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What never leaves the monorepo: installed packages, test and coverage output, local
 * state and lockfiles (the app resolves its own dependencies on first install).
 */
const SKIPPED = new Set([
  'node_modules',
  'coverage',
  'test-results',
  '.tap',
  '.zhengwu',
  '.DS_Store',
  'pnpm-lock.yaml',
  'package-lock.json',
  'yarn.lock',
  '.zhengwu-template.json',
]);

/** npm drops `.gitignore` and `.npmrc` from published packages, so templates carry them renamed. */
const RENAMED = new Map([
  ['_gitignore', '.gitignore'],
  ['_npmrc', '.npmrc'],
]);

/** @param {string} name */
const skipped = (name) => SKIPPED.has(name) || name.endsWith('.log');

/**
 * Copies a template folder; returns the created files relative to `to` (for the summary).
 * @param {string} from
 * @param {string} to
 * @param {string} [prefix]
 * @returns {string[]}
 */
export function copyTemplate(from, to, prefix = '') {
  /** @type {string[]} */
  const written = [];
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (skipped(entry.name)) continue;
    const target = (prefix === '' && RENAMED.get(entry.name)) || entry.name;
    if (entry.isDirectory()) {
      written.push(
        ...copyTemplate(join(from, entry.name), join(to, target), `${prefix}${target}/`),
      );
    } else if (entry.isFile()) {
      copyFileSync(join(from, entry.name), join(to, target));
      written.push(`${prefix}${target}`);
    }
  }
  return written;
}
