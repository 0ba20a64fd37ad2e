import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys: 32 random bytes, shown once, stored only as SHA-256. A fast hash is enough for
 * keys with 256 bits of entropy (no dictionary to attack, unlike passwords), and it lets
 * the key be looked up by its hash.
 */

const KEY_PREFIX = 'zws_';

export function newApiKey() {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashApiKey(key), displayPrefix: key.slice(0, KEY_PREFIX.length + 8) };
}

/** @param {string} key */
export function hashApiKey(key) {
  return createHash('sha256').update(key).digest('hex');
}

/** @param {string} key */
export const looksLikeApiKey = (key) => /^zws_[A-Za-z0-9_-]{43}$/.test(key);

/**
 * Compares a presented admin token with the configured one in constant time.
 * @param {string | undefined} presented
 * @param {string} expected
 */
export function sameSecret(presented, expected) {
  if (!presented) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
