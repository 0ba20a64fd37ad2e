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

/** A retained message as the journal keeps it (an empty payload deletes the topic's). */
export interface RetainedRecord {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
}

const AAD = associatedData('mqtt/retained');
const LENGTH = 4;
/** Compaction once the file holds this much more than the live messages need. */
const SLACK_BYTES = 1024 * 1024;

/**
 * Retained messages of the embedded MQTT broker on disk, so they outlive a restart:
 * `<dir>/retained.journal`, a sequence of length-prefixed records, each sealed on its own
 * (topic and payload alike) with a key kept in `<dir>/retained-key` — AES-256-GCM, or SM4 +
 * HMAC-SM3 with `ZW_CRYPTO=gm`. A write appends; opening reads the file (a record torn by a
 * crash ends it; an altered one fails the start) and rewrites it with the live messages
 * only, as does a write that finds the file mostly dead.
 */
export class RetainedJournal {
  readonly #live = new Map<string, Buffer>();
  #liveBytes = 0;
  #fileBytes = 0;
  #handle: FileHandle | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly keys: CipherKeys,
    private readonly algorithm: Algorithm,
  ) {}

  /** Opens the journal in `dir`; the retained messages it holds come with it. */
  static async open(
    dir: string,
    algorithm: Algorithm,
  ): Promise<{ journal: RetainedJournal; retained: RetainedRecord[] }> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const secret = Buffer.from(
      await keptValue(join(dir, 'retained-key'), () => randomBytes(32).toString('hex')),
      'hex',
    );
    const journal = new RetainedJournal(
      join(dir, 'retained.journal'),
      // One key per algorithm family from the one secret: switching ZW_CRYPTO keeps old
      // records readable (each record names its algorithm).
      CIPHERS[algorithm].deriveKeys(secret, 'mqtt/retained'),
      algorithm,
    );
    const retained = await journal.#load(secret).catch((error: unknown) => {
      if (!(error instanceof SecretsError)) throw error;
      throw new SecretsError(
        'tampered',
        `MQTT 保留消息日志校验失败，请从备份恢复或删除该文件（保留消息将丢失）· The retained-message journal ${journal.file} failed authentication: restore it from a backup, or remove it (its retained messages are lost)`,
      );
    });
    secret.fill(0);
    await journal.#compact();
    return { journal, retained };
  }

  /**
   * Appends a retained message (or, with an empty payload, its deletion), then runs `apply`
   * (the broker's in-memory store): writes apply in the order they were made.
   */
  write(record: RetainedRecord, apply: () => Promise<void> = async () => {}): Promise<void> {
    return this.#serially(async () => {
      const sealed = this.#seal(record);
      const handle = await this.#appending();
      await handle.write(sealed);
      this.#fileBytes += sealed.length;
      this.#remember(record.topic, record.payload.length === 0 ? undefined : sealed);
      await apply();
      if (this.#fileBytes > 2 * this.#liveBytes + SLACK_BYTES) await this.#compact();
    });
  }

  /** Resolves once every write made so far is written and applied. */
  settled(): Promise<void> {
    return this.#serially(async () => {});
  }

  /** Flushes and closes the file (the broker is stopping). */
  close(): Promise<void> {
    return this.#serially(async () => {
      const handle = this.#handle;
      this.#handle = undefined;
      if (!handle) return;
      await handle.sync();
      await handle.close();
    });
  }

  #serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(work);
    this.#queue = result.catch(() => {});
    return result;
  }

  async #appending(): Promise<FileHandle> {
    this.#handle ??= await open(this.file, 'a', 0o600);
    return this.#handle;
  }

  #remember(topic: string, sealed: Buffer | undefined): void {
    const previous = this.#live.get(topic);
    if (previous) this.#liveBytes -= previous.length;
    if (sealed) {
      this.#live.set(topic, sealed);
      this.#liveBytes += sealed.length;
    } else this.#live.delete(topic);
  }

  /** `length | algorithm | nonce | ciphertext | tag` of `{ topic, qos, payload }`. */
  #seal({ topic, payload, qos }: RetainedRecord): Buffer {
    const topicBytes = Buffer.from(topic, 'utf8');
    const plaintext = Buffer.alloc(3 + topicBytes.length + payload.length);
    plaintext.writeUInt16BE(topicBytes.length, 0);
    plaintext[2] = qos;
    topicBytes.copy(plaintext, 3);
    payload.copy(plaintext, 3 + topicBytes.length);
    const { nonce, ciphertext, tag } = CIPHERS[this.algorithm].seal(this.keys, plaintext, AAD);
    const name = Buffer.from(this.algorithm);
    const body = Buffer.concat([Buffer.from([name.length]), name, nonce, ciphertext, tag]);
    const length = Buffer.alloc(LENGTH);
    length.writeUInt32BE(body.length);
    return Buffer.concat([length, body]);
  }

  async #load(secret: Buffer): Promise<RetainedRecord[]> {
    const data = await readFile(this.file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return Buffer.alloc(0);
      throw error;
    });
    const keysOf = new Map<Algorithm, CipherKeys>([[this.algorithm, this.keys]]);
    const keysFor = (algorithm: Algorithm) => {
      let keys = keysOf.get(algorithm);
      if (!keys) {
        keys = CIPHERS[algorithm].deriveKeys(secret, 'mqtt/retained');
        keysOf.set(algorithm, keys);
      }
      return keys;
    };
    const latest = new Map<string, RetainedRecord>();
    let at = 0;
    while (at + LENGTH <= data.length) {
      const length = data.readUInt32BE(at);
      // A record cut short by a crash while it was appended: the journal ends before it.
      if (at + LENGTH + length > data.length) break;
      const record = unseal(data.subarray(at + LENGTH, at + LENGTH + length), keysFor);
      if (record.payload.length === 0) latest.delete(record.topic);
      else latest.set(record.topic, record);
      at += LENGTH + length;
    }
    // Sealed again with the current algorithm: the compaction that follows writes these.
    for (const record of latest.values()) this.#remember(record.topic, this.#seal(record));
    return [...latest.values()];
  }

  /** Rewrites the file with the live messages only (temp file, fsync, rename). */
  async #compact(): Promise<void> {
    await this.#handle?.close();
    this.#handle = undefined;
    const temp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temp, 'wx', 0o600);
    try {
      const live = [...this.#live.values()];
      await handle.writeFile(Buffer.concat(live));
      await handle.sync();
      await handle.close();
      await rename(temp, this.file);
      this.#fileBytes = this.#liveBytes;
    } catch (error) {
      await handle.close().catch(() => {});
      await rm(temp, { force: true });
      throw error;
    }
  }
}

/** A record's body (`algorithm | nonce | ciphertext | tag`) opened; throws `tampered`. */
function unseal(body: Buffer, keysFor: (algorithm: Algorithm) => CipherKeys): RetainedRecord {
  const nameLength = body[0] ?? 0;
  const algorithm = body.subarray(1, 1 + nameLength).toString();
  if (!isAlgorithm(algorithm)) throw tamperedError();
  const cipher = CIPHERS[algorithm];
  const rest = body.subarray(1 + nameLength);
  if (rest.length < cipher.nonceLength + cipher.tagLength + 3) throw tamperedError();
  const plaintext = cipher.open(
    keysFor(algorithm),
    {
      nonce: rest.subarray(0, cipher.nonceLength),
      ciphertext: rest.subarray(cipher.nonceLength, rest.length - cipher.tagLength),
      tag: rest.subarray(rest.length - cipher.tagLength),
    },
    AAD,
  );
  const topicLength = plaintext.readUInt16BE(0);
  return {
    topic: plaintext.subarray(3, 3 + topicLength).toString('utf8'),
    qos: (plaintext[2] ?? 0) as 0 | 1 | 2,
    payload: Buffer.from(plaintext.subarray(3 + topicLength)),
  };
}
