import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * File primitives of the store. Object keys never become paths: a key's files are named by
 * the SHA-256 of the key (hex), so `../`, NUL, 1 KiB keys or `a` next to `a/` cannot escape
 * or collide; the key itself lives in the JSON sidecar.
 */

export const keyHash = (key: string): string =>
  createHash('sha256').update(key, 'utf8').digest('hex');

/** A random file-name-safe token (also upload ids). */
export const token = (bytes = 12): string => randomBytes(bytes).toString('base64url');

/**
 * Bytes a temp file's stream buffers before it pushes back on the request: with Node's 16 KiB
 * default every socket read waited for its own disk write (a thread-pool round trip each).
 */
const WRITE_BUFFER = 1024 * 1024;

/** A new temp file (owner-only) in `dir` and the stream a receiver fills. */
export interface TempFile {
  path: string;
  stream: WriteStream;
}

/** With `fsync`, the stream flushes the file to disk before it closes. */
export function createTemp(dir: string, fsync: boolean): TempFile {
  const path = join(dir, `${token()}.tmp`);
  return {
    path,
    stream: createWriteStream(path, {
      flags: 'wx',
      mode: 0o600,
      flush: fsync,
      highWaterMark: WRITE_BUFFER,
    }),
  };
}

export async function discardTemp(file: TempFile): Promise<void> {
  file.stream.destroy();
  await rm(file.path, { force: true });
}

/** Writes `data` to `path` atomically: a temp file in `tmpDir`, flushed, then renamed. */
export async function writeAtomic(
  tmpDir: string,
  path: string,
  data: string,
  fsync: boolean,
  mode = 0o600,
): Promise<void> {
  const temp = join(tmpDir, `${token()}.tmp`);
  try {
    if (fsync) {
      const handle = await open(temp, 'wx', mode);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } else {
      await writeFile(temp, data, { mode, flag: 'wx' });
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Serialises async work per name (one commit per key, one change per upload at a time). */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  async run<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(name) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => {});
    this.#tails.set(name, tail);
    try {
      return await result;
    } finally {
      if (this.#tails.get(name) === tail) this.#tails.delete(name);
    }
  }
}
