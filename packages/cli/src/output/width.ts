/**
 * Display width in terminal columns: CJK ideographs, kana, Hangul and fullwidth forms take
 * two columns, so Chinese names line up in tables. ANSI colour codes take none.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts every ANSI colour code.
const ANSI = /\x1b\[[0-9;]*m/g;

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

export const stripAnsi = (text: string): string => text.replace(ANSI, '');

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of stripAnsi(text)) width += isWide(char.codePointAt(0)!) ? 2 : 1;
  return width;
}

/** Cuts plain text to at most `max` columns, ending in `…` when cut. */
export function truncate(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  let out = '';
  let width = 0;
  for (const char of stripAnsi(text)) {
    const w = isWide(char.codePointAt(0)!) ? 2 : 1;
    if (width + w > max - 1) break;
    out += char;
    width += w;
  }
  return `${out}…`;
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

export function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}
