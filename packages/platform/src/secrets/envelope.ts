import { randomBytes } from 'node:crypto';
import { type Algorithm, CIPHERS, isAlgorithm, type Sealed } from './ciphers';
import { SecretsError } from './errors';

/**
 * The stored form of a secret, self-describing so that decryption needs no outside hint:
 *
 *   zw1:<algorithm>:<data key id>:<nonce>:<ciphertext>:<tag>     (binary parts base64url)
 *
 * The data key's row names the master key that wraps it. Version, algorithm and data key id
 * are also bound into the AAD with the tenant and the caller's context.
 */
export const FORMAT_VERSION = 'zw1';

export interface Envelope {
  algorithm: Algorithm;
  dataKeyId: string;
  sealed: Sealed;
}

const DATA_KEY_ID = /^dk_[A-Za-z0-9_-]{16}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export const newDataKeyId = () => `dk_${randomBytes(12).toString('base64url')}`;

export function formatEnvelope({ algorithm, dataKeyId, sealed }: Envelope): string {
  const { nonce, ciphertext, tag } = sealed;
  return [FORMAT_VERSION, algorithm, dataKeyId, nonce, ciphertext, tag]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join(':');
}

const malformed = (why: string) =>
  new SecretsError('malformed', `密文格式无效 · Malformed ciphertext: ${why}`);

/** Canonical base64url only: a second spelling of the same bytes is rejected. */
function decodePart(text: string, name: string): Buffer {
  const bytes = Buffer.from(text, 'base64url');
  if (!BASE64URL.test(text) || bytes.toString('base64url') !== text)
    throw malformed(`${name} is not base64url`);
  return bytes;
}

export function parseEnvelope(text: string): Envelope {
  if (typeof text !== 'string') throw malformed('not a string');
  const parts = text.split(':');
  if (parts.length !== 6 || parts[0] !== FORMAT_VERSION)
    throw malformed(`expected ${FORMAT_VERSION}:<algorithm>:<key>:<nonce>:<ciphertext>:<tag>`);
  const [, algorithm, dataKeyId, nonce, ciphertext, tag] = parts as [string, ...string[]];
  if (!isAlgorithm(algorithm!)) throw malformed('unknown algorithm');
  if (!DATA_KEY_ID.test(dataKeyId!)) throw malformed('bad data key id');
  const cipher = CIPHERS[algorithm];
  const sealed = {
    nonce: decodePart(nonce!, 'nonce'),
    ciphertext: decodePart(ciphertext!, 'ciphertext'),
    tag: decodePart(tag!, 'tag'),
  };
  if (sealed.nonce.length !== cipher.nonceLength) throw malformed('bad nonce length');
  if (sealed.tag.length !== cipher.tagLength) throw malformed('bad tag length');
  return { algorithm, dataKeyId: dataKeyId!, sealed };
}
