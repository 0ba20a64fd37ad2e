/** Test helpers: fixtures, and positions computed from the text (never typed in by hand). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ManifestError, type ManifestIssue } from '../src/index';

export const FIXTURES = ['minimal.yaml', 'approval.yaml', 'back-office.yaml'] as const;

export const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

/**
 * 1-based line and column of the `nth` occurrence of `needle` in `text`; `offset` moves
 * the column within the needle (e.g. to the value after `port: `).
 */
export function positionOf(text: string, needle: string, offset = 0, nth = 1) {
  let at = -1;
  for (let i = 0; i < nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" not found ${nth} times`);
  }
  const before = text.slice(0, at + offset);
  const line = before.split('\n').length;
  return { line, column: at + offset - before.lastIndexOf('\n') };
}

/** The issues `fn` throws as a ManifestError (fails the test if it throws anything else). */
export function thrownIssues(fn: () => unknown): readonly ManifestIssue[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    return (error as ManifestError).issues;
  }
  throw new Error('expected a ManifestError, nothing was thrown');
}
