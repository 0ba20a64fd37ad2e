import { hkdfSync, randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import {
  type Algorithm,
  associatedData,
  CIPHERS,
  type CipherKeys,
  isAlgorithm,
  wipe,
} from '../../secrets/ciphers';
import { tamperedError } from '../../secrets/errors';

/**
 * Object data at rest, encrypted (SSE): a file is a header — magic, algorithm, 32-byte random
 * salt — then segments of 64 KiB plaintext, each sealed on its own (`nonce | ciphertext |
 * tag`) with keys derived from the bucket key and the file's salt. The AAD names the
 * segment's index and whether it is the last, so segments cannot be reordered, dropped or
 * cut off unnoticed; a byte range decrypts only the segments it covers.
 * AES-256-GCM by default, 国密 SM4-CTR + HMAC-SM3 with `ZW_CRYPTO=gm` (the constructions
 * of `secrets/ciphers.ts`).
 */

export const SEGMENT = 64 * 1024;
const MAGIC = Buffer.from('ZWS1');
const ALGORITHM_IDS: Record<Algorithm, number> = { a256gcm: 1, 'sm4ctr-hsm3': 2 };
const SALT = 32;
export const HEADER = MAGIC.length + 1 + SALT;
/** Segments read from disk at a time by a ranged read (about 1 MiB). */
const READ_BATCH = 16;

/** The bucket key's working keys for one file, from the salt in the file's header. */
function fileKeys(bucketKey: Buffer, algorithm: Algorithm, salt: Buffer): CipherKeys {
  const digest = algorithm === 'sm4ctr-hsm3' ? 'sm3' : 'sha256';
  const secret = Buffer.from(hkdfSync(digest, bucketKey, salt, 'zhengwu/objstore/file', 32));
  const keys = CIPHERS[algorithm].deriveKeys(secret, 'objstore/segment');
  secret.fill(0);
  return keys;
}

const segmentAad = (index: number, last: boolean) =>
  associatedData('objstore/segment', String(index), last ? 'last' : 'more');

/** Bytes a segment of `length` plaintext bytes takes on disk. */
const sealedLength = (algorithm: Algorithm, length: number) =>
  CIPHERS[algorithm].nonceLength + length + CIPHERS[algorithm].tagLength;

/** Segments of an object of `size` bytes (an empty object has one, empty). */
const segmentCount = (size: number) => Math.max(1, Math.ceil(size / SEGMENT));

/**
 * A writable that seals what it is given into `file` (a fresh file stream): `finish` comes
 * once the file is written and closed, so a caller may rename it right after.
 */
export function sealingSink(file: Writable, bucketKey: Buffer, algorithm: Algorithm): Writable {
  const cipher = CIPHERS[algorithm];
  const salt = randomBytes(SALT);
  const keys = fileKeys(bucketKey, algorithm, salt);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let index = 0;

  let failed: Error | undefined;
  file.on('error', (error) => {
    failed = error;
  });
  /** Writes to the file, calling back once it may take more (or failed). */
  const push = (chunk: Buffer, done: (error?: Error | null) => void) => {
    if (file.write(chunk)) return done();
    const drained = () => {
      file.off('error', errored);
      done();
    };
    const errored = (error: Error) => {
      file.off('drain', drained);
      done(error);
    };
    file.once('drain', drained);
    file.once('error', errored);
  };
  const seal = (plaintext: Buffer, last: boolean): Buffer => {
    const { nonce, ciphertext, tag } = cipher.seal(keys, plaintext, segmentAad(index++, last));
    return Buffer.concat([nonce, ciphertext, tag]);
  };
  /** Seals full segments while more than one segment is buffered (the last one waits for `final`). */
  const sealFull = (): Buffer[] => {
    const out: Buffer[] = [];
    if (pendingBytes <= SEGMENT) return out;
    let buffered = Buffer.concat(pending, pendingBytes);
    while (buffered.length > SEGMENT) {
      out.push(seal(buffered.subarray(0, SEGMENT), false));
      buffered = buffered.subarray(SEGMENT);
    }
    pending = [Buffer.from(buffered)];
    pendingBytes = buffered.length;
    return out;
  };

  const header = Buffer.concat([MAGIC, Buffer.from([ALGORITHM_IDS[algorithm]]), salt]);
  let headerWritten = false;

  return new Writable({
    highWaterMark: SEGMENT,
    write(chunk: Buffer, _encoding, done) {
      if (failed) return done(failed);
      pending.push(chunk);
      pendingBytes += chunk.length;
      const sealed = sealFull();
      if (!headerWritten) {
        headerWritten = true;
        sealed.unshift(header);
      }
      if (sealed.length === 0) return done();
      push(Buffer.concat(sealed), done);
    },
    final(done) {
      if (failed) return done(failed);
      const parts: Buffer[] = headerWritten ? [] : [header];
      parts.push(seal(Buffer.concat(pending, pendingBytes), true));
      pending = [];
      wipe(keys);
      file.once('close', () => done(failed ?? null));
      file.end(Buffer.concat(parts));
    },
    destroy(error, done) {
      wipe(keys);
      file.destroy();
      done(error);
    },
  });
}

/** The algorithm and keys of a sealed file, from its header. */
async function openHeader(
  handle: FileHandle,
  bucketKey: Buffer,
): Promise<{ algorithm: Algorithm; keys: CipherKeys }> {
  const header = Buffer.alloc(HEADER);
  const { bytesRead } = await handle.read(header, 0, HEADER, 0);
  const algorithm = Object.entries(ALGORITHM_IDS).find(
    ([, id]) => id === header[MAGIC.length],
  )?.[0];
  const whole = bytesRead === HEADER && header.subarray(0, MAGIC.length).equals(MAGIC);
  if (!whole || algorithm === undefined || !isAlgorithm(algorithm)) throw tamperedError();
  return { algorithm, keys: fileKeys(bucketKey, algorithm, header.subarray(MAGIC.length + 1)) };
}

/**
 * Bytes `start`–`end` (inclusive) of the plaintext of a sealed file holding `size` bytes.
 * A segment that fails to authenticate fails the stream (`tampered`). The handle closes
 * with the stream.
 */
export function openedRange(
  handle: FileHandle,
  bucketKey: Buffer,
  size: number,
  start: number,
  end: number,
): Readable {
  let keys: CipherKeys | undefined;
  async function* plaintext() {
    try {
      const opened = await openHeader(handle, bucketKey);
      const { algorithm } = opened;
      keys = opened.keys;
      const cipher = CIPHERS[algorithm];
      const count = segmentCount(size);
      const full = sealedLength(algorithm, SEGMENT);
      const lengthOf = (i: number) => (i < count - 1 ? SEGMENT : size - i * SEGMENT);
      const first = Math.floor(start / SEGMENT);
      const last = Math.min(count - 1, Math.floor(end / SEGMENT));
      for (let batch = first; batch <= last; batch += READ_BATCH) {
        const upTo = Math.min(last, batch + READ_BATCH - 1);
        const bytes = (upTo - batch) * full + sealedLength(algorithm, lengthOf(upTo));
        const buffer = Buffer.allocUnsafe(bytes);
        const { bytesRead } = await handle.read(buffer, 0, bytes, HEADER + batch * full);
        if (bytesRead !== bytes) throw tamperedError();
        for (let i = batch; i <= upTo; i++) {
          const at = (i - batch) * full;
          const length = lengthOf(i);
          const plain = cipher.open(
            opened.keys,
            {
              nonce: buffer.subarray(at, at + cipher.nonceLength),
              ciphertext: buffer.subarray(
                at + cipher.nonceLength,
                at + cipher.nonceLength + length,
              ),
              tag: buffer.subarray(
                at + cipher.nonceLength + length,
                at + cipher.nonceLength + length + cipher.tagLength,
              ),
            },
            segmentAad(i, i === count - 1),
          );
          const from = i === first ? start - i * SEGMENT : 0;
          const to = i === last ? end - i * SEGMENT + 1 : length;
          if (to > from) yield from === 0 && to === length ? plain : plain.subarray(from, to);
        }
      }
    } finally {
      if (keys) wipe(keys);
    }
  }
  const stream = Readable.from(plaintext(), { objectMode: false });
  // On end or destroy, even before the first read.
  stream.once('close', () => {
    handle.close().catch(() => {});
  });
  return stream;
}

/** Bytes on disk of a sealed object of `size` plaintext bytes. */
export function sealedSize(algorithm: Algorithm, size: number): number {
  const count = segmentCount(size);
  return (
    HEADER +
    (count - 1) * sealedLength(algorithm, SEGMENT) +
    sealedLength(algorithm, size - (count - 1) * SEGMENT)
  );
}
