import { createHash, createHmac, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/** A binding's password: 24 bytes from the CSPRNG (192 bits), URL-safe so URIs need no escaping. */
export function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

/** PostgreSQL's default SCRAM iteration count. */
const ITERATIONS = 4096;

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();

/**
 * The SCRAM-SHA-256 verifier of `password` in PostgreSQL's stored form (RFC 5802 / 7677),
 * the way psql's `\password` sends it: the server stores it as given, so the plaintext never
 * reaches the server — nor its log, which prints a failed statement in full. The password is
 * ASCII (base64url), for which SASLprep changes nothing.
 */
export async function scramVerifier(password: string): Promise<string> {
  const salt = randomBytes(16);
  const salted = await pbkdf2Async(password, salt, ITERATIONS, 32, 'sha256');
  const storedKey = createHash('sha256').update(hmac(salted, 'Client Key')).digest();
  const serverKey = hmac(salted, 'Server Key');
  const b64 = (b: Buffer) => b.toString('base64');
  return `SCRAM-SHA-256$${ITERATIONS}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}
