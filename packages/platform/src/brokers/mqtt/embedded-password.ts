import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashes for the embedded MQTT broker's users: scrypt, stored as
 * `scrypt$<N>$<r>$<p>$<salt>$<hash>` (base64url) so the cost can change without breaking
 * stored hashes. Passwords are 192 random bits, so the cost only has to make a stolen
 * credential file useless, not slow down guessing; N = 2^12 (4 MiB, ≈10 ms here; 2^14 took
 * ≈40–80 ms) keeps a reconnect storm of devices affordable, since every CONNECT pays it.
 */
const COST = { N: 4096, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(password: Buffer, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(Buffer.from(password, 'utf8'), salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')]
    .map(String)
    .join('$');
}

/** Whether `password` matches `stored`; false for any malformed hash. */
export async function verifyPassword(password: Buffer, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  }).catch(() => undefined);
  return key !== undefined && key.length === expected.length && timingSafeEqual(key, expected);
}

/** Verified against when the username is unknown, so a miss costs as much as a hit. */
export const UNKNOWN_USER_HASH = `scrypt$${COST.N}$${COST.r}$${COST.p}$${randomBytes(16).toString('base64url')}$${randomBytes(KEY_LENGTH).toString('base64url')}`;
