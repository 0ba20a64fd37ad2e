import type { Algorithm } from '../../secrets/ciphers';
import { SealedJournal } from './sealed-journal';
import { Serial } from './serial';

/** A retained message as the journal keeps it (an empty payload deletes the topic's). */
export interface RetainedRecord {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
}

/** Compaction once the file holds this much more than the live messages need. */
const SLACK_BYTES = 1024 * 1024;

/**
 * Retained messages of the embedded MQTT broker on disk, so they outlive a restart:
 * `<dir>/retained.journal` (key in `<dir>/retained-key`), one sealed record per retained
 * publish or deletion. Opening reads the file and rewrites it with the live messages only
 * (sealed again with the current `ZW_CRYPTO` cipher), as does a write that finds the file
 * mostly dead.
 */
export class RetainedJournal {
  /** Topic → its live record, sealed: what a compaction writes. */
  readonly #live = new Map<string, Buffer>();
  #liveBytes = 0;
  readonly #serial = new Serial();

  private constructor(private readonly file: SealedJournal) {}

  /** Opens the journal in `dir`; the retained messages it holds come with it. */
  static async open(
    dir: string,
    algorithm: Algorithm,
  ): Promise<{ journal: RetainedJournal; retained: RetainedRecord[] }> {
    const { journal: file, records } = await SealedJournal.open({
      dir,
      name: 'retained',
      keyFile: 'retained-key',
      purpose: 'mqtt/retained',
      algorithm,
      describe: {
        zh: 'MQTT 保留消息日志',
        en: 'retained-message journal',
        lostZh: '保留消息将丢失',
        lostEn: 'its retained messages are lost',
      },
    });
    const journal = new RetainedJournal(file);
    const latest = new Map<string, RetainedRecord>();
    for (const plaintext of records) {
      const record = decode(plaintext);
      if (record.payload.length === 0) latest.delete(record.topic);
      else latest.set(record.topic, record);
    }
    for (const record of latest.values()) journal.#remember(record.topic, journal.#seal(record));
    await journal.#compact();
    return { journal, retained: [...latest.values()] };
  }

  /**
   * Appends a retained message (or, with an empty payload, its deletion), then runs `apply`
   * (the broker's in-memory store): writes apply in the order they were made.
   */
  write(record: RetainedRecord, apply: () => Promise<void> = async () => {}): Promise<void> {
    return this.#serial.run(async () => {
      const sealed = this.#seal(record);
      await this.file.append(sealed);
      this.#remember(record.topic, record.payload.length === 0 ? undefined : sealed);
      await apply();
      if (this.file.fileBytes > 2 * this.#liveBytes + SLACK_BYTES) await this.#compact();
    });
  }

  /** Resolves once every write made so far is written and applied. */
  settled(): Promise<void> {
    return this.#serial.run(async () => {});
  }

  /** Flushes and closes the file (the broker is stopping). */
  close(): Promise<void> {
    return this.#serial.run(() => this.file.close());
  }

  #remember(topic: string, sealed: Buffer | undefined): void {
    const previous = this.#live.get(topic);
    if (previous) this.#liveBytes -= previous.length;
    if (sealed) {
      this.#live.set(topic, sealed);
      this.#liveBytes += sealed.length;
    } else this.#live.delete(topic);
  }

  #seal(record: RetainedRecord): Buffer {
    return this.file.seal(encode(record));
  }

  #compact(): Promise<void> {
    return this.file.rewrite([...this.#live.values()]);
  }
}

/** `topic length (2) | qos (1) | topic | payload`. */
function encode({ topic, payload, qos }: RetainedRecord): Buffer {
  const topicBytes = Buffer.from(topic, 'utf8');
  const plaintext = Buffer.alloc(3 + topicBytes.length + payload.length);
  plaintext.writeUInt16BE(topicBytes.length, 0);
  plaintext[2] = qos;
  topicBytes.copy(plaintext, 3);
  payload.copy(plaintext, 3 + topicBytes.length);
  return plaintext;
}

function decode(plaintext: Buffer): RetainedRecord {
  const topicLength = plaintext.readUInt16BE(0);
  return {
    topic: plaintext.subarray(3, 3 + topicLength).toString('utf8'),
    qos: (plaintext[2] ?? 0) as 0 | 1 | 2,
    payload: Buffer.from(plaintext.subarray(3 + topicLength)),
  };
}
