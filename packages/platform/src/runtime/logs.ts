import { join } from 'node:path';
import { AppLogFiles, type StoredEntry } from './log-files';
import { maskSecrets } from './mask';
import type { LogEntry, LogSource } from './types';

export interface LogStoreOptions {
  /** The platform's data dir: files go to `<dataDir>/apps/<appId>/logs/`. Unset = memory only. */
  dataDir?: string;
  /** Entries kept in memory per app (default 10 000, the contract's largest `tail`). */
  ringSize?: number;
  /**
   * Characters of entries (as JSON) kept in memory per app, default 4 Mi: long lines make the
   * ring hold fewer entries rather than more memory (older ones stay in the files).
   */
  ringChars?: number;
  maxFileBytes?: number;
  maxFiles?: number;
}

/** One entry with its cursor (the SSE event id). */
export interface LogRecord {
  cursor: string;
  entry: LogEntry;
  /** `JSON.stringify(entry)`. */
  json: string;
}

export interface LogFilter {
  process?: string | undefined;
  source?: LogSource | undefined;
}

export interface LogQuery extends LogFilter {
  appId: string;
  /** The last this many matching entries (default 100); ignored with `after`. */
  tail?: number | undefined;
  /** Only entries strictly after this time; ignored with `after`. */
  since?: Date | string | undefined;
  /** A cursor: every matching entry after it (SSE `Last-Event-ID`). */
  after?: string | undefined;
}

export type LogInput = Omit<LogEntry, 'time'> & { time?: string };

const CURSOR = /^c_([0-9a-z]{1,11})$/;

/** Cursors are opaque to clients: `c_` + the app's sequence number in base 36. */
export const cursorOf = (seq: number) => `c_${seq.toString(36)}`;

export function seqOfCursor(cursor: string | undefined): number | undefined {
  const match = cursor ? CURSOR.exec(cursor) : null;
  return match ? Number.parseInt(match[1]!, 36) : undefined;
}

const matches = (entry: LogEntry, filter: LogFilter) =>
  (!filter.process || entry.process === filter.process) &&
  (!filter.source || entry.source === filter.source);

interface Subscriber {
  filter: LogFilter;
  fn: (record: LogRecord) => void;
}

/**
 * The ring of one app: a circular buffer of stored entries, oldest at `start`, bounded by
 * count and by characters.
 */
class AppLog {
  readonly ring: (StoredEntry | undefined)[];
  start = 0;
  size = 0;
  seq = 0;
  chars = 0;
  readonly subscribers = new Set<Subscriber>();

  constructor(
    capacity: number,
    private readonly maxChars: number,
    readonly files: AppLogFiles | undefined,
  ) {
    this.ring = new Array(capacity);
    for (const stored of files?.loadTail(capacity) ?? []) this.push(stored);
  }

  push(stored: StoredEntry): void {
    const capacity = this.ring.length;
    if (this.size === capacity) this.dropOldest();
    this.ring[(this.start + this.size) % capacity] = stored;
    this.size++;
    this.chars += stored.json.length;
    while (this.chars > this.maxChars && this.size > 1) this.dropOldest();
    this.seq = stored.seq;
  }

  private dropOldest(): void {
    const oldest = this.ring[this.start]!;
    this.ring[this.start] = undefined;
    this.chars -= oldest.json.length;
    this.start = (this.start + 1) % this.ring.length;
    this.size--;
  }

  at(i: number): StoredEntry {
    return this.ring[(this.start + i) % this.ring.length]!;
  }
}

/**
 * Every log line of every app: replicas' stdout/stderr, build and release output, platform
 * events. Kept in a ring per app (what `read` and SSE backlogs serve) and appended to
 * rotating NDJSON files (what survives a restart). Secret values are masked on the way in.
 */
export class LogStore {
  private readonly apps = new Map<string, AppLog>();
  private readonly ringSize: number;
  private readonly ringChars: number;
  private readonly streams = new Set<() => void>();

  constructor(private readonly options: LogStoreOptions = {}) {
    this.ringSize = options.ringSize ?? 10_000;
    this.ringChars = options.ringChars ?? 4 * 1024 * 1024;
  }

  /** Stores one line; `secrets` are masked (`****`) in the message first. */
  append(input: LogInput, secrets: readonly string[] = []): LogRecord {
    const log = this.log(input.appId);
    const entry: LogEntry = {
      time: input.time ?? new Date().toISOString(),
      appId: input.appId,
      releaseId: input.releaseId,
      process: input.process,
      replica: input.replica,
      source: input.source,
      stream: input.stream,
      message: secrets.length ? maskSecrets(input.message, secrets) : input.message,
    };
    const stored: StoredEntry = { seq: log.seq + 1, entry, json: JSON.stringify(entry) };
    log.push(stored);
    log.files?.append(stored);
    const record = toRecord(stored);
    for (const subscriber of log.subscribers) {
      if (!matches(entry, subscriber.filter)) continue;
      try {
        subscriber.fn(record);
      } catch {
        // One broken listener must not stop the others or the writer.
      }
    }
    return record;
  }

  /** A platform event about an app (`source: platform`, `stream: system`, no release or replica). */
  platform(appId: string, message: string): LogRecord {
    return this.append({
      appId,
      releaseId: null,
      process: 'platform',
      replica: null,
      source: 'platform',
      stream: 'system',
      message,
    });
  }

  /** Matching entries, oldest first. */
  read(query: LogQuery): LogRecord[] {
    const log = this.log(query.appId);
    const after = seqOfCursor(query.after);
    const out: LogRecord[] = [];
    if (query.after !== undefined) {
      for (let i = 0; i < log.size; i++) {
        const stored = log.at(i);
        if ((after === undefined || stored.seq > after) && matches(stored.entry, query))
          out.push(toRecord(stored));
      }
      return out;
    }
    const tail = query.tail ?? 100;
    const since = query.since === undefined ? undefined : new Date(query.since).toISOString();
    // Newest first until `tail` are found, then reversed.
    for (let i = log.size - 1; i >= 0 && out.length < tail; i--) {
      const stored = log.at(i);
      if (since !== undefined && stored.entry.time <= since) break;
      if (matches(stored.entry, query)) out.push(toRecord(stored));
    }
    return out.reverse();
  }

  /** Calls `fn` with every new matching entry of the app until the returned function is called. */
  subscribe(appId: string, filter: LogFilter, fn: (record: LogRecord) => void): () => void {
    const subscriber: Subscriber = { filter, fn };
    const log = this.log(appId);
    log.subscribers.add(subscriber);
    return () => log.subscribers.delete(subscriber);
  }

  /** Live subscriptions of an app (observability, tests). */
  subscribers(appId: string): number {
    return this.apps.get(appId)?.subscribers.size ?? 0;
  }

  /** Registers a live stream (SSE) to end on `endStreams()`; returns its deregistration. */
  onEndStreams(end: () => void): () => void {
    this.streams.add(end);
    return () => this.streams.delete(end);
  }

  /** Ends every live stream (platform shutdown: open SSE responses would hold `app.close()`). */
  endStreams(): void {
    for (const end of [...this.streams]) end();
    this.streams.clear();
  }

  /** Forgets an app and deletes its files (the app was deleted). */
  async remove(appId: string): Promise<void> {
    const log = this.apps.get(appId);
    this.apps.delete(appId);
    if (log?.files) await log.files.remove();
    else if (this.options.dataDir) await this.files(appId)?.remove();
  }

  /** Flushes and closes every file. */
  async close(): Promise<void> {
    await Promise.all([...this.apps.values()].map((log) => log.files?.close()));
  }

  private log(appId: string): AppLog {
    let log = this.apps.get(appId);
    if (!log) {
      log = new AppLog(this.ringSize, this.ringChars, this.files(appId));
      this.apps.set(appId, log);
    }
    return log;
  }

  private files(appId: string): AppLogFiles | undefined {
    if (!this.options.dataDir) return undefined;
    // App ids are `app_` + base62: safe as a directory name; anything else is refused.
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(appId)) throw new Error(`invalid app id ${appId}`);
    return new AppLogFiles(join(this.options.dataDir, 'apps', appId, 'logs'), {
      maxFileBytes: this.options.maxFileBytes ?? 8 * 1024 * 1024,
      maxFiles: this.options.maxFiles ?? 5,
    });
  }
}

const toRecord = (stored: StoredEntry): LogRecord => ({
  cursor: cursorOf(stored.seq),
  entry: stored.entry,
  json: stored.json,
});
