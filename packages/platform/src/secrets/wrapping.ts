import { type Algorithm, associatedData, CIPHERS } from './ciphers';
import { SecretsError } from './errors';
import type { MasterKey } from './master-key';

/** What identifies a data key; bound into its wrapping so a row copied elsewhere won't unwrap. */
export interface DataKeyIdentity {
  id: string;
  tenant_id: string;
  algorithm: Algorithm;
}

const wrapAad = (key: DataKeyIdentity, masterKeyId: string) =>
  associatedData('zhengwu/data-key', key.tenant_id, key.id, key.algorithm, masterKeyId);

/**
 * Encrypts a data key's secret with the master key, in the data key's own algorithm family
 * (a 国密 data key is wrapped with SM4 + HMAC-SM3). Stored as nonce ‖ ciphertext ‖ tag.
 */
export function wrapDataKey(master: MasterKey, key: DataKeyIdentity, secret: Buffer): Buffer {
  const cipher = CIPHERS[key.algorithm];
  const { nonce, ciphertext, tag } = cipher.seal(
    master.wrapKeys(key.algorithm),
    secret,
    wrapAad(key, master.id),
  );
  return Buffer.concat([nonce, ciphertext, tag]);
}

/** The data key's secret (the caller wipes it), or `unwrap_failed`. */
export function unwrapDataKey(master: MasterKey, key: DataKeyIdentity, wrapped: Buffer): Buffer {
  const cipher = CIPHERS[key.algorithm];
  const failed = () =>
    new SecretsError(
      'unwrap_failed',
      `主密钥 ${master.id} 无法解开数据密钥 ${key.id}（主密钥错误，或记录被改动） · Master key ${master.id} cannot unwrap data key ${key.id}: wrong master key, or the row was altered`,
    );
  if (wrapped.length !== cipher.nonceLength + 32 + cipher.tagLength) throw failed();
  const sealed = {
    nonce: wrapped.subarray(0, cipher.nonceLength),
    ciphertext: wrapped.subarray(cipher.nonceLength, cipher.nonceLength + 32),
    tag: wrapped.subarray(cipher.nonceLength + 32),
  };
  try {
    return cipher.open(master.wrapKeys(key.algorithm), sealed, wrapAad(key, master.id));
  } catch {
    throw failed();
  }
}
