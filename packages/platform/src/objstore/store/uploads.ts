import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { invalidArgument, malformedXml, noSuchUpload, S3Error } from '../errors';
import type { Bucket, StoreContext } from './bucket';
import { createTemp, discardTemp, KeyedLock, type TempFile, token, writeAtomic } from './files';
import type { ObjectAttributes, Receiver, StoredObject, StoredPart, UploadRecord } from './types';

interface Upload {
  record: UploadRecord;
  parts: Map<number, StoredPart>;
}

/** A part the client names in CompleteMultipartUpload. */
export interface CompletedPart {
  partNumber: number;
  etag: string;
}

export const MAX_PARTS = 10_000;
const UPLOAD_ID = /^[A-Za-z0-9_-]{32}$/;

export function parsePartNumber(text: string | undefined): number {
  const n = text !== undefined && /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= MAX_PARTS)) {
    throw invalidArgument(
      '分片号应为 1 到 10000 的整数 · Part number must be an integer between 1 and 10000, inclusive',
      'partNumber',
      text,
    );
  }
  return n;
}

const unquote = (etag: string): string => etag.trim().replace(/^"|"$/g, '');

/**
 * Multipart uploads of one bucket: `uploads/<uploadId>/upload.json` and, per part,
 * `<n>.<token>.part` with its `<n>.json`. Parts count against the bucket's quota until the
 * upload completes (then they become the object) or is aborted.
 */
export class Uploads {
  /** Bytes held by parts of unfinished uploads. */
  bytes = 0;
  readonly #uploads = new Map<string, Upload>();
  readonly #locks = new KeyedLock();

  constructor(
    private readonly context: StoreContext,
    private readonly dir: string,
    private readonly bucket: Bucket,
  ) {}

  async load(): Promise<void> {
    for (const uploadId of await readdir(this.dir).catch(() => [] as string[])) {
      const dir = join(this.dir, uploadId);
      try {
        const record = JSON.parse(await readFile(join(dir, 'upload.json'), 'utf8')) as UploadRecord;
        const upload: Upload = { record, parts: new Map() };
        const names = await readdir(dir);
        for (const name of names.filter((n) => /^\d+\.json$/.test(n))) {
          const part = JSON.parse(await readFile(join(dir, name), 'utf8')) as StoredPart;
          upload.parts.set(part.partNumber, part);
          this.bytes += part.size;
        }
        const live = new Set([...upload.parts.values()].map((p) => p.file));
        for (const name of names) {
          if (name.endsWith('.part') && !live.has(name)) await rm(join(dir, name), { force: true });
        }
        this.#uploads.set(uploadId, upload);
      } catch {
        // An upload whose record never got written (crash at creation) is dropped.
        await rm(dir, { recursive: true, force: true });
      }
    }
  }

  /** The upload, if it exists for this key. */
  #find(uploadId: string, key: string): Upload {
    const upload = UPLOAD_ID.test(uploadId) ? this.#uploads.get(uploadId) : undefined;
    if (!upload || upload.record.key !== key) throw noSuchUpload(uploadId);
    return upload;
  }

  async create(key: string, attributes: ObjectAttributes): Promise<UploadRecord> {
    this.bucket.assertLive();
    await this.bucket.usage(); // loads the bucket (and its uploads) first
    const uploadId = token(24);
    const dir = join(this.dir, uploadId);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const record: UploadRecord = {
      uploadId,
      key,
      initiated: new Date().toISOString(),
      ...attributes,
    };
    await writeAtomic(
      this.context.tmpDir,
      join(dir, 'upload.json'),
      JSON.stringify(record),
      this.context.fsync,
    );
    this.#uploads.set(uploadId, { record, parts: new Map() });
    return record;
  }

  async parts(
    uploadId: string,
    key: string,
  ): Promise<{ record: UploadRecord; parts: StoredPart[] }> {
    this.bucket.assertLive();
    await this.bucket.usage();
    const upload = this.#find(uploadId, key);
    return {
      record: upload.record,
      parts: [...upload.parts.values()].sort((a, b) => a.partNumber - b.partNumber),
    };
  }

  /** Stores one part (replacing an earlier upload of the same number). */
  async putPart(
    uploadId: string,
    key: string,
    partNumber: number,
    length: number,
    receive: Receiver,
  ): Promise<StoredPart> {
    this.bucket.assertLive();
    await this.bucket.usage();
    this.#find(uploadId, key);
    await this.bucket.reserve(length);
    let temp: TempFile | undefined;
    try {
      temp = createTemp(this.context.tmpDir, this.context.fsync);
      const { sink, encryption } = this.bucket.sealedSink(temp.stream);
      const received = await receive(sink);
      const path = temp.path;
      return await this.#locks.run(uploadId, async () => {
        const upload = this.#find(uploadId, key);
        const dir = join(this.dir, uploadId);
        const file = `${partNumber}.${token(9)}.part`;
        await rename(path, join(dir, file));
        const part: StoredPart = {
          partNumber,
          size: received.size,
          etag: received.etag,
          lastModified: new Date().toISOString(),
          file,
          encryption,
        };
        await writeAtomic(
          this.context.tmpDir,
          join(dir, `${partNumber}.json`),
          JSON.stringify(part),
          this.context.fsync,
        );
        const previous = upload.parts.get(partNumber);
        upload.parts.set(partNumber, part);
        this.bytes += part.size - (previous?.size ?? 0);
        if (previous) await rm(join(dir, previous.file), { force: true });
        return part;
      });
    } catch (error) {
      if (temp) await discardTemp(temp);
      throw error;
    } finally {
      this.bucket.release(length);
    }
  }

  /**
   * Joins the named parts into the object. Parts must be listed in ascending order with the
   * ETags their uploads returned; all but the last at least `minPartBytes`.
   */
  async complete(
    uploadId: string,
    key: string,
    named: CompletedPart[],
    minPartBytes: number,
  ): Promise<StoredObject> {
    this.bucket.assertLive();
    await this.bucket.usage();
    this.#find(uploadId, key);
    return this.#locks.run(uploadId, async () => {
      const upload = this.#find(uploadId, key);
      if (named.length === 0) throw malformedXml();
      if (named.some((part, i) => i > 0 && part.partNumber <= named[i - 1]!.partNumber)) {
        throw new S3Error(
          'InvalidPartOrder',
          400,
          '分片列表必须按分片号升序排列 · The list of parts was not in ascending order. Parts must be ordered by part number.',
        );
      }
      const chosen: StoredPart[] = [];
      for (const [i, { partNumber, etag }] of named.entries()) {
        const part = upload.parts.get(partNumber);
        if (!part || part.etag !== unquote(etag)) {
          throw new S3Error(
            'InvalidPart',
            400,
            '有分片不存在或其 ETag 不符 · One or more of the specified parts could not be found, or its entity tag did not match.',
            { PartNumber: partNumber, ETag: etag },
          );
        }
        if (i < named.length - 1 && part.size < minPartBytes) {
          throw new S3Error(
            'EntityTooSmall',
            400,
            '除最后一个分片外，每个分片须不小于最小分片大小 · Your proposed upload is smaller than the minimum allowed size.',
            { PartNumber: partNumber, ProposedSize: part.size, MinSizeAllowed: minPartBytes },
          );
        }
        chosen.push(part);
      }
      const dir = join(this.dir, uploadId);
      const etags = Buffer.concat(chosen.map((p) => Buffer.from(p.etag, 'hex')));
      const etag = `${createHash('md5').update(etags).digest('hex')}-${chosen.length}`;
      const length = chosen.reduce((sum, p) => sum + p.size, 0);
      const bucket = this.bucket;
      const receive: Receiver = async (sink: Writable) => {
        await pipeline(async function* () {
          for (const part of chosen) {
            if (part.size === 0) continue;
            const handle = await open(join(dir, part.file), 'r');
            yield* bucket.readRange(part, handle, 0, part.size - 1);
          }
        }, sink);
        return { size: length, etag, checksums: {} };
      };
      const { uploadId: _id, key: _key, initiated: _at, ...attributes } = upload.record;
      const stored = await this.bucket.put(key, { length, reserve: false }, receive, attributes);
      await this.#drop(uploadId, upload);
      return stored;
    });
  }

  async abort(uploadId: string, key: string): Promise<void> {
    this.bucket.assertLive();
    await this.bucket.usage();
    this.#find(uploadId, key);
    await this.#locks.run(uploadId, async () => this.#drop(uploadId, this.#find(uploadId, key)));
  }

  async #drop(uploadId: string, upload: Upload): Promise<void> {
    this.#uploads.delete(uploadId);
    for (const part of upload.parts.values()) this.bytes -= part.size;
    await rm(join(this.dir, uploadId), { recursive: true, force: true });
  }
}
