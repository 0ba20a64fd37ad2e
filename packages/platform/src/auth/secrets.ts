import * as crypto from 'node:crypto';

/** A new API token: `zw_` and 43 base64url characters (256 bits). */
export function newTokenSecret(): string {
  return `zw_${crypto.randomBytes(32).toString('base64url')}`;
}

/**
 * One-shot SHA-256 (Node ≥ 20.12): about half the cost of a `Hash` object, and every
 * authenticated request hashes its token.
 */
const sha256Hex: (data: string) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'hex')
    : (data) => crypto.createHash('sha256').update(data).digest('hex');

/**
 * What is stored of a token: its SHA-256. The secret has 256 bits of entropy, so a fast
 * hash is enough (no password-style stretching needed) and lookups stay O(1).
 */
export function hashSecret(secret: string): string {
  return sha256Hex(secret);
}

/** The recognisable part shown in lists: the first 8 characters after `zw_`. */
export const prefixOf = (secret: string) => secret.slice(3, 11);
