import { createHash, type Hash, timingSafeEqual } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { incompleteBody, S3Error, signatureDoesNotMatch } from '../errors';
import type { ChunkSigning } from './authenticate';
import { EMPTY_SHA256, hmac, sha256Hex } from './canonical';

const MAX_LINE = 4096;
const CRLF = Buffer.from('\r\n');

const malformedChunk = (why: string) =>
  new S3Error('InvalidRequest', 400, `aws-chunked 编码错误 · Malformed aws-chunked body: ${why}`);

type State = 'header' | 'data' | 'data-end' | 'trailer' | 'done';

/**
 * Decodes an `aws-chunked` body (`Content-Encoding: aws-chunked`): `hex-size[;chunk-signature=
 * sig]\r\n data \r\n` … `0…\r\n`, then trailing headers and an empty line. With `signing`, each
 * chunk's signature is checked against the previous one (seeded by the request's signature),
 * and a trailer signature, when trailers are sent, closes the chain; a wrong signature fails
 * the stream. Chunk data is passed on as it arrives, so nothing is buffered whole.
 */
export class AwsChunkedDecoder extends Transform {
  /** Trailing headers by lowercase name, once the stream has ended. */
  readonly trailers = new Map<string, string>();
  #state: State = 'header';
  #line: Buffer[] = [];
  #lineLength = 0;
  #remaining = 0;
  #chunkSignature = '';
  #chunkHash: Hash | undefined;
  #previous: string;
  #trailerSignature: string | undefined;
  #sawTrailer = false;

  constructor(
    private readonly signing: ChunkSigning | undefined,
    private readonly expectTrailer: boolean,
  ) {
    super();
    this.#previous = signing?.seed ?? '';
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      let offset = 0;
      while (offset < chunk.length) {
        if (this.#state === 'data') {
          const take = Math.min(this.#remaining, chunk.length - offset);
          const slice = chunk.subarray(offset, offset + take);
          this.#chunkHash?.update(slice);
          this.push(slice);
          this.#remaining -= take;
          offset += take;
          if (this.#remaining === 0) this.#state = 'data-end';
          continue;
        }
        if (this.#state === 'done') throw malformedChunk('data after the final chunk');
        const end = chunk.indexOf(0x0a, offset);
        const stop = end === -1 ? chunk.length : end + 1;
        this.#lineLength += stop - offset;
        if (this.#lineLength > MAX_LINE) throw malformedChunk('line too long');
        this.#line.push(chunk.subarray(offset, stop));
        offset = stop;
        if (end === -1) break;
        const line = Buffer.concat(this.#line);
        this.#line = [];
        this.#lineLength = 0;
        if (line.length < 2 || !line.subarray(line.length - 2).equals(CRLF)) {
          throw malformedChunk('lines must end with CRLF');
        }
        this.#onLine(line.subarray(0, line.length - 2).toString('latin1'));
      }
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    done(this.#state === 'done' ? null : incompleteBody());
  }

  #onLine(line: string): void {
    switch (this.#state) {
      case 'header':
        this.#onHeader(line);
        return;
      case 'data-end':
        if (line !== '') throw malformedChunk('chunk data longer than its size');
        this.#verifyChunk();
        this.#state = 'header';
        return;
      case 'trailer':
        this.#onTrailer(line);
        return;
      default:
        throw malformedChunk('unexpected line');
    }
  }

  #onHeader(line: string): void {
    const [sizeText = '', ...extensions] = line.split(';');
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw malformedChunk('invalid chunk size');
    const size = Number.parseInt(sizeText, 16);
    if (!Number.isSafeInteger(size)) throw malformedChunk('invalid chunk size');
    if (this.signing) {
      const signature = extensions.find((e) => e.startsWith('chunk-signature='))?.slice(16);
      if (!signature || !/^[0-9a-f]{64}$/.test(signature)) {
        throw malformedChunk('every chunk needs a chunk-signature');
      }
      this.#chunkSignature = signature;
      this.#chunkHash = createHash('sha256');
    }
    if (size === 0) {
      this.#verifyChunk();
      this.#state = 'trailer';
      return;
    }
    this.#remaining = size;
    this.#state = 'data';
  }

  /** Checks the chunk just read: HMAC of its hash chained to the previous signature. */
  #verifyChunk(): void {
    if (!this.signing || !this.#chunkHash) return;
    const { key, timestamp, scope } = this.signing;
    const toSign = [
      'AWS4-HMAC-SHA256-PAYLOAD',
      timestamp,
      scope,
      this.#previous,
      EMPTY_SHA256,
      this.#chunkHash.digest('hex'),
    ].join('\n');
    this.#chunkHash = undefined;
    if (!timingSafeEqual(hmac(key, toSign), Buffer.from(this.#chunkSignature, 'hex'))) {
      throw signatureDoesNotMatch();
    }
    this.#previous = this.#chunkSignature;
  }

  #onTrailer(line: string): void {
    if (line === '') {
      // Signed trailers may start after an empty line; the first empty line after them ends.
      if (this.expectTrailer && !this.#sawTrailer) return;
      this.#finish();
      return;
    }
    if (!this.expectTrailer) throw malformedChunk('trailing headers were not announced');
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformedChunk('invalid trailing header');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    this.#sawTrailer = true;
    if (name === 'x-amz-trailer-signature') {
      this.#trailerSignature = value;
      return;
    }
    if (this.#trailerSignature !== undefined)
      throw malformedChunk('headers after the trailer signature');
    this.trailers.set(name, value);
  }

  #finish(): void {
    if (this.signing && this.expectTrailer) {
      const signature = this.#trailerSignature;
      if (signature === undefined || !/^[0-9a-f]{64}$/.test(signature)) {
        throw malformedChunk('signed trailers need x-amz-trailer-signature');
      }
      const canonical = [...this.trailers.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, value]) => `${name}:${value}\n`)
        .join('');
      const { key, timestamp, scope } = this.signing;
      const toSign = [
        'AWS4-HMAC-SHA256-TRAILER',
        timestamp,
        scope,
        this.#previous,
        sha256Hex(canonical),
      ].join('\n');
      if (!timingSafeEqual(hmac(key, toSign), Buffer.from(signature, 'hex')))
        throw signatureDoesNotMatch();
    } else if (this.#trailerSignature !== undefined) {
      throw malformedChunk('unexpected trailer signature');
    }
    this.#state = 'done';
  }
}
