/** `zhengwu.yaml` text → a schema-valid manifest, or a `ManifestError` that says where and why. */
import type { LineCounter, YAMLError } from 'yaml';
import { loadYaml, type ManifestDocument, manifestDocument } from './document';
import { ManifestError, type ManifestIssue } from './issues';
import type { Manifest } from './types';
import { validateManifest } from './validate';

/** What `parseManifest` returns: the manifest and the document to place later issues in. */
export interface ParsedManifest {
  manifest: Manifest;
  document: ManifestDocument;
}

function yamlIssue(error: YAMLError, lines: LineCounter): ManifestIssue {
  const at = lines.linePos(error.pos[0]);
  const duplicate = error.code === 'DUPLICATE_KEY';
  return {
    path: '',
    code: duplicate ? 'duplicate_key' : 'yaml_syntax',
    message: duplicate
      ? `键重复 · duplicate key (${error.message.split('\n')[0]})`
      : `YAML 语法错误 · YAML syntax error: ${error.message.split('\n')[0]}`,
    line: at.line,
    column: at.col,
  };
}

/**
 * Parses `zhengwu.yaml` text (YAML 1.2) and checks it against the schema.
 *
 * @param text - the file's content
 * @param fileName - shown in error messages; `zhengwu.yaml` by default
 * @returns the manifest (exactly as written, no defaults filled in) and its document, which
 *   `checkManifest` uses to give its issues line numbers
 * @throws {ManifestError} on YAML syntax errors (codes `yaml_syntax`, `duplicate_key`) or
 *   schema violations (the failed keyword as code), each issue with path, line and column
 */
export function parseManifest(text: string, fileName = 'zhengwu.yaml'): ParsedManifest {
  const loaded = loadYaml(text);
  if (loaded.doc.errors.length > 0) {
    throw new ManifestError(
      loaded.doc.errors.map((e) => yamlIssue(e, loaded.lines)),
      fileName,
    );
  }
  const document = manifestDocument(fileName, text, loaded);
  let value: unknown;
  try {
    // Bounded alias expansion: a few lines of YAML must not expand to gigabytes.
    value = loaded.doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ManifestError(
      [
        {
          path: '',
          code: 'yaml_syntax',
          message: `YAML 无法展开 · YAML cannot be expanded: ${message}`,
          line: 1,
          column: 1,
        },
      ],
      fileName,
    );
  }
  const result = validateManifest(value, document);
  if (!result.ok) throw new ManifestError(result.issues, fileName);
  return { manifest: result.manifest, document };
}
