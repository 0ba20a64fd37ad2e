import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { keptValue } from '../../kept-file';
import {
  type Algorithm,
  associatedData,
  CIPHERS,
  type CipherKeys,
  isAlgorithm,
} from '../../secrets/ciphers';
import { SecretsError, tamperedError } from '../../secrets/errors';

export interface SealedJournalOptions {
  /** Directory of the file and its key (made with mode 700). */
  dir: string;
  /** `<name>.journal`, key in `<keyFile>`. */
  name: string;
  keyFile: string;
  /** Binds the key and every record to this use (`mqtt/retained`, `mqtt/sessions`). */
  purpose: string;
  /** Cipher of new records (`ZW_CRYPTO`); records name theirs, so both stay readable. */
  algorithm: Algorithm;
  /** The error an altered file raises names it and what is lost without it (zh · en). */
  describe: { zh: string; en: string; lostZh: string; lostEn: string };
}

const LENGTH = 4;

/**
 * An append-only file of records sealed one by one (`length | algorithm | nonce | ciphertext
 * | tag`, AES-256-GCM or SM4 + HMAC-SM3) with a key kept beside it. Reading stops before a
 * record a crash cut short; an altered record fails the open. The owner decides what is
 * live and rewrites the file with it (`rewrite`: temp file, fsync, rename).
 */
export class SealedJournal {
  readonly file: string;
  readonly #algorithm: Algorithm;
  #fileBytes = 0;
  #handle: FileHandle | undefined;

  private constructor(
    options: SealedJournalOptions,
    private readonly keys: CipherKeys,
    private readonly aad: Buffer,
  ) {
    this.file = join(options.dir, `${options.name}.journal`);
    this.#algorithm = options.algorithm;
  }

  /** Opens (or creates) the journal; the plaintexts of its records come with it, in order. */
  static async open(
    options: SealedJournalOptions,
  ): Promise<{ journal: SealedJournal; records: Buffer[] }> {
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    const secret = Buffer.from(
      await keptValue(join(options.dir, options.keyFile), () => randomBytes(32).toString('hex')),
      'hex',
    );
    const aad = associatedData(options.purpose);
    // One key per algorithm family from the one secret: switching ZW_CRYPTO keeps old
    // records readable (each record names its algorithm).
    const keysOf = new Map<Algorithm, CipherKeys>();
    const keysFor = (algorithm: Algorithm) => {
      let keys = keysOf.get(algorithm);
      if (!keys) {
        keys = CIPHERS[algorithm].deriveKeys(secret, options.purpose);
        keysOf.set(algorithm, keys);
      }
      return keys;
    };
    const journal = new SealedJournal(options, keysFor(options.algorithm), aad);
    try {
      const records = await journal.#load(keysFor);
      return { journal, records };
    } catch (error) {
      if (!(error instanceof SecretsError)) throw error;
      const { zh, en, lostZh, lostEn } = options.describe;
      throw new SecretsError(
        'tampered',
        `${zh}校验失败，请从备份恢复或删除该文件（${lostZh}）· The ${en} ${journal.file} failed authentication: restore it from a backup, or remove it (${lostEn})`,
      );
    } finally {
      secret.fill(0);
    }
  }

  /** Bytes in the file now. */
  get fileBytes(): number {
    return this.#fileBytes;
  }

  /** A record ready to append or to rewrite the file with. */
  seal(plaintext: Buffer): Buffer {
    const { nonce, ciphertext, tag } = CIPHERS[this.#algorithm].seal(
      this.keys,
      plaintext,
      this.aad,
    );
    const name = Buffer.from(this.#algorithm);
    const body = Buffer.concat([Buffer.from([name.length]), name, nonce, ciphertext, tag]);
    const length = Buffer.alloc(LENGTH);
    length.writeUInt32BE(body.length);
    return Buffer.concat([length, body]);
  }

  /** Appends sealed records (callers serialise their writes). */
  async append(sealed: Buffer): Promise<void> {
    this.#handle ??= await open(this.file, 'a', 0o600);
    await this.#handle.write(sealed);
    this.#fileBytes += sealed.length;
  }

  /** Replaces the file with these sealed records only. */
  async rewrite(sealed: readonly Buffer[]): Promise<void> {
    await this.#handle?.close();
    this.#handle = undefined;
    const temp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temp, 'wx', 0o600);
    try {
      const body = Buffer.concat(sealed);
      await handle.writeFile(body);
      await handle.sync();
      await handle.close();
      await rename(temp, this.file);
      this.#fileBytes = body.length;
    } catch (error) {
      await handle.close().catch(() => {});
      await rm(temp, { force: true });
      throw error;
    }
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    if (!handle) return;
    await handle.sync();
    await handle.close();
  }

  async #load(keysFor: (algorithm: Algorithm) => CipherKeys): Promise<Buffer[]> {
    const data = await readFile(this.file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return Buffer.alloc(0);
      throw error;
    });
    const records: Buffer[] = [];
    let at = 0;
    while (at + LENGTH <= data.length) {
      const length = data.readUInt32BE(at);
      // A record cut short by a crash while it was appended: the journal ends before it.
      if (at + LENGTH + length > data.length) break;
      records.push(this.#unseal(data.subarray(at + LENGTH, at + LENGTH + length), keysFor));
      at += LENGTH + length;
    }
    this.#fileBytes = data.length;
    return records;
  }

  /** A record's body (`algorithm | nonce | ciphertext | tag`) opened; throws `tampered`. */
  #unseal(body: Buffer, keysFor: (algorithm: Algorithm) => CipherKeys): Buffer {
    const nameLength = body[0] ?? 0;
    const algorithm = body.subarray(1, 1 + nameLength).toString();
    if (!isAlgorithm(algorithm)) throw tamperedError();
    const cipher = CIPHERS[algorithm];
    const rest = body.subarray(1 + nameLength);
    if (rest.length < cipher.nonceLength + cipher.tagLength) throw tamperedError();
    return cipher.open(
      keysFor(algorithm),
      {
        nonce: rest.subarray(0, cipher.nonceLength),
        ciphertext: rest.subarray(cipher.nonceLength, rest.length - cipher.tagLength),
        tag: rest.subarray(rest.length - cipher.tagLength),
      },
      this.aad,
    );
  }
}
