import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: templates ship next to `src/` as `template-<name>/`. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @typedef {object} TemplateInfo
 * @property {string} name         e.g. `approval`
 * @property {string} dir          absolute path of `template-<name>/`
 * @property {string} description  bilingual, from the template's package.json
 */

/**
 * The templates this package carries, found on disk so a new `template-*` folder needs no
 * registration. `approval` first (the default), the rest by name.
 * @param {string} [root]
 * @returns {TemplateInfo[]}
 */
export function listTemplates(root = PACKAGE_ROOT) {
  /** @type {TemplateInfo[]} */
  const found = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith('template-')) continue;
    const dir = join(root, entry.name);
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest) || !existsSync(join(dir, 'zhengwu.yaml'))) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    found.push({
      name: entry.name.slice('template-'.length),
      dir,
      description: pkg.description ?? '',
    });
  }
  return found.sort((a, b) =>
    a.name === 'approval' ? -1 : b.name === 'approval' ? 1 : a.name.localeCompare(b.name),
  );
}

/** This package's version, recorded in every app it creates. */
export function ownVersion() {
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;
}
