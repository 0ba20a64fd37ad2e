import { StringDecoder } from 'node:string_decoder';

/** Longest line kept whole; longer ones are cut into pieces of this size. */
export const MAX_LINE = 16 * 1024;

/**
 * Splits a byte stream into lines (`\n` or `\r\n`), decoding UTF-8 across chunk boundaries.
 * `end()` emits a last line that had no newline.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  write(chunk: Buffer | string): void {
    let text = this.pending + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      this.emit(text.slice(0, newline));
      text = text.slice(newline + 1);
      newline = text.indexOf('\n');
    }
    while (text.length > MAX_LINE) {
      this.onLine(text.slice(0, MAX_LINE));
      text = text.slice(MAX_LINE);
    }
    this.pending = text;
  }

  end(): void {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    if (rest) this.emit(rest);
  }

  private emit(line: string): void {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    for (let i = 0; i < text.length || i === 0; i += MAX_LINE) {
      this.onLine(text.slice(i, i + MAX_LINE));
    }
  }
}

/** Feeds a readable stream into `onLine`, line by line. */
export function captureLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  const splitter = new LineSplitter(onLine);
  stream.on('data', (chunk: Buffer | string) => splitter.write(chunk));
  stream.on('end', () => splitter.end());
  stream.on('error', () => splitter.end());
}
