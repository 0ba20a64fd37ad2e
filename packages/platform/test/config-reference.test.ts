/**
 * The configuration reference (`src/config-reference.ts`, which the docs site's page is
 * generated from) names exactly the `ZW_*` variables the platform's code reads, and its
 * documented defaults are the ones `loadConfig` applies.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { CONFIG_GROUPS, CONFIG_REFERENCE } from '../src/config-reference';

const SRC = join(import.meta.dirname, '..', 'src');
const NAME = /^ZW_[A-Z0-9_]+$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Variables a file reads: `env.ZW_X`, `env['ZW_X']`, or the name as a whole string literal
 * (`int(env, 'ZW_PORT', …)`). Comments and messages that merely mention a name do not count.
 */
function variablesRead(path: string): string[] {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && NAME.test(node.name.text)) {
      found.push(node.name.text);
    } else if (ts.isStringLiteralLike(node) && NAME.test(node.text)) {
      found.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Each variable read by the platform's code, with the files that read it. */
function readsBySource(): Map<string, string[]> {
  const reads = new Map<string, string[]>();
  for (const path of sourceFiles(SRC)) {
    if (path.endsWith('config-reference.ts')) continue;
    for (const name of variablesRead(path)) {
      const files = reads.get(name) ?? [];
      reads.set(name, [...new Set([...files, relative(SRC, path)])]);
    }
  }
  return reads;
}

describe('configuration reference', () => {
  const reads = readsBySource();
  const listed = CONFIG_REFERENCE.map((v) => v.name);

  it('finds the variables the platform reads (the scan itself works)', () => {
    expect(reads.get('ZW_PORT')).toEqual(['config.ts']);
    expect(reads.size).toBeGreaterThan(30);
  });

  it('lists every variable the code reads', () => {
    const missing = [...reads.keys()].filter((name) => !listed.includes(name as never));
    expect(missing, 'add these to src/config-reference.ts').toEqual([]);
  });

  it('lists no variable the code never reads', () => {
    const unread = listed.filter((name) => !reads.has(name));
    expect(unread, 'remove these from src/config-reference.ts').toEqual([]);
  });

  it('lists each variable once, in a known group, described in both languages', () => {
    expect(new Set(listed).size).toBe(listed.length);
    const groups: string[] = CONFIG_GROUPS.map((g) => g.id);
    for (const variable of CONFIG_REFERENCE) {
      expect(groups, variable.name).toContain(variable.group);
      expect(variable.zh.length, variable.name).toBeGreaterThan(0);
      expect(variable.en.length, variable.name).toBeGreaterThan(0);
      // A default is either a value one can write or a sentence, never neither or both.
      expect(
        (variable.default === undefined) !== (variable.unset === undefined),
        variable.name,
      ).toBe(true);
    }
  });

  it('documents the defaults loadConfig applies', () => {
    const defaults = loadConfig({});
    for (const variable of CONFIG_REFERENCE) {
      if (variable.default === undefined) continue;
      expect(loadConfig({ [variable.name]: variable.default }), variable.name).toEqual(defaults);
    }
  });

  it('catches a wrong default', () => {
    expect(loadConfig({ ZW_PORT: '7071' })).not.toEqual(loadConfig({}));
  });
});
