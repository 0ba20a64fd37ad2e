import { randomBytes } from 'node:crypto';
import {
  type Algorithm,
  associatedData,
  CIPHERS,
  type CipherKeys,
  isAlgorithm,
} from '../../secrets/ciphers';
import { tamperedError } from '../../secrets/errors';

/** What a bucket encrypts new objects with: its own 256-bit key and the configured algorithm. */
export interface BucketSealing {
  key: Buffer;
  algorithm: Algorithm;
}

/**
 * Bucket keys at rest: each bucket has a random 256-bit key, kept in its `bucket.json`
 * sealed with a key derived from the store key (bound to the bucket's name). Removing a
 * bucket removes its key: what a backup still holds of its objects can no longer be read.
 */
export class BucketKeys {
  readonly #wrapKeys = new Map<Algorithm, CipherKeys>();

  constructor(
    private readonly storeKey: Buffer,
    /** The algorithm new buckets and new objects use (`ZW_CRYPTO`). */
    readonly algorithm: Algorithm,
  ) {}

  /** A new bucket key, and its sealed form for `bucket.json`. */
  create(bucket: string): { key: Buffer; sealed: string } {
    const key = randomBytes(32);
    const { nonce, ciphertext, tag } = CIPHERS[this.algorithm].seal(
      this.#wrapKeysOf(this.algorithm),
      key,
      associatedData('objstore/bucket-key', bucket),
    );
    const sealed = [this.algorithm, nonce, ciphertext, tag]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
    return { key, sealed };
  }

  /** The bucket key from its sealed form; throws `tampered` if it was altered or moved. */
  open(bucket: string, sealed: string): Buffer {
    const [algorithm = '', nonce, ciphertext, tag, extra] = sealed.split('.');
    if (!isAlgorithm(algorithm) || !nonce || !ciphertext || !tag || extra !== undefined) {
      throw tamperedError();
    }
    return CIPHERS[algorithm].open(
      this.#wrapKeysOf(algorithm),
      {
        nonce: Buffer.from(nonce, 'base64url'),
        ciphertext: Buffer.from(ciphertext, 'base64url'),
        tag: Buffer.from(tag, 'base64url'),
      },
      associatedData('objstore/bucket-key', bucket),
    );
  }

  #wrapKeysOf(algorithm: Algorithm): CipherKeys {
    let keys = this.#wrapKeys.get(algorithm);
    if (!keys) {
      keys = CIPHERS[algorithm].deriveKeys(this.storeKey, 'objstore/bucket-keys');
      this.#wrapKeys.set(algorithm, keys);
    }
    return keys;
  }
}
