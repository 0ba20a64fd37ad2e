import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Makes the copy the vendor's app: its package name, its manifest name, and a record of
 * where it came from (for later template updates).
 */

/** @param {string} dir @param {string} name */
export function renamePackage(dir, name) {
  const file = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  pkg.name = name;
  pkg.version = '0.1.0';
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}

/**
 * Rewrites `metadata.name` in zhengwu.yaml by line, so comments and layout stay as the
 * template wrote them (CONVENTIONS.md §4: `  name: <template>` inside `metadata:`).
 * @param {string} dir
 * @param {string} name
 */
export function renameManifest(dir, name) {
  const file = join(dir, 'zhengwu.yaml');
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((line) => /^metadata:\s*(#.*)?$/.test(line));
  if (start === -1) throw new Error('zhengwu.yaml: no metadata block');
  for (let i = start + 1; i < lines.length && /^(\s|$)/.test(lines[i] ?? ''); i++) {
    const match = /^( {2}name:\s*)\S+(.*)$/.exec(lines[i] ?? '');
    if (match) {
      lines[i] = `${match[1]}${name}${match[2]}`;
      writeFileSync(file, lines.join('\n'));
      return;
    }
  }
  throw new Error('zhengwu.yaml: no metadata.name');
}

/**
 * @param {string} dir
 * @param {{ template: string, version: string, createdAt: string, tenant?: string }} record
 */
export function writeTemplateRecord(dir, record) {
  writeFileSync(join(dir, '.zhengwu-template.json'), `${JSON.stringify(record, null, 2)}\n`);
}
