import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database';
import type { DataKeyRow } from '../db/schema';
import { type DataKey, DataKeyCache } from './cache';
import {
  type Algorithm,
  associatedData,
  CIPHERS,
  type CryptoMode,
  MODE_ALGORITHM,
} from './ciphers';
import { FORMAT_VERSION, formatEnvelope, newDataKeyId, parseEnvelope } from './envelope';
import { SecretsError, tamperedError } from './errors';
import type { MasterKey, MasterKeyring } from './master-key';
import {
  countByMasterKey,
  findDataKey,
  findTenantDataKey,
  insertDataKey,
  lockForRewrap,
  saveRewrapped,
} from './store';
import { unwrapDataKey, wrapDataKey } from './wrapping';

export interface KeyringOptions {
  masterKeys: MasterKeyring;
  /** `ZW_CRYPTO`: the algorithm of new secrets (default `aes`); any stored one still decrypts. */
  mode?: CryptoMode;
  /** How many unwrapped data keys stay in memory (default 1000); 0 turns the cache off. */
  cacheSize?: number;
  /** For how long (default 5 minutes). */
  cacheTtlMs?: number;
  /**
   * Called when a data key names a master key id this keyring lacks, e.g. to re-read the
   * key file after another process ran `addMasterKeyToFile`.
   */
  reloadMasterKeys?: () => Promise<MasterKeyring>;
}

export interface RotationResult {
  /** The master key that now wraps the data keys. */
  masterKeyId: string;
  /** Data keys this call re-wrapped. */
  rewrapped: number;
  /** Data keys still wrapped with another master key (another rotation still running, or a
   * replica whose configuration puts an older key first). */
  remaining: number;
}

const PG_FOREIGN_KEY_VIOLATION = '23503';

function requireText(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string' || value === '')
    throw new TypeError(`${name} must be a non-empty string`);
}

/**
 * Envelope encryption of tenants' secrets (binding credentials and the like): each tenant has
 * a random 256-bit data key per algorithm, stored in `data_keys` wrapped by the current
 * master key. Ciphertexts are bound to tenant and `context` (say `binding:bnd_…`), so one
 * copied to another row or tenant does not decrypt.
 */
export class Keyring {
  readonly mode: CryptoMode;
  #masterKeys: MasterKeyring;
  readonly #cache: DataKeyCache;
  readonly #reload: (() => Promise<MasterKeyring>) | undefined;
  /** Row look-ups in flight, shared by concurrent callers (rows hold wrapped keys only). */
  readonly #loading = new Map<string, Promise<DataKeyRow | undefined>>();

  constructor(
    private readonly db: Db,
    options: KeyringOptions,
  ) {
    this.mode = options.mode ?? 'aes';
    if (!Object.hasOwn(MODE_ALGORITHM, this.mode))
      throw new TypeError(`ZW_CRYPTO must be aes or gm, not ${JSON.stringify(this.mode)}`);
    this.#masterKeys = options.masterKeys;
    this.#cache = new DataKeyCache(options.cacheSize ?? 1000, options.cacheTtlMs ?? 300_000);
    this.#reload = options.reloadMasterKeys;
  }

  /** Encrypts `plaintext` for `tenantId`; `context` names the record it is stored in. */
  async encrypt(tenantId: string, plaintext: Uint8Array, context: string): Promise<string> {
    requireText(tenantId, 'tenantId');
    requireText(context, 'context');
    const algorithm = MODE_ALGORITHM[this.mode];
    const seal = (key: DataKey) =>
      formatEnvelope({
        algorithm,
        dataKeyId: key.id,
        sealed: CIPHERS[algorithm].seal(
          key.keys,
          Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength),
          associatedData(FORMAT_VERSION, algorithm, key.id, tenantId, context),
        ),
      });
    const cached = this.#cache.forTenant(tenantId, algorithm);
    if (cached) return seal(cached);
    const row = await this.#once(
      `tenant:${tenantId}|${algorithm}`,
      async () =>
        (await findTenantDataKey(this.db, tenantId, algorithm)) ??
        (await this.#createDataKey(tenantId, algorithm)),
    );
    return this.#use(row!, seal);
  }

  /** The plaintext of `ciphertext`, given the same tenant and context it was encrypted with. */
  async decrypt(tenantId: string, ciphertext: string, context: string): Promise<Buffer> {
    requireText(tenantId, 'tenantId');
    requireText(context, 'context');
    const { algorithm, dataKeyId, sealed } = parseEnvelope(ciphertext);
    const open = (key: DataKey) => {
      if (key.tenantId !== tenantId) throw wrongTenant();
      // A header naming another algorithm than the key's own was forged.
      if (key.algorithm !== algorithm) throw tamperedError();
      return CIPHERS[algorithm].open(
        key.keys,
        sealed,
        associatedData(FORMAT_VERSION, algorithm, dataKeyId, tenantId, context),
      );
    };
    const cached = this.#cache.get(dataKeyId);
    if (cached) return open(cached);
    const row = await this.#once(`id:${dataKeyId}`, () => findDataKey(this.db, dataKeyId));
    if (!row)
      throw new SecretsError(
        'unknown_data_key',
        `数据密钥 ${dataKeyId} 不存在 · Data key ${dataKeyId} does not exist`,
      );
    // Checked before unwrapping: another tenant's key is never unwrapped on this tenant's behalf.
    if (row.tenant_id !== tenantId) throw wrongTenant();
    return this.#use(row, open);
  }

  async encryptJson(tenantId: string, value: unknown, context: string): Promise<string> {
    const plaintext = Buffer.from(JSON.stringify(value), 'utf8');
    try {
      return await this.encrypt(tenantId, plaintext, context);
    } finally {
      plaintext.fill(0);
    }
  }

  async decryptJson<T = unknown>(
    tenantId: string,
    ciphertext: string,
    context: string,
  ): Promise<T> {
    const plaintext = await this.decrypt(tenantId, ciphertext, context);
    try {
      return JSON.parse(plaintext.toString('utf8')) as T;
    } finally {
      plaintext.fill(0);
    }
  }

  /**
   * Re-wraps every data key not wrapped with the current master key, `batchSize` rows per
   * transaction. Encryption and decryption go on meanwhile, here and on other replicas (a
   * row's key and its master key id change together; the data keys themselves do not), and
   * several rotations at once share the work. Every replica must know the new master key
   * before this runs.
   */
  async rotateMasterKey({ batchSize = 100 }: { batchSize?: number } = {}): Promise<RotationResult> {
    const target = this.#masterKeys.current;
    let rewrapped = 0;
    for (;;) {
      const count = await this.db.transaction().execute(async (trx) => {
        const rows = await lockForRewrap(trx, target.id, batchSize);
        const updates: { id: string; wrapped: Buffer }[] = [];
        for (const row of rows) {
          const master = await this.#masterKey(row);
          const secret = unwrapDataKey(master, row, row.wrapped);
          try {
            updates.push({ id: row.id, wrapped: wrapDataKey(target, row, secret) });
          } finally {
            secret.fill(0);
          }
        }
        await saveRewrapped(trx, target.id, updates);
        return rows.length;
      });
      if (count === 0) break;
      rewrapped += count;
    }
    const inUse = await countByMasterKey(this.db);
    const remaining = Object.entries(inUse)
      .filter(([id]) => id !== target.id)
      .reduce((sum, [, n]) => sum + n, 0);
    return { masterKeyId: target.id, rewrapped, remaining };
  }

  /** Data keys per master key id: an old master key can leave the configuration at 0. */
  masterKeysInUse(): Promise<Record<string, number>> {
    return countByMasterKey(this.db);
  }

  /** Swaps the master keys at run time (e.g. on SIGHUP after the configuration changed). */
  useMasterKeys(masterKeys: MasterKeyring): void {
    this.#masterKeys = masterKeys;
  }

  /** Wipes the unwrapped data keys held in memory. */
  close(): void {
    this.#cache.clear();
  }

  #once(slot: string, load: () => Promise<DataKeyRow | undefined>) {
    let pending = this.#loading.get(slot);
    if (!pending) {
      pending = load().finally(() => this.#loading.delete(slot));
      this.#loading.set(slot, pending);
    }
    return pending;
  }

  /**
   * Unwraps `row` (unless cached meanwhile) and runs `use` on the key synchronously, then
   * caches it: no key is held across an `await`, where eviction could wipe it.
   */
  async #use<T>(row: DataKeyRow, use: (key: DataKey) => T): Promise<T> {
    const master = await this.#masterKey(row);
    const cached = this.#cache.get(row.id);
    if (cached) return use(cached);
    const secret = unwrapDataKey(master, row, row.wrapped);
    const key: DataKey = {
      id: row.id,
      tenantId: row.tenant_id,
      algorithm: row.algorithm,
      keys: CIPHERS[row.algorithm].deriveKeys(secret, 'data-key'),
    };
    secret.fill(0);
    try {
      return use(key);
    } finally {
      this.#cache.set(key);
    }
  }

  async #masterKey(row: DataKeyRow): Promise<MasterKey> {
    let master = this.#masterKeys.get(row.master_key_id);
    if (!master && this.#reload) {
      this.#masterKeys = await this.#reload();
      master = this.#masterKeys.get(row.master_key_id);
    }
    if (master) return master;
    throw new SecretsError(
      'unknown_master_key',
      `未配置主密钥 ${row.master_key_id}（数据密钥 ${row.id} 由它加密） · Master key ${row.master_key_id} is not configured; it wraps data key ${row.id}`,
    );
  }

  async #createDataKey(tenantId: string, algorithm: Algorithm): Promise<DataKeyRow> {
    const master = this.#masterKeys.current;
    const identity = { id: newDataKeyId(), tenant_id: tenantId, algorithm };
    const secret = randomBytes(32);
    let wrapped: Buffer;
    try {
      wrapped = wrapDataKey(master, identity, secret);
    } finally {
      secret.fill(0);
    }
    try {
      return await insertDataKey(this.db, { ...identity, master_key_id: master.id, wrapped });
    } catch (error) {
      if ((error as { code?: string }).code === PG_FOREIGN_KEY_VIOLATION)
        throw new SecretsError('unknown_tenant', `租户不存在 · Tenant ${tenantId} not found`);
      throw error;
    }
  }
}

const wrongTenant = () =>
  new SecretsError('wrong_tenant', '密文不属于该租户 · Ciphertext belongs to another tenant');
