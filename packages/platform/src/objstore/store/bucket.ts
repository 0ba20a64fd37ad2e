import { type FileHandle, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { noSuchBucket, quotaExceeded } from '../errors';
import { compareKeys, searchKeys } from '../key-order';
import type { BucketSealing } from './bucket-keys';
import {
  createTemp,
  discardTemp,
  KeyedLock,
  keyHash,
  type TempFile,
  token,
  writeAtomic,
} from './files';
import { type ListPage, type ListQuery, listPage } from './list';
import { openedRange, sealingSink } from './sealed-files';
import type { ObjectAttributes, Receiver, StoredObject } from './types';
import { Uploads } from './uploads';

const MIB = 1024 * 1024;
/** Read-ahead of a plaintext (pre-SSE) data file. */
const READ_BUFFER = 512 * 1024;

/** Shared by every bucket of a store. */
export interface StoreContext {
  /** Temp files live here, on the same file system, so a commit is a rename. */
  tmpDir: string;
  /** Flush files to disk before they are renamed into place (durable acknowledgements). */
  fsync: boolean;
}

export interface BucketRecord {
  name: string;
  createdAt: string;
  /** Bytes the bucket may hold (objects and unfinished multipart parts); null = no quota. */
  quotaBytes: number | null;
  /** The bucket's data key, sealed with the store key (see `BucketKeys`). */
  sealedKey?: string;
}

interface Index {
  /** Keys in UTF-8 order. */
  keys: string[];
  objects: Map<string, StoredObject>;
  bytes: number;
}

/**
 * One bucket on disk: `objects/<hh>/<sha256(key)>.json` (the sidecar: key, size, ETag,
 * metadata, data file name) beside `<sha256(key)>.<token>.data`. A write streams into a temp
 * file, renames it into place under a new name, then atomically replaces the sidecar — the
 * commit point — and removes the old data file; a crash leaves either the old or the new
 * object, and unreferenced data files are swept on load. The key index is loaded on first use.
 */
export class Bucket {
  readonly uploads: Uploads;
  #index: Promise<Index> | undefined;
  #reserved = 0;
  #deleted = false;
  readonly #locks = new KeyedLock();
  readonly #dirs = new Set<string>();

  constructor(
    private readonly context: StoreContext,
    readonly dir: string,
    public record: BucketRecord,
    private readonly sealing: BucketSealing,
  ) {
    this.uploads = new Uploads(context, join(dir, 'uploads'), this);
  }

  /** Where a receiver writes an object's (or a part's) bytes: they reach `file` sealed. */
  sealedSink(file: Writable): { sink: Writable; encryption: BucketSealing['algorithm'] } {
    return {
      sink: sealingSink(file, this.sealing.key, this.sealing.algorithm),
      encryption: this.sealing.algorithm,
    };
  }

  /**
   * Bytes `start`–`end` (inclusive) of a stored object or part, from its open data file,
   * decrypted and authenticated on the way. The stream closes the handle.
   */
  readRange(
    stored: { size: number; encryption?: BucketSealing['algorithm'] },
    handle: FileHandle,
    start: number,
    end: number,
  ): Readable {
    if (!stored.encryption)
      return handle.createReadStream({ start, end, highWaterMark: READ_BUFFER });
    return openedRange(handle, this.sealing.key, stored.size, start, end);
  }

  get name(): string {
    return this.record.name;
  }

  /** Marks the bucket gone: operations still holding it fail with NoSuchBucket. */
  markDeleted(): void {
    this.#deleted = true;
  }

  assertLive(): void {
    if (this.#deleted) throw noSuchBucket(this.name);
  }

  /** Bytes held: objects plus parts of unfinished multipart uploads. */
  async usage(): Promise<number> {
    const index = await this.#load();
    return index.bytes + this.uploads.bytes;
  }

  async objectCount(): Promise<number> {
    return (await this.#load()).keys.length;
  }

  /**
   * Reserves room for `bytes` more against the quota (released by the caller), so concurrent
   * writes cannot overshoot it together. Throws QuotaExceeded.
   */
  async reserve(bytes: number): Promise<void> {
    const index = await this.#load();
    const quota = this.record.quotaBytes;
    if (quota !== null && index.bytes + this.uploads.bytes + this.#reserved + bytes > quota) {
      throw quotaExceeded(Math.round(quota / MIB));
    }
    this.#reserved += bytes;
  }

  release(bytes: number): void {
    this.#reserved -= bytes;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    this.assertLive();
    return (await this.#load()).objects.get(key);
  }

  dataPath(object: StoredObject): string {
    return join(this.#objectDir(keyHash(object.key)), object.file);
  }

  async list(query: ListQuery): Promise<{ page: ListPage; objects: StoredObject[] }> {
    this.assertLive();
    const index = await this.#load();
    const page = listPage(index.keys, query);
    return { page, objects: page.keys.map((k) => index.objects.get(k)!) };
  }

  /** Every key (for emptying the bucket). */
  async keys(): Promise<string[]> {
    return [...(await this.#load()).keys];
  }

  /**
   * Stores an object: `receive` streams the checked bytes into a temp file; nothing is
   * visible until it returns. With `reserve`, `length` bytes are held against the quota while
   * the body arrives (a multipart completion moves bytes already counted).
   */
  async put(
    key: string,
    size: { length: number; reserve: boolean },
    receive: Receiver,
    attributes: ObjectAttributes,
  ): Promise<StoredObject> {
    this.assertLive();
    const index = await this.#load();
    if (size.reserve) await this.reserve(size.length);
    let temp: TempFile | undefined;
    try {
      temp = createTemp(this.context.tmpDir, this.context.fsync);
      const { sink, encryption } = this.sealedSink(temp.stream);
      const received = await receive(sink);
      const path = temp.path;
      return await this.#locks.run(key, async () => {
        this.assertLive();
        const hash = keyHash(key);
        const dir = await this.#ensureObjectDir(hash);
        const file = `${hash}.${token(9)}.data`;
        await rename(path, join(dir, file));
        const stored: StoredObject = {
          key,
          size: received.size,
          etag: received.etag,
          lastModified: new Date().toISOString(),
          ...attributes,
          checksums: received.checksums,
          file,
          encryption,
        };
        if (received.etag.includes('-')) stored.parts = Number(received.etag.split('-')[1]);
        try {
          await writeAtomic(
            this.context.tmpDir,
            join(dir, `${hash}.json`),
            JSON.stringify(stored),
            this.context.fsync,
          );
        } catch (error) {
          await rm(join(dir, file), { force: true });
          throw error;
        }
        const previous = index.objects.get(key);
        index.objects.set(key, stored);
        index.bytes += stored.size - (previous?.size ?? 0);
        if (previous) await rm(join(dir, previous.file), { force: true });
        else index.keys.splice(searchKeys(index.keys, key), 0, key);
        return stored;
      });
    } catch (error) {
      if (temp) await discardTemp(temp);
      throw error;
    } finally {
      if (size.reserve) this.release(size.length);
    }
  }

  /** Removes an object; false when there was none (S3 deletes answer success either way). */
  async delete(key: string): Promise<boolean> {
    this.assertLive();
    const index = await this.#load();
    return this.#locks.run(key, async () => {
      const previous = index.objects.get(key);
      if (!previous) return false;
      const hash = keyHash(key);
      const dir = this.#objectDir(hash);
      await rm(join(dir, `${hash}.json`), { force: true });
      index.objects.delete(key);
      index.bytes -= previous.size;
      const at = searchKeys(index.keys, key);
      if (index.keys[at] === key) index.keys.splice(at, 1);
      await rm(join(dir, previous.file), { force: true });
      return true;
    });
  }

  #objectDir(hash: string): string {
    return join(this.dir, 'objects', hash.slice(0, 2));
  }

  async #ensureObjectDir(hash: string): Promise<string> {
    const dir = this.#objectDir(hash);
    if (!this.#dirs.has(dir)) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      this.#dirs.add(dir);
    }
    return dir;
  }

  #load(): Promise<Index> {
    this.#index ??= this.#scan();
    return this.#index;
  }

  /** Reads every sidecar; sweeps data files no sidecar names (a write cut short by a crash). */
  async #scan(): Promise<Index> {
    const index: Index = { keys: [], objects: new Map(), bytes: 0 };
    const root = join(this.dir, 'objects');
    const fanout = await readdir(root).catch(() => [] as string[]);
    for (const sub of fanout) {
      const dir = join(root, sub);
      const names = await readdir(dir);
      const referenced = new Set<string>();
      let unreadable = false;
      for (const name of names.filter((n) => n.endsWith('.json'))) {
        try {
          const stored = JSON.parse(await readFile(join(dir, name), 'utf8')) as StoredObject;
          index.objects.set(stored.key, stored);
          index.bytes += stored.size;
          referenced.add(stored.file);
        } catch {
          unreadable = true; // leave its files alone rather than guess
        }
      }
      if (!unreadable) {
        for (const name of names) {
          if (name.endsWith('.data') && !referenced.has(name))
            await rm(join(dir, name), { force: true });
        }
      }
      this.#dirs.add(dir);
    }
    index.keys = [...index.objects.keys()].sort(compareKeys);
    await this.uploads.load();
    return index;
  }
}
