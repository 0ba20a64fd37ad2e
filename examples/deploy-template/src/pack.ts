import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { create } from 'tar';

/** Never packed, as with `zw deploy`: installed packages, git, local state, local secrets. */
const IGNORED_DIRS = new Set(['node_modules', '.git', '.zhengwu']);
const isLocalEnv = (name: string) =>
  name === '.env' || (name.startsWith('.env.') && name !== '.env.example');

export interface SourceArchive {
  bytes: Uint8Array;
  sha256: string;
  files: string[];
}

/** The folder's files, relative to it, sorted; ignored folders are pruned unread. */
async function listFiles(root: string, rel = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!IGNORED_DIRS.has(entry.name)) files.push(...(await listFiles(root, path)));
    } else if (entry.isFile() && !isLocalEnv(entry.name)) {
      files.push(path);
    }
  }
  return files.sort();
}

/**
 * Packs an app folder as the platform takes it (`POST /v1/apps/{appId}/sources`): a
 * gzip-compressed tar of the folder's files, owners and times normalised so the same files
 * give the same archive and the same SHA-256.
 */
export async function packFolder(dir: string): Promise<SourceArchive> {
  const files = await listFiles(dir);
  const stream = create(
    { cwd: dir, gzip: true, portable: true, mtime: new Date(0), noDirRecurse: true },
    files,
  );
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  const bytes = new Uint8Array(Buffer.concat(chunks));
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), files };
}
