/**
 * The one place the CLI reads `zhengwu.yaml`: parse it and check it against the live catalog
 * with `@zhengwu/manifest`, and turn its issues (path, line, message) into one refusal.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest, ManifestIssue } from '@zhengwu/manifest';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';

export type ManifestLike = Manifest;

export const MANIFEST_FILE = 'zhengwu.yaml';

export interface LoadedManifest {
  manifest: Manifest;
  /** Path of the file, for messages. */
  path: string;
}

async function readManifestText(root: string): Promise<{ text: string; path: string }> {
  const path = join(root, MANIFEST_FILE);
  try {
    return { text: await readFile(path, 'utf8'), path };
  } catch {
    throw new CliError(
      `找不到 ${MANIFEST_FILE} · No ${MANIFEST_FILE} in ${root}`,
      EXIT.usage,
      '在应用目录中运行，或用 npm create zhengwu 新建应用 · run it in the app folder, or start one with npm create zhengwu',
    );
  }
}

/**
 * Reads, parses and checks the manifest. `catalog` is the live catalog (the services list);
 * without it the catalog checks are skipped. Throws a `CliError` (exit 6) listing every issue.
 */
export async function loadManifest(
  root: string,
  catalog?: readonly unknown[],
): Promise<LoadedManifest> {
  const { text, path } = await readManifestText(root);
  const { parseManifest, checkManifest, formatIssue, ManifestError } = await import(
    '@zhengwu/manifest'
  );
  const refuse = (issues: readonly ManifestIssue[]) => {
    const lines = issues.map((issue) => formatIssue(issue, MANIFEST_FILE));
    return new CliError(
      `${MANIFEST_FILE} 有 ${lines.length} 处问题 · ${MANIFEST_FILE} has ${lines.length} problem${lines.length === 1 ? '' : 's'}:\n${lines.map((l) => `  ${l}`).join('\n')}`,
      EXIT.refused,
      '改正后重试；zw deploy --dry-run 只做校验 · fix them and retry; zw deploy --dry-run only checks',
      { issues },
    );
  };
  let parsed: ReturnType<typeof parseManifest>;
  try {
    parsed = parseManifest(text, MANIFEST_FILE);
  } catch (error) {
    if (error instanceof ManifestError) {
      throw refuse(error.issues);
    }
    throw error;
  }
  const issues = checkManifest(parsed.manifest, {
    ...(catalog && { catalog: catalog as never }),
    document: parsed.document,
  });
  if (issues.length > 0) throw refuse(issues);
  return { manifest: parsed.manifest, path };
}
