/** Why a secrets operation failed. Messages name key ids only, never key material. */
export type SecretsErrorCode =
  /** Not a `zw1:` ciphertext, or a part of it has the wrong length or encoding. */
  | 'malformed'
  /** Authentication failed: ciphertext, nonce, tag, tenant or context changed. */
  | 'tampered'
  /** The ciphertext names a data key of another tenant. */
  | 'wrong_tenant'
  /** The ciphertext names a data key that does not exist (deleted with its tenant?). */
  | 'unknown_data_key'
  /** A data key is wrapped with a master key id this process is not configured with. */
  | 'unknown_master_key'
  /** The configured master key does not unwrap the data key: wrong key, or the row was altered. */
  | 'unwrap_failed'
  /** A data key was asked for a tenant that does not exist. */
  | 'unknown_tenant'
  /** A master key in the configuration is unusable. */
  | 'invalid_master_key';

export class SecretsError extends Error {
  override readonly name = 'SecretsError';
  constructor(
    readonly code: SecretsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const tamperedError = () =>
  new SecretsError(
    'tampered',
    '密文校验失败（已被篡改，或租户、上下文不符） · Ciphertext failed authentication (tampered, or wrong tenant or context)',
  );
