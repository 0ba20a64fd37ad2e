/** Schema validation of a manifest value (already parsed from YAML or received as JSON). */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { createAjv } from './ajv';
import type { RawIssue } from './document';
import { type ManifestDocument, placeIssues } from './document';
import type { ManifestIssue } from './issues';
import { messageOf } from './messages';
import { toPointer } from './pointer';
import { MANIFEST_SCHEMA } from './schema/manifest';
import type { Manifest } from './types';

let compiled: ValidateFunction | undefined;

/** Compiled on first use only: importing the package costs nothing until a manifest is checked. */
function validator(): ValidateFunction {
  compiled ??= createAjv({ strict: true, strictRequired: false, allowUnionTypes: true }).compile(
    MANIFEST_SCHEMA,
  );
  return compiled;
}

const ENV_TYPE_MESSAGE =
  '必须是字符串（数字和 true/false 请加引号）或 { generate: secret } · must be a string (quote numbers and true/false) or { generate: secret }';

function toIssue(error: ErrorObject): RawIssue | undefined {
  const p = error.params as Record<string, unknown>;
  // An invalid key: ajv reports the failed keyword with `propertyName`, then `propertyNames`.
  if (error.propertyName !== undefined) {
    return {
      path: `${error.instancePath}${toPointer([error.propertyName])}`,
      code: 'propertyNames',
      message: `名称无效，${messageOf(error)}`.replace(' · must', ' · invalid name: must'),
      at: 'key',
    };
  }
  switch (error.keyword) {
    case 'propertyNames':
    case 'if':
      return undefined; // already said by the errors they wrap
    case 'required':
      return {
        path: `${error.instancePath}${toPointer([String(p.missingProperty)])}`,
        code: 'required',
        message: messageOf(error),
      };
    case 'additionalProperties':
      return {
        path: `${error.instancePath}${toPointer([String(p.additionalProperty)])}`,
        code: 'additionalProperties',
        message: messageOf(error),
        at: 'key',
      };
    case 'type':
      return {
        path: error.instancePath,
        code: 'type',
        message: /^\/env\/[^/]+$/.test(error.instancePath) ? ENV_TYPE_MESSAGE : messageOf(error),
      };
    default:
      return { path: error.instancePath, code: error.keyword, message: messageOf(error) };
  }
}

/** The issues of ajv's errors, without duplicates. */
export function issuesOf(errors: readonly ErrorObject[] | null | undefined): RawIssue[] {
  const seen = new Set<string>();
  const issues: RawIssue[] = [];
  for (const error of errors ?? []) {
    const issue = toIssue(error);
    if (!issue) continue;
    const id = `${issue.path}\u0000${issue.code}\u0000${issue.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    issues.push(issue);
  }
  return issues;
}

/** The outcome of `validateManifest`. */
export type ManifestValidation =
  | { ok: true; manifest: Manifest; issues: [] }
  | { ok: false; manifest?: undefined; issues: ManifestIssue[] };

/**
 * Checks a value against the manifest schema (no catalog, no semantic checks: see
 * `checkManifest`). For a manifest received as JSON, e.g. `ReleaseCreate.manifest`; pass the
 * `document` from `parseManifest` to get line numbers. The value is not changed (no defaults).
 */
export function validateManifest(value: unknown, document?: ManifestDocument): ManifestValidation {
  const validate = validator();
  if (validate(value)) return { ok: true, manifest: value as Manifest, issues: [] };
  return { ok: false, issues: placeIssues(issuesOf(validate.errors), document) };
}
