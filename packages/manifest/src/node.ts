/**
 * `@zhengwu/manifest/node`: reading `zhengwu.yaml` from disk. The main entry never touches
 * the file system, so the platform, browsers and the CLI share it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
// The package's own main entry (not `./parse`), so both entries share one ManifestError class.
import { type ParsedManifest, parseManifest } from '@zhengwu/manifest';

/** The manifest's file name in an app folder. */
export const MANIFEST_FILE = 'zhengwu.yaml';

/**
 * Reads and parses a manifest file.
 *
 * @param file - path of the file; `zhengwu.yaml` in the current directory by default
 * @throws {ManifestError} as `parseManifest` does (messages name `file`)
 * @throws the file system's error (e.g. `ENOENT`) when it cannot be read
 */
export async function loadManifest(file = MANIFEST_FILE): Promise<ParsedManifest> {
  return parseManifest(await readFile(file, 'utf8'), file);
}

/** Reads `<dir>/zhengwu.yaml`. */
export async function loadAppManifest(dir: string): Promise<ParsedManifest> {
  return loadManifest(join(dir, MANIFEST_FILE));
}

export type { ParsedManifest };
