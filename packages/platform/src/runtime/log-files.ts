import {
  createWriteStream,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  type WriteStream,
} from 'node:fs';
import { join } from 'node:path';
import type { LogEntry } from './types';

/** One stored line: the entry plus its sequence number (what cursors encode). */
export interface StoredEntry {
  seq: number;
  entry: LogEntry;
  /** `JSON.stringify(entry)`, made once: the file line and every SSE event reuse it. */
  json: string;
}

export interface LogFileOptions {
  /** A file is closed and a new one started past this size (default 8 MiB). */
  maxFileBytes: number;
  /** Files kept per app; the oldest are deleted (default 5). */
  maxFiles: number;
}

const FILE = /^(\d{12})\.ndjson$/;
const fileName = (seq: number) => `${String(seq).padStart(12, '0')}.ndjson`;

/**
 * The NDJSON files of one app, `<dir>/<first seq>.ndjson`, appended to and rotated by size.
 * Lines are `{"seq":N,…LogEntry}`; directory 0700 and files 0600 (logs can hold personal data).
 */
export class AppLogFiles {
  private stream: WriteStream | undefined;
  private bytes = 0;

  constructor(
    private readonly dir: string,
    private readonly options: LogFileOptions,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** The newest `limit` stored entries, oldest first (what a restarted platform still shows). */
  loadTail(limit: number): StoredEntry[] {
    const out: StoredEntry[][] = [];
    let count = 0;
    for (const name of this.files().reverse()) {
      if (count >= limit) break;
      const entries = parseFile(join(this.dir, name));
      out.unshift(entries);
      count += entries.length;
    }
    const all = out.flat();
    return all.slice(Math.max(0, all.length - limit));
  }

  append(stored: StoredEntry): void {
    const line = `{"seq":${stored.seq},${stored.json.slice(1)}\n`;
    if (!this.stream || this.bytes >= this.options.maxFileBytes) this.rotate(stored.seq);
    this.bytes += Buffer.byteLength(line);
    this.stream!.write(line);
  }

  async close(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    if (stream) await new Promise<void>((resolve) => stream.end(resolve));
  }

  /** Deletes every file (the app was deleted). */
  async remove(): Promise<void> {
    await this.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private rotate(seq: number): void {
    if (this.stream) {
      this.stream.end();
    } else {
      // First line since start: keep appending to the newest file while it has room.
      const current = this.files().at(-1);
      const size = current ? statSync(join(this.dir, current)).size : Number.POSITIVE_INFINITY;
      if (current && size < this.options.maxFileBytes) {
        this.open(current);
        this.bytes = size;
        return;
      }
    }
    this.open(fileName(seq));
    this.bytes = 0;
    const files = this.files();
    for (const old of files.slice(0, Math.max(0, files.length - this.options.maxFiles))) {
      unlinkSync(join(this.dir, old));
    }
  }

  private open(name: string): void {
    // Opened synchronously: the file exists at once, so rotation counts it right away.
    const path = join(this.dir, name);
    const stream = createWriteStream(path, { fd: openSync(path, 'a', 0o600) });
    stream.on('error', () => {
      // A full or read-only disk loses file lines; the in-memory ring still has them.
      if (this.stream === stream) this.stream = undefined;
    });
    this.stream = stream;
  }

  private files(): string[] {
    return readdirSync(this.dir)
      .filter((name) => FILE.test(name))
      .sort();
  }
}

function parseFile(path: string): StoredEntry[] {
  const out: StoredEntry[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      const { seq, ...entry } = JSON.parse(line) as LogEntry & { seq: number };
      if (Number.isInteger(seq)) out.push({ seq, entry, json: JSON.stringify(entry) });
    } catch {
      // A line cut by a crash mid-write.
    }
  }
  return out;
}
