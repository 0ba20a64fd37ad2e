export { ALGORITHMS, type Algorithm, type CryptoMode } from './ciphers';
export { FORMAT_VERSION } from './envelope';
export { SecretsError, type SecretsErrorCode } from './errors';
export { Keyring, type KeyringOptions, type RotationResult } from './keyring';
export {
  addMasterKeyToFile,
  loadOrCreateMasterKey,
  MasterKey,
  MasterKeyring,
  parseMasterKeys,
} from './master-key';
