import { createHash, type Hash } from 'node:crypto';
import { type Readable, Transform, type TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import {
  badDigest,
  contentSha256Mismatch,
  entityTooLarge,
  incompleteBody,
  invalidArgument,
  invalidRequest,
  missingContentLength,
  notImplemented,
} from './errors';
import type { PayloadCheck } from './sigv4/authenticate';
import { AwsChunkedDecoder } from './sigv4/chunked';

/** The additional checksums (S3 "flexible checksums") this store can compute. */
export type ChecksumAlgorithm = 'crc32' | 'sha1' | 'sha256';
const SUPPORTED: readonly string[] = ['crc32', 'sha1', 'sha256'];
const KNOWN = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'];

/** What the request says about its body, read from its headers before any byte is read. */
export interface BodyPlan {
  payload: PayloadCheck;
  /** Bytes of content (after aws-chunked decoding). */
  length: number;
  chunked: boolean;
  /** Base64 MD5 from `Content-MD5`. */
  contentMd5: string | undefined;
  /** A checksum sent in a header (`value`) or announced as a trailer (`value` undefined). */
  checksum: { algorithm: ChecksumAlgorithm; value: string | undefined } | undefined;
}

/** Digests of a body's content as received. */
export interface BodyDigest {
  size: number;
  md5Hex: string;
  /** Base64 checksums, as S3 shows them: CRC32 always, SHA-1/SHA-256 when the client used them. */
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

type Header = (name: string) => string | undefined;

/** Reads the body plan from the request's headers; `maxBytes` bounds the content. */
export function planBody(header: Header, payload: PayloadCheck, maxBytes: number): BodyPlan {
  const chunked = payload.kind === 'chunked';
  const encoding = (header('content-encoding') ?? '').split(',').map((e) => e.trim());
  if (chunked && !encoding.includes('aws-chunked')) {
    // Clients send both; a body signed as chunks is only ever aws-chunked.
    if (header('x-amz-decoded-content-length') === undefined) {
      throw invalidRequest(
        '流式签名需要 aws-chunked 编码 · Streaming payloads need Content-Encoding: aws-chunked',
      );
    }
  }
  const lengthText = chunked ? header('x-amz-decoded-content-length') : header('content-length');
  if (lengthText === undefined) {
    if (chunked) throw missingContentLength();
    // A body with no length at all (chunked transfer) cannot be checked against a quota.
    if (header('transfer-encoding') !== undefined) throw missingContentLength();
  }
  const length =
    lengthText === undefined ? 0 : /^\d{1,16}$/.test(lengthText) ? Number(lengthText) : Number.NaN;
  if (!Number.isSafeInteger(length)) {
    throw invalidArgument(
      '内容长度无效 · Invalid content length',
      chunked ? 'x-amz-decoded-content-length' : 'Content-Length',
      lengthText,
    );
  }
  if (length > maxBytes) throw entityTooLarge(maxBytes, length);

  const sent = KNOWN.filter((a) => header(`x-amz-checksum-${a}`) !== undefined);
  const trailer = header('x-amz-trailer')?.trim().toLowerCase();
  if (trailer !== undefined && !chunked)
    throw invalidRequest(
      'x-amz-trailer 需要 aws-chunked 正文 · x-amz-trailer needs an aws-chunked body',
    );
  const trailerAlgorithm = trailer?.startsWith('x-amz-checksum-') ? trailer.slice(15) : undefined;
  if (
    trailer !== undefined &&
    (trailerAlgorithm === undefined || !KNOWN.includes(trailerAlgorithm))
  ) {
    throw invalidRequest(`不支持的尾部头 ${trailer} · Unsupported trailing header ${trailer}`);
  }
  if (payload.kind === 'chunked' && payload.trailer && trailer === undefined) {
    throw invalidRequest(
      '尾部签名需要 x-amz-trailer · Trailing payloads need an x-amz-trailer header',
    );
  }
  const algorithms = [...sent, ...(trailerAlgorithm ? [trailerAlgorithm] : [])];
  if (algorithms.length > 1)
    throw invalidRequest(
      '只能提供一个 x-amz-checksum- 校验值 · Expecting a single x-amz-checksum- header',
    );
  const algorithm = algorithms[0];
  if (algorithm !== undefined && !SUPPORTED.includes(algorithm)) {
    throw notImplemented(`${algorithm.toUpperCase()} checksums (use CRC32, SHA1 or SHA256)`);
  }
  return {
    payload,
    length,
    chunked,
    contentMd5: header('content-md5'),
    checksum:
      algorithm === undefined
        ? undefined
        : {
            algorithm: algorithm as ChecksumAlgorithm,
            value: trailerAlgorithm ? undefined : header(`x-amz-checksum-${algorithm}`),
          },
  };
}

/** Counts and digests content on its way to the sink; fails past `limit` bytes. */
class DigestTap extends Transform {
  size = 0;
  crc = 0;
  readonly md5 = createHash('md5');
  constructor(
    private readonly limit: number,
    readonly sha256: Hash | undefined,
    readonly sha1: Hash | undefined,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.limit) {
      done(incompleteBody());
      return;
    }
    this.md5.update(chunk);
    this.crc = crc32(chunk, this.crc);
    this.sha256?.update(chunk);
    this.sha1?.update(chunk);
    done(null, chunk);
  }
}

const crcBase64 = (crc: number): string => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(crc >>> 0);
  return bytes.toString('base64');
};

/**
 * Streams the body into `sink`, decoding aws-chunked and checking chunk signatures on the way,
 * then verifies length, x-amz-content-sha256, Content-MD5 and the flexible checksum. Throws
 * (after the sink has seen the bytes) when any of them does not hold: the caller must only
 * commit what this returned for.
 */
export async function receiveBody(
  source: Readable,
  plan: BodyPlan,
  sink: Writable,
): Promise<BodyDigest> {
  const wantsSha256 = plan.payload.kind === 'sha256' || plan.checksum?.algorithm === 'sha256';
  const tap = new DigestTap(
    plan.length,
    wantsSha256 ? createHash('sha256') : undefined,
    plan.checksum?.algorithm === 'sha1' ? createHash('sha1') : undefined,
  );
  const payload = plan.payload;
  const decoder =
    payload.kind === 'chunked'
      ? new AwsChunkedDecoder(payload.signing, payload.trailer)
      : undefined;
  if (decoder) await pipeline(source, decoder, tap, sink);
  else await pipeline(source, tap, sink);

  if (tap.size !== plan.length) throw incompleteBody();
  const sha256 = tap.sha256?.digest();
  if (payload.kind === 'sha256' && sha256?.toString('hex') !== payload.hash)
    throw contentSha256Mismatch();
  const md5 = tap.md5.digest();
  if (plan.contentMd5 !== undefined && md5.toString('base64') !== plan.contentMd5) {
    if (!/^[A-Za-z0-9+/]{22}==$/.test(plan.contentMd5)) {
      throw invalidArgument(
        'Content-MD5 不是有效的 Base64 MD5 · The Content-MD5 you specified is not valid.',
        'Content-MD5',
        plan.contentMd5,
      );
    }
    throw badDigest('Content-MD5');
  }
  const checksums: BodyDigest['checksums'] = { crc32: crcBase64(tap.crc) };
  if (sha256 && plan.checksum?.algorithm === 'sha256') checksums.sha256 = sha256.toString('base64');
  if (tap.sha1) checksums.sha1 = tap.sha1.digest('base64');
  if (plan.checksum) {
    const { algorithm } = plan.checksum;
    const expected = plan.checksum.value ?? decoder?.trailers.get(`x-amz-checksum-${algorithm}`);
    if (expected === undefined)
      throw invalidRequest(
        `缺少尾部校验值 x-amz-checksum-${algorithm} · The trailing x-amz-checksum-${algorithm} is missing`,
      );
    if (expected !== checksums[algorithm]) throw badDigest(`${algorithm.toUpperCase()} checksum`);
  }
  return { size: tap.size, md5Hex: md5.toString('hex'), checksums };
}

/** A sink that keeps a small body (an XML document) in memory. */
export class MemorySink extends Writable {
  readonly #chunks: Buffer[] = [];
  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    done: (error?: Error | null) => void,
  ): void {
    this.#chunks.push(chunk);
    done();
  }
  get body(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}
