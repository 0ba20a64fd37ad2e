/**
 * A parsed `zhengwu.yaml` that remembers where each value came from, so an issue found in
 * the data (a JSON Pointer) can be shown at its line and column in the file.
 */
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { ManifestIssue } from './issues';
import { fromPointer } from './pointer';

/** A position in the file, 1-based. */
export interface Position {
  line: number;
  column: number;
}

/** The YAML text of a manifest with its source positions. Made by `parseManifest`. */
export interface ManifestDocument {
  readonly fileName: string;
  readonly text: string;
  /**
   * Where the value at a JSON Pointer starts (`at: 'key'`: where its key starts). A path
   * that does not exist resolves to its deepest existing parent's key, which is where a
   * missing property belongs; the file's start for an empty file.
   */
  locate(path: string, at?: 'key' | 'value'): Position;
}

/** The YAML document and its line index, as `parseManifest` needs them. */
export interface LoadedYaml {
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Parses YAML text once, keeping positions. Never throws: errors stay in `doc.errors`. */
export function loadYaml(text: string): LoadedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  return { doc, lines };
}

interface Step {
  key?: Node | undefined;
  value: unknown;
}

function child(parent: unknown, segment: string): Step | undefined {
  if (isMap(parent)) {
    for (const pair of parent.items) {
      const key = pair.key;
      const name = isScalar(key) ? String(key.value) : key === null ? '' : undefined;
      if (name === segment) return { key: isScalar(key) ? key : undefined, value: pair.value };
    }
    return undefined;
  }
  if (isSeq(parent) && /^\d+$/.test(segment)) {
    const item = parent.items[Number(segment)];
    return item === undefined ? undefined : { value: item };
  }
  return undefined;
}

function startOf(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}

/** A `ManifestDocument` over a loaded YAML document. */
export function manifestDocument(
  fileName: string,
  text: string,
  { doc, lines }: LoadedYaml,
): ManifestDocument {
  const position = (offset: number | undefined): Position => {
    if (offset === undefined) return { line: 1, column: 1 };
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  return {
    fileName,
    text,
    locate(path, at = 'value') {
      let current: Step = { value: doc.contents };
      for (const segment of fromPointer(path)) {
        const next = child(current.value, segment);
        // Missing: the parent's key is where the property should have been.
        if (!next) return position(startOf(current.key) ?? startOf(current.value));
        current = next;
      }
      const offset =
        at === 'key'
          ? (startOf(current.key) ?? startOf(current.value))
          : (startOf(current.value) ?? startOf(current.key));
      return position(offset);
    },
  };
}

/** An issue as the checks make it: `at: 'key'` when it is about a key rather than its value. */
export type RawIssue = ManifestIssue & { at?: 'key' | 'value' };

/** The issues with `line` / `column` filled in from the document when there is one; `at` dropped. */
export function placeIssues(
  issues: readonly RawIssue[],
  document: ManifestDocument | undefined,
): ManifestIssue[] {
  return issues.map(({ at, ...issue }) => {
    if (!document || issue.line !== undefined) return issue;
    const found = document.locate(issue.path, at);
    return { ...issue, line: found.line, column: found.column };
  });
}
