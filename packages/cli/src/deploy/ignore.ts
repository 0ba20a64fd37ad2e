/**
 * Which files stay out of the source archive: always `node_modules`, `.git`, `.zhengwu` and
 * local `.env` files (secrets do not belong in a build), plus the patterns of the app's
 * `.gitignore` and `.zhengwuignore` (gitignore syntax: `#`, `!`, `/`-anchored, trailing `/`
 * for folders, `*`, `?`, `**`). Only the files at the app's root are read.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const ALWAYS_IGNORED = [
  'node_modules/',
  '.git/',
  '.zhengwu/',
  '.env',
  '.env.*',
  '!.env.example',
];

interface Rule {
  regex: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

function toRegex(pattern: string): RegExp {
  const anchored = pattern.includes('/');
  const body = pattern.replace(/^\//, '');
  let re = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '*' && body[i + 1] === '*') {
      // `**/` matches any number of folders; a trailing `**` matches everything inside.
      if (body[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${anchored ? '^' : '(?:^|/)'}${re}$`);
}

export function parseRules(lines: string[]): Rule[] {
  const rules: Rule[] = [];
  for (const raw of lines) {
    let line = raw.replace(/\s+$/, '');
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    if (line) rules.push({ regex: toRegex(line), negate, dirOnly });
  }
  return rules;
}

/** A predicate on paths relative to the app root (`/`-separated). Last matching rule wins. */
export type Ignore = (path: string, isDir: boolean) => boolean;

export function ignoreFrom(rules: Rule[]): Ignore {
  return (path, isDir) => {
    let ignored = false;
    for (const rule of rules) {
      if (rule.dirOnly && !isDir) continue;
      if (rule.regex.test(path)) ignored = !rule.negate;
    }
    return ignored;
  };
}

export async function loadIgnore(root: string): Promise<Ignore> {
  const lines = [...ALWAYS_IGNORED];
  for (const file of ['.gitignore', '.zhengwuignore']) {
    try {
      lines.push(...(await readFile(join(root, file), 'utf8')).split(/\r?\n/));
    } catch {}
  }
  // The always-ignored folders win over a `!node_modules` in the app's own files.
  lines.push('node_modules/', '.git/', '.zhengwu/');
  return ignoreFrom(parseRules(lines));
}
