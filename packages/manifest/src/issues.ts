/** The one shape every problem with a manifest is reported in, and the error that carries a list of them. */

/**
 * One problem with a manifest. Maps 1:1 onto the contract's `ProblemFieldError`
 * (`path`, `message`, `code`); the platform prefixes `path` with `/body/manifest`.
 */
export interface ManifestIssue {
  /** JSON Pointer (RFC 6901) into the manifest, e.g. `/processes/web/port`; `''` is the whole file. */
  path: string;
  /**
   * Stable code: the JSON Schema keyword that failed (`type`, `required`, `pattern`,
   * `additionalProperties`, …), `yaml_syntax` / `duplicate_key` for YAML, or a rule name
   * (`unknown_service`, `plan_not_found`, `invalid_cron`, …). See the README for the list.
   */
  code: string;
  /** Bilingual text, Chinese first: `必须是整数 · must be an integer`. */
  message: string;
  /** 1-based line in the file, when the issue was found with the parsed document. */
  line?: number;
  /** 1-based column in the file, with `line`. */
  column?: number;
}

/** `zhengwu.yaml:12:7 /processes/web/port 必须是整数 · must be an integer` */
export function formatIssue(issue: ManifestIssue, fileName = 'zhengwu.yaml'): string {
  const where =
    issue.line === undefined
      ? fileName
      : `${fileName}:${issue.line}${issue.column === undefined ? '' : `:${issue.column}`}`;
  return `${where} ${issue.path || '/'} ${issue.message}`;
}

/** Sorts issues by position, then path, so the list reads top to bottom like the file. */
export function sortIssues(issues: readonly ManifestIssue[]): ManifestIssue[] {
  return [...issues].sort(
    (a, b) =>
      (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
}

/**
 * A manifest that cannot be used. `.message` lists every issue, one per line, as
 * `file:line:column /path message`; `.issues` holds them as data.
 */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
  readonly issues: readonly ManifestIssue[];
  readonly fileName: string;

  constructor(issues: readonly ManifestIssue[], fileName = 'zhengwu.yaml') {
    const sorted = sortIssues(issues);
    super(sorted.map((issue) => formatIssue(issue, fileName)).join('\n'));
    this.issues = sorted;
    this.fileName = fileName;
  }
}
