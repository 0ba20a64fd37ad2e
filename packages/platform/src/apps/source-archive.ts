import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readlink, realpath, rename, rm } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
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
  limits = UNPACK_LIMITS,
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
    await checkArchive(partial, limits);
    await rename(partial, file);
    return { sha256, sizeBytes: size };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** What a source may unpack to: a tar.gz of 200 MiB can hold hundreds of GiB of zeros. */
export const UNPACK_LIMITS = { bytes: 2 * 1024 * 1024 * 1024, entries: 200_000 };

/**
 * Reads the archive's headers once: every entry must be safe, and the whole must stay within
 * the limits — the read stops at the first entry past one.
 */
async function checkArchive(file: string, limits: typeof UNPACK_LIMITS): Promise<void> {
  let refused: string | null = null;
  let entries = 0;
  let bytes = 0;
  const input = createReadStream(file);
  const parser = new tar.Parser({
    strict: true,
    onReadEntry: (entry) => {
      entries += 1;
      bytes += entry.size ?? 0;
      const why = unsafeEntry(entry.path, entry.type, entry.linkpath);
      if (why && !refused) refused = `${entry.path}: ${why}`;
      if (!refused && (bytes > limits.bytes || entries > limits.entries)) {
        refused = `解压后超过 ${limits.bytes} 字节或 ${limits.entries} 个条目 · it unpacks to more than ${limits.bytes} bytes or ${limits.entries} entries`;
        input.destroy();
      }
      entry.resume();
    },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      parser.on('end', resolve);
      parser.on('error', reject);
      parser.on('warn', (_code: string, message: string) => reject(new Error(message)));
      input.on('error', reject);
      input.on('close', () => {
        if (refused) resolve();
      });
      input.pipe(parser);
    });
  } catch (error) {
    if (!refused) {
      throw badArchive(
        `不是有效的 tar.gz 包 · The body is not a gzip-compressed tar archive (${(error as Error).message}).`,
      );
    }
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
  await refuseEscapingLinks(dir);
}

/**
 * Each link checked alone stays inside, but a chain can leave (`d/y -> ../..`, then
 * `package.json -> d/y/../../secret`): every symbolic link of the unpacked tree must resolve,
 * through the links before it, to a path inside `dir`.
 */
async function refuseEscapingLinks(dir: string): Promise<void> {
  const root = await realpath(dir);
  const inside = (path: string) => path === root || path.startsWith(`${root}${sep}`);
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isSymbolicLink()) continue;
    const link = join(entry.parentPath, entry.name);
    const target = await realpath(link).catch(async () =>
      // A dangling link: where it points, from the real folder that holds it.
      resolve(await realpath(entry.parentPath), await readlink(link)),
    );
    if (!inside(target)) {
      throw badArchive(
        `源码包含指向包外的链接 · The archive holds a link that leads outside it: ${relative(root, link)}.`,
      );
    }
  }
}
