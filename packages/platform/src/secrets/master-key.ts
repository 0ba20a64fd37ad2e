import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { type Algorithm, CIPHERS, type CipherKeys } from './ciphers';
import { SecretsError } from './errors';

/** The id of a lone key given without one (`ZW_MASTER_KEY=<key>`, or a freshly generated file). */
export const FIRST_MASTER_KEY_ID = 'mk1';
const ID = /^[A-Za-z0-9_-]{1,32}$/;
const HEX = /^[0-9a-f]{64}$/i;
const BASE64 = /^[A-Za-z0-9+/_-]{43}=?$/;

/** Secret bytes stay here, out of reach of `console.log`, `JSON.stringify` and spreads. */
const secrets = new WeakMap<MasterKey, Buffer>();

/**
 * A 256-bit key-encryption key with its id. Data keys are never encrypted with it directly:
 * each algorithm family wraps with keys derived from it (HKDF-SHA256 for AES, HKDF-SM3 for
 * SM4 + HMAC-SM3), so the two families never share a key.
 */
export class MasterKey {
  readonly #wrapKeys = new Map<Algorithm, CipherKeys>();

  constructor(
    readonly id: string,
    secret: Buffer,
  ) {
    if (!ID.test(id))
      throw new SecretsError(
        'invalid_master_key',
        `主密钥 id 无效 · Master key id must be 1–32 letters, digits, '-' or '_': ${JSON.stringify(id.slice(0, 40))}`,
      );
    if (secret.length !== 32)
      throw new SecretsError(
        'invalid_master_key',
        `主密钥 ${id} 须为 256 位 · Master key ${id} must be 256 bits (64 hex characters or base64)`,
      );
    secrets.set(this, Buffer.from(secret));
  }

  /** The wrapping keys for one algorithm family, derived once. */
  wrapKeys(algorithm: Algorithm): CipherKeys {
    let keys = this.#wrapKeys.get(algorithm);
    if (!keys) {
      keys = CIPHERS[algorithm].deriveKeys(secrets.get(this)!, 'master-key');
      this.#wrapKeys.set(algorithm, keys);
    }
    return keys;
  }

  toJSON() {
    return { id: this.id };
  }

  [inspect.custom]() {
    return `MasterKey(${this.id})`;
  }
}

/** The configured master keys: the first wraps new data keys, every one still unwraps. */
export class MasterKeyring {
  readonly #byId = new Map<string, MasterKey>();

  constructor(readonly keys: readonly MasterKey[]) {
    if (keys.length === 0)
      throw new SecretsError('invalid_master_key', '未配置主密钥 · No master key configured');
    for (const key of keys) {
      if (this.#byId.has(key.id))
        throw new SecretsError(
          'invalid_master_key',
          `主密钥 id 重复 · Master key id ${key.id} appears twice`,
        );
      this.#byId.set(key.id, key);
    }
  }

  get current(): MasterKey {
    return this.keys[0]!;
  }

  get(id: string): MasterKey | undefined {
    return this.#byId.get(id);
  }

  get ids(): string[] {
    return this.keys.map((k) => k.id);
  }
}

function decodeSecret(id: string, text: string): Buffer {
  if (HEX.test(text)) return Buffer.from(text, 'hex');
  if (BASE64.test(text))
    return Buffer.from(
      text.replace(/[-_]/g, (c) => (c === '-' ? '+' : '/')),
      'base64',
    );
  throw new SecretsError(
    'invalid_master_key',
    `主密钥 ${id} 须为 256 位 · Master key ${id} must be 256 bits (64 hex characters or base64)`,
  );
}

/**
 * Parses `ZW_MASTER_KEY` (or the key file): one key in hex or base64, or a keyring
 * `mk2:<key>,mk1:<key>` (commas or newlines) whose first entry is current.
 */
export function parseMasterKeys(text: string): MasterKeyring {
  const entries = text.split(/[\s,]+/).filter(Boolean);
  return new MasterKeyring(
    entries.map((entry) => {
      const colon = entry.indexOf(':');
      if (colon < 0 && entries.length === 1)
        return new MasterKey(FIRST_MASTER_KEY_ID, decodeSecret(FIRST_MASTER_KEY_ID, entry));
      if (colon < 0)
        throw new SecretsError(
          'invalid_master_key',
          '主密钥环的每一项须为 id:key · Each entry of a master keyring must be id:key',
        );
      const id = entry.slice(0, colon);
      return new MasterKey(id, decodeSecret(id, entry.slice(colon + 1)));
    }),
  );
}

/** The key file's text: one `id:hex` line per key, current first. */
function formatMasterKeys(ring: MasterKeyring): string {
  return ring.keys.map((k) => `${k.id}:${secrets.get(k)!.toString('hex')}\n`).join('');
}

const keyFile = (dataDir: string) => join(dataDir, 'master-key');

/** Writes the ring to a new private file beside the key file; returns its path. */
async function writeTemporary(dataDir: string, ring: MasterKeyring): Promise<string> {
  const path = `${keyFile(dataDir)}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(path, formatMasterKeys(ring), { mode: 0o600, flag: 'wx' });
  return path;
}

/**
 * The master keys: parsed from `configured` (`ZW_MASTER_KEY`) when set, else read from
 * `<dataDir>/master-key`, which is created once (mode 600) with a random key `mk1`. In
 * production, set `ZW_MASTER_KEY` from the key service so the data dir alone cannot unwrap.
 */
export async function loadOrCreateMasterKey(
  dataDir: string,
  configured?: string,
): Promise<MasterKeyring> {
  if (configured?.trim()) return parseMasterKeys(configured);
  const file = keyFile(dataDir);
  if (!existsSync(file)) {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const ring = new MasterKeyring([new MasterKey(FIRST_MASTER_KEY_ID, randomBytes(32))]);
    const temporary = await writeTemporary(dataDir, ring);
    try {
      // `link` publishes the complete file or fails if it exists: when two processes start
      // at once, one creates it and both use it; a crash never leaves a half-written key.
      await link(temporary, file);
      return ring;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(temporary);
    }
  }
  return parseMasterKeys(await readFile(file, 'utf8'));
}

/**
 * File-based rotation: puts a new random key (`mk<n+1>`) in front of the key
 * file's keys, keeping the old ones: data keys wrapped with them (also by a process that has
 * not reloaded the file yet) still unwrap. Replaces the file atomically (mode 600).
 */
export async function addMasterKeyToFile(dataDir: string): Promise<MasterKeyring> {
  const old = await loadOrCreateMasterKey(dataDir);
  const next = Math.max(0, ...old.ids.map((id) => Number(/^mk(\d+)$/.exec(id)?.[1] ?? 0))) + 1;
  const ring = new MasterKeyring([new MasterKey(`mk${next}`, randomBytes(32)), ...old.keys]);
  await rename(await writeTemporary(dataDir, ring), keyFile(dataDir));
  return ring;
}
