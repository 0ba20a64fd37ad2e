import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { tamperedError } from './errors';

/**
 * The two authenticated constructions, named as they appear in ciphertexts and `data_keys`:
 * - `a256gcm`: AES-256-GCM, 96-bit random nonce, 128-bit tag.
 * - `sm4ctr-hsm3`: 国密 SM4-CTR (GB/T 32907) with a 128-bit random IV, then HMAC-SM3
 *   (GB/T 32905) over AAD, IV and ciphertext (encrypt-then-MAC), 256-bit tag.
 * Both come from Node's OpenSSL; nothing here is hand-rolled beyond composing them.
 */
export const ALGORITHMS = ['a256gcm', 'sm4ctr-hsm3'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** `ZW_CRYPTO`: which algorithm new data (and new data keys) use. */
export type CryptoMode = 'aes' | 'gm';
export const MODE_ALGORITHM: Record<CryptoMode, Algorithm> = {
  aes: 'a256gcm',
  gm: 'sm4ctr-hsm3',
};

export const isAlgorithm = (value: string): value is Algorithm =>
  (ALGORITHMS as readonly string[]).includes(value);

/** Working keys of one construction: `mac` only for encrypt-then-MAC. */
export interface CipherKeys {
  enc: Buffer;
  mac?: Buffer;
}

export interface Sealed {
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

interface Cipher {
  nonceLength: number;
  tagLength: number;
  /** Working keys from a 256-bit secret; `purpose` separates keys made from the same secret. */
  deriveKeys(secret: Buffer, purpose: string): CipherKeys;
  seal(keys: CipherKeys, plaintext: Buffer, aad: Buffer): Sealed;
  /** The plaintext, or throws `tampered`. */
  open(keys: CipherKeys, sealed: Sealed, aad: Buffer): Buffer;
}

const tampered = tamperedError;

const hkdf = (digest: string, secret: Buffer, info: string, length: number) =>
  Buffer.from(hkdfSync(digest, secret, Buffer.alloc(0), info, length));

const aes: Cipher = {
  nonceLength: 12,
  tagLength: 16,
  deriveKeys: (secret, purpose) => ({
    enc: hkdf('sha256', secret, `zhengwu/${purpose}/aes-256-gcm`, 32),
  }),
  seal(keys, plaintext, aad) {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', keys.enc, nonce, { authTagLength: 16 });
    cipher.setAAD(aad);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { nonce, ciphertext, tag: cipher.getAuthTag() };
  },
  open(keys, { nonce, ciphertext, tag }, aad) {
    // A fixed tag length: GCM would otherwise accept a truncated (forgeable) tag.
    if (nonce.length !== 12 || tag.length !== 16) throw tampered();
    const decipher = createDecipheriv('aes-256-gcm', keys.enc, nonce, { authTagLength: 16 });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const plaintext = decipher.update(ciphertext);
    try {
      return Buffer.concat([plaintext, decipher.final()]);
    } catch {
      plaintext.fill(0);
      throw tampered();
    }
  },
};

/** HMAC-SM3 input: AAD length-prefixed, so no split of AAD and ciphertext collides. */
function sm3Tag(mac: Buffer, aad: Buffer, nonce: Buffer, ciphertext: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(aad.length);
  return createHmac('sm3', mac)
    .update(length)
    .update(aad)
    .update(nonce)
    .update(ciphertext)
    .digest();
}

const gm: Cipher = {
  nonceLength: 16,
  tagLength: 32,
  // SM4 takes a 128-bit key; separate encryption and MAC keys via HKDF-SM3.
  deriveKeys: (secret, purpose) => ({
    enc: hkdf('sm3', secret, `zhengwu/${purpose}/sm4-ctr`, 16),
    mac: hkdf('sm3', secret, `zhengwu/${purpose}/hmac-sm3`, 32),
  }),
  seal(keys, plaintext, aad) {
    const nonce = randomBytes(16);
    const cipher = createCipheriv('sm4-ctr', keys.enc, nonce);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { nonce, ciphertext, tag: sm3Tag(keys.mac!, aad, nonce, ciphertext) };
  },
  open(keys, { nonce, ciphertext, tag }, aad) {
    if (nonce.length !== 16 || tag.length !== 32) throw tampered();
    // Verify before decrypting (encrypt-then-MAC), in constant time.
    if (!timingSafeEqual(sm3Tag(keys.mac!, aad, nonce, ciphertext), tag)) throw tampered();
    const decipher = createDecipheriv('sm4-ctr', keys.enc, nonce);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  },
};

export const CIPHERS: Record<Algorithm, Cipher> = { a256gcm: aes, 'sm4ctr-hsm3': gm };

/** Overwrites working keys once they are no longer needed. */
export function wipe(keys: CipherKeys): void {
  keys.enc.fill(0);
  keys.mac?.fill(0);
}

/** Associated data from parts, each length-prefixed so that no two part lists encode alike. */
export function associatedData(...parts: string[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const bytes = Buffer.from(part, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    chunks.push(length, bytes);
  }
  return Buffer.concat(chunks);
}
