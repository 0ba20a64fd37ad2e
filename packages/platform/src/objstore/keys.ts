import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeAtomic } from './store/files';

/** An access key's scope: one bucket, read-write or read-only, owned by one binding version. */
export interface AccessKey {
  accessKeyId: string;
  bucket: string;
  /** Who made it: the binding version's engine name (`zw_b_…_v1`). */
  owner: string;
  readOnly: boolean;
  createdAt: string;
}

export interface AccessKeyWithSecret extends AccessKey {
  secret: string;
}

interface KeyFile {
  version: 1;
  keys: (AccessKey & { sealedSecret: string })[];
}

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` uniform characters of `alphabet` from the CSPRNG (rejection sampling, no bias). */
function randomString(alphabet: string, length: number): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** `AKZW` + 16 uppercase letters and digits: 20 characters, like AWS key ids (≈82 random bits). */
export const newAccessKeyId = (): string => `AKZW${randomString(UPPER_ALNUM, 16)}`;
/** 40 base62 characters (≈238 bits): URL- and header-safe. */
export const newSecret = (): string => randomString(BASE62, 40);

const aad = (accessKeyId: string) => Buffer.from(`zhengwu-objstore-key:${accessKeyId}`);

/**
 * The access keys of the store in `keys.json` (mode 600). SigV4 verification needs each
 * secret itself (HMAC), so secrets are kept recoverable but sealed at rest with AES-256-GCM
 * under the key given to the store; the key id is authenticated data, so a sealed secret
 * moved to another entry does not open. Decrypted secrets live only in memory.
 */
export class AccessKeys {
  readonly #byId = new Map<string, AccessKeyWithSecret>();
  #writes: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly path: string,
    private readonly tmpDir: string,
    private readonly sealingKey: Buffer,
    private readonly fsync: boolean,
  ) {}

  static async open(
    path: string,
    tmpDir: string,
    sealingKey: Buffer,
    fsync: boolean,
  ): Promise<AccessKeys> {
    if (sealingKey.length !== 32) {
      throw new Error(
        '访问密钥加密密钥须为 32 字节 · The access-key sealing key must be 32 bytes (AES-256)',
      );
    }
    const keys = new AccessKeys(path, tmpDir, sealingKey, fsync);
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text !== undefined) {
      const file = JSON.parse(text) as KeyFile;
      for (const { sealedSecret, ...key } of file.keys) {
        keys.#byId.set(key.accessKeyId, {
          ...key,
          secret: keys.#open(key.accessKeyId, sealedSecret),
        });
      }
    }
    return keys;
  }

  #seal(accessKeyId: string, secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealingKey, iv).setAAD(aad(accessKeyId));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return ['v1', iv, sealed, cipher.getAuthTag()]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join(':');
  }

  #open(accessKeyId: string, sealed: string): string {
    const [version, iv, data, tag] = sealed.split(':');
    try {
      if (version !== 'v1' || !iv || !data || !tag) throw new Error('format');
      const decipher = createDecipheriv(
        'aes-256-gcm',
        this.sealingKey,
        Buffer.from(iv, 'base64url'),
      )
        .setAAD(aad(accessKeyId))
        .setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(data, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new Error(
        `无法解密访问密钥 ${accessKeyId}（加密密钥不符？）· Cannot decrypt the secret of access key ${accessKeyId}: wrong sealing key or a damaged keys file`,
      );
    }
  }

  /** The key with its secret, for signature verification. */
  lookup(accessKeyId: string): AccessKeyWithSecret | undefined {
    return this.#byId.get(accessKeyId);
  }

  byOwner(owner: string): AccessKeyWithSecret | undefined {
    for (const key of this.#byId.values()) if (key.owner === owner) return key;
    return undefined;
  }

  list(): AccessKey[] {
    return [...this.#byId.values()].map(({ secret: _secret, ...key }) => key);
  }

  /**
   * Issues a key for `owner` on `bucket`; returns the existing one when the owner has it
   * already (a repeated bind gets the same credentials).
   */
  create(scope: {
    bucket: string;
    owner: string;
    readOnly: boolean;
  }): Promise<AccessKeyWithSecret> {
    return this.#change(() => {
      const existing = this.byOwner(scope.owner);
      if (existing) {
        if (existing.bucket !== scope.bucket || existing.readOnly !== scope.readOnly) {
          throw new Error(
            `访问密钥归属冲突 · Access key owner ${scope.owner} already holds a key with another scope`,
          );
        }
        return existing;
      }
      let accessKeyId = newAccessKeyId();
      while (this.#byId.has(accessKeyId)) accessKeyId = newAccessKeyId();
      const key: AccessKeyWithSecret = {
        accessKeyId,
        ...scope,
        createdAt: new Date().toISOString(),
        secret: newSecret(),
      };
      this.#byId.set(accessKeyId, key);
      return key;
    });
  }

  /** Deletes the keys `which` selects; the change is on disk before this resolves. */
  delete(which: (key: AccessKey) => boolean): Promise<number> {
    return this.#change(() => {
      let removed = 0;
      for (const [id, key] of this.#byId) {
        if (which(key)) {
          this.#byId.delete(id);
          removed++;
        }
      }
      return removed;
    });
  }

  /** Applies a change in memory and persists the whole file; changes run one at a time. */
  #change<T>(apply: () => T): Promise<T> {
    const run = this.#writes.then(async () => {
      const before = new Map(this.#byId);
      const result = apply();
      try {
        await this.#persist();
      } catch (error) {
        this.#byId.clear();
        for (const [id, key] of before) this.#byId.set(id, key);
        throw error;
      }
      return result;
    });
    this.#writes = run.catch(() => {});
    return run;
  }

  async #persist(): Promise<void> {
    const file: KeyFile = {
      version: 1,
      keys: [...this.#byId.values()].map(({ secret, ...key }) => ({
        ...key,
        sealedSecret: this.#seal(key.accessKeyId, secret),
      })),
    };
    await writeAtomic(
      this.tmpDir,
      this.path,
      `${JSON.stringify(file, null, 2)}\n`,
      this.fsync,
      0o600,
    );
  }
}
