import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { ProblemError } from '../http/problems';

/** The contract's upload limit: 200 MiB. */
export const MAX_SOURCE_BYTES = 200 * 1024 * 1024;

/**
 * Why an archive entry may not be unpacked, or null when it is fine: absolute paths, `..`
 * segments, links leaving the archive and anything but files, folders and links.
 */
export function unsafeEntry(path: string, type: string, linkpath?: string): string | null {
  const clean = path.replace(/^\.\//, '');
  if (clean.startsWith('/') || /^[A-Za-z]:/.test(clean)) return 'absolute path';
  if (clean.split('/').includes('..')) return 'path with ..';
  if (!['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link'].includes(type)) {
    return `entry of type ${type}`;
  }
  if (linkpath !== undefined && (type === 'SymbolicLink' || type === 'Link')) {
    const target = type === 'SymbolicLink' ? posix.join(posix.dirname(clean), linkpath) : linkpath;
    if (linkpath.startsWith('/') || posix.normalize(target).split('/')[0] === '..') {
      return 'link pointing outside the archive';
    }
  }
  return null;
}

function badArchive(detail: string): ProblemError {
  return new ProblemError('bad_request', detail);
}

/**
 * Streams an upload to `file` (through a temporary name), hashing and counting it, then
 * checks it is a gzip-compressed tar whose every entry is safe to unpack. Nothing is left
 * behind when it is refused.
 */
export async function receiveSource(
  body: Readable,
  file: string,
  expectedSha256: string | undefined,
): Promise<{ sha256: string; sizeBytes: number }> {
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const hash = createHash('sha256');
  let size = 0;
  try {
    await pipeline(
      body,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          size += chunk.length;
          if (size > MAX_SOURCE_BYTES) {
            throw new ProblemError(
              'payload_too_large',
              `源码包超过 200 MiB · The source archive is larger than ${MAX_SOURCE_BYTES} bytes.`,
            );
          }
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(partial, { mode: 0o600 }),
    );
    if (size === 0) throw badArchive('源码包为空 · The source archive is empty.');
    const sha256 = hash.digest('hex');
    if (expectedSha256 && expectedSha256 !== sha256) {
      throw badArchive(
        `摘要不符 · X-Content-Sha256 is ${expectedSha256} but the body hashes to ${sha256}.`,
      );
    }
    await checkArchive(partial);
    await rename(partial, file);
    return { sha256, sizeBytes: size };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

async function checkArchive(file: string): Promise<void> {
  let refused: string | null = null;
  let entries = 0;
  try {
    await tar.t({
      file,
      strict: true,
      onReadEntry: (entry) => {
        entries += 1;
        const why = unsafeEntry(entry.path, entry.type, entry.linkpath);
        if (why && !refused) refused = `${entry.path}: ${why}`;
      },
    });
  } catch (error) {
    throw badArchive(
      `不是有效的 tar.gz 包 · The body is not a gzip-compressed tar archive (${(error as Error).message}).`,
    );
  }
  if (refused) {
    throw badArchive(`源码包含不安全的条目 · The archive holds an unsafe entry: ${refused}.`);
  }
  if (entries === 0) throw badArchive('源码包没有文件 · The archive holds no files.');
}

/** Unpacks a checked source archive into `dir` (entries are re-checked while unpacking). */
export async function unpackSource(file: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await tar.x({
    file,
    cwd: dir,
    strict: true,
    preservePaths: false,
    filter: (path, entry) => {
      const e = entry as tar.ReadEntry;
      return unsafeEntry(path, e.type, e.linkpath) === null;
    },
  });
}
