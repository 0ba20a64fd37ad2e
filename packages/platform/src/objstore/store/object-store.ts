import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CryptoMode, MODE_ALGORITHM } from '../../secrets/ciphers';
import { AccessKeys } from '../keys';
import { Bucket, type BucketRecord, type StoreContext } from './bucket';
import { BucketKeys } from './bucket-keys';
import { token, writeAtomic } from './files';

export interface ObjectStoreOptions {
  /** The store's directory, e.g. `<dataDir>/engines/object-storage`. */
  root: string;
  /**
   * 32-byte store key: seals access-key secrets in `keys.json` and, through keys derived
   * from it, each bucket's data key.
   */
  secretsKey: Buffer;
  /** Algorithm new objects are encrypted with: AES-256-GCM (default) or 国密 SM4 (`gm`). */
  crypto?: CryptoMode;
  /** Flush data to disk before acknowledging a write; default true. */
  fsync?: boolean;
}

/** Roots opened by this process (a lock file naming our own pid is stale unless listed here). */
const openRoots = new Set<string>();

/**
 * Takes `<root>/store.lock` for this process: two stores over one directory would overwrite
 * each other's keys file and sweep each other's temp files. A lock left by a process that is
 * gone (or by this pid in an earlier life, e.g. PID 1 in a restarted container) is taken over.
 */
async function lockRoot(root: string): Promise<void> {
  const path = join(root, 'store.lock');
  try {
    await writeFile(path, String(process.pid), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    };
    const held =
      holder === process.pid
        ? openRoots.has(root)
        : Number.isInteger(holder) && holder > 0 && alive(holder);
    if (held) {
      throw new Error(
        `对象存储目录正被进程 ${holder} 使用 · The object store at ${root} is in use by process ${holder}`,
      );
    }
    await writeFile(path, String(process.pid), { mode: 0o600 });
  }
  openRoots.add(root);
}

async function unlockRoot(root: string): Promise<void> {
  if (!openRoots.delete(root)) return;
  await rm(join(root, 'store.lock'), { force: true });
}

/** S3 bucket names this store makes: 3–63 lowercase letters, digits and inner hyphens. */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/**
 * The object store on local disk: `buckets/<name>/` (see `Bucket`), `keys.json` (see
 * `AccessKeys`) and `tmp/` for writes in flight (emptied on open). Buckets are made and
 * removed by the platform only; clients reach objects through the S3 endpoint.
 */
export class ObjectStore {
  readonly #buckets = new Map<string, Bucket>();

  private constructor(
    readonly root: string,
    private readonly context: StoreContext,
    readonly keys: AccessKeys,
    private readonly bucketKeys: BucketKeys,
  ) {}

  static async open(options: ObjectStoreOptions): Promise<ObjectStore> {
    const root = options.root;
    const context: StoreContext = { tmpDir: join(root, 'tmp'), fsync: options.fsync ?? true };
    await mkdir(root, { recursive: true, mode: 0o700 });
    await lockRoot(root);
    try {
      return await ObjectStore.#open(root, context, options);
    } catch (error) {
      await unlockRoot(root);
      throw error;
    }
  }

  static async #open(
    root: string,
    context: StoreContext,
    options: ObjectStoreOptions,
  ): Promise<ObjectStore> {
    // Whatever is in tmp/ is a write or a bucket removal a crash cut short.
    await rm(context.tmpDir, { recursive: true, force: true });
    await mkdir(context.tmpDir, { mode: 0o700 });
    await mkdir(join(root, 'buckets'), { recursive: true, mode: 0o700 });
    const keys = await AccessKeys.open(
      join(root, 'keys.json'),
      context.tmpDir,
      options.secretsKey,
      context.fsync,
    );
    const bucketKeys = new BucketKeys(options.secretsKey, MODE_ALGORITHM[options.crypto ?? 'aes']);
    const store = new ObjectStore(root, context, keys, bucketKeys);
    for (const name of await readdir(join(root, 'buckets'))) {
      const dir = join(root, 'buckets', name);
      let record = JSON.parse(await readFile(join(dir, 'bucket.json'), 'utf8')) as BucketRecord;
      let key: Buffer;
      if (record.sealedKey) key = bucketKeys.open(name, record.sealedKey);
      else {
        // A bucket from before encryption at rest: it gets a key; its old objects stay readable.
        const created = bucketKeys.create(name);
        key = created.key;
        record = { ...record, sealedKey: created.sealed };
        await writeAtomic(
          context.tmpDir,
          join(dir, 'bucket.json'),
          JSON.stringify(record),
          context.fsync,
        );
      }
      store.#buckets.set(name, store.#bucket(dir, record, key));
    }
    return store;
  }

  #bucket(dir: string, record: BucketRecord, key: Buffer): Bucket {
    return new Bucket(this.context, dir, record, { key, algorithm: this.bucketKeys.algorithm });
  }

  /** Releases the directory (the store must not be used afterwards). */
  async close(): Promise<void> {
    await unlockRoot(this.root);
  }

  bucket(name: string): Bucket | undefined {
    return this.#buckets.get(name);
  }

  buckets(): Bucket[] {
    return [...this.#buckets.values()];
  }

  /** Creates a bucket, or updates the quota of the existing one (idempotent). */
  async createBucket(name: string, quotaBytes: number | null): Promise<Bucket> {
    if (!BUCKET_NAME.test(name)) throw new Error(`存储桶名无效 · Invalid bucket name ${name}`);
    const existing = this.#buckets.get(name);
    if (existing) {
      if (existing.record.quotaBytes !== quotaBytes) {
        const record = { ...existing.record, quotaBytes };
        await writeAtomic(
          this.context.tmpDir,
          join(existing.dir, 'bucket.json'),
          JSON.stringify(record),
          this.context.fsync,
        );
        existing.record = record;
      }
      return existing;
    }
    // Built in tmp/ and renamed into place, so a bucket exists whole or not at all.
    const staging = join(this.context.tmpDir, `${token()}.bucket`);
    await mkdir(join(staging, 'objects'), { recursive: true, mode: 0o700 });
    await mkdir(join(staging, 'uploads'), { mode: 0o700 });
    const { key, sealed } = this.bucketKeys.create(name);
    const record: BucketRecord = {
      name,
      createdAt: new Date().toISOString(),
      quotaBytes,
      sealedKey: sealed,
    };
    await writeAtomic(
      this.context.tmpDir,
      join(staging, 'bucket.json'),
      JSON.stringify(record),
      this.context.fsync,
    );
    const dir = join(this.root, 'buckets', name);
    await rename(staging, dir);
    const bucket = this.#bucket(dir, record, key);
    this.#buckets.set(name, bucket);
    return bucket;
  }

  /** Removes a bucket with every object, upload and access key on it (idempotent). */
  async deleteBucket(name: string): Promise<void> {
    await this.keys.delete((key) => key.bucket === name);
    const bucket = this.#buckets.get(name);
    if (!bucket) return;
    bucket.markDeleted();
    this.#buckets.delete(name);
    // Out of buckets/ in one rename, then removed at leisure (or on the next open).
    const doomed = join(this.context.tmpDir, `${token()}.deleted`);
    await rename(bucket.dir, doomed);
    await rm(doomed, { recursive: true, force: true });
  }
}
