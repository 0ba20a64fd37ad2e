/**
 * Packs the app folder into a gzip-compressed tar for `sources.upload`: files in sorted order,
 * owners and times normalised, so the same files give the same archive and the same SHA-256.
 */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { type Ignore, loadIgnore } from './ignore';

/** The platform's limit for one source archive (`Source.sizeBytes`). */
export const MAX_ARCHIVE_BYTES = 200 * 1024 * 1024;

export interface Archive {
  bytes: Uint8Array;
  sha256: string;
  files: string[];
}

/** Every file to upload, relative to `root`, ignored folders pruned without being read. */
export async function listFiles(root: string, ignore: Ignore): Promise<string[]> {
  const files: string[] = [];
  const walk = async (rel: string) => {
    const entries = await readdir(join(root, rel), { withFileTypes: true });
    for (const entry of entries) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      const isDir = entry.isDirectory();
      if (ignore(path, isDir)) continue;
      if (isDir) await walk(path);
      else if (entry.isFile() || entry.isSymbolicLink()) files.push(path);
    }
  };
  await walk('');
  return files.sort();
}

export async function packDirectory(root: string): Promise<Archive> {
  const files = await listFiles(root, await loadIgnore(root));
  if (files.length === 0) {
    throw new CliError(`目录为空 · Nothing to upload in ${root}`, EXIT.refused);
  }
  const { create } = await import('tar');
  const stream = create(
    { cwd: root, gzip: { level: 9 }, portable: true, mtime: new Date(0), noDirRecurse: true },
    files,
  );
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_ARCHIVE_BYTES) {
      throw new CliError(
        `源码包超过 200 MiB · The source archive is over 200 MiB`,
        EXIT.refused,
        '把构建产物和大文件加入 .zhengwuignore · add build output and large files to .zhengwuignore',
      );
    }
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(Buffer.concat(chunks));
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), files };
}
