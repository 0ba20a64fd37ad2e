import { createHash, randomBytes } from 'node:crypto';

/** A new API token: `zw_` and 43 base64url characters (256 bits). */
export function newTokenSecret(): string {
  return `zw_${randomBytes(32).toString('base64url')}`;
}

/**
 * What is stored of a token: its SHA-256. The secret has 256 bits of entropy, so a fast
 * hash is enough (no password-style stretching needed) and lookups stay O(1).
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The recognisable part shown in lists: the first 8 characters after `zw_`. */
export const prefixOf = (secret: string) => secret.slice(3, 11);
