import { createHash, randomBytes } from 'node:crypto';

/** A binding's password: 24 bytes from the CSPRNG (192 bits), URL-safe so URIs need no escaping. */
export function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

const sha1 = (data: string | Buffer) => createHash('sha1').update(data).digest();

/**
 * The `mysql_native_password` hash of `password` (`*` + hex SHA1(SHA1(password))), given to
 * `IDENTIFIED BY PASSWORD` so the plaintext never reaches the server and its logs.
 */
export function nativePasswordHash(password: string): string {
  return `*${sha1(sha1(password)).toString('hex').toUpperCase()}`;
}
