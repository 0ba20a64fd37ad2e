/** Small formatters shared by the commands' human output. */
import type { Style } from './style';
import { displayWidth, padEnd } from './width';

export const bilingual = (text: { zh: string; en: string } | null | undefined): string =>
  text ? (text.zh === text.en ? text.zh : `${text.zh} · ${text.en}`) : '';

/** `2026-11-26T08:00:00.123Z` → `2026-11-26 08:00` (UTC, as the platform stores it). */
export const shortTime = (iso: string | null | undefined): string =>
  iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '—';

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 ** 2).toFixed(1)} MiB`;
}

export function megabytes(mb: number): string {
  return mb >= 1024 && mb % 1024 === 0 ? `${mb / 1024} GiB` : `${mb} MiB`;
}

const GOOD = new Set(['ready', 'running', 'succeeded', 'success']);
const BAD = new Set(['failed', 'deleted', 'denied', 'failure', 'degraded']);

/** Colours a state: green when settled well, red when failed, yellow while moving. */
export function state(style: Style, value: string): string {
  if (GOOD.has(value)) return style.green(value);
  if (BAD.has(value)) return style.red(value);
  return style.yellow(value);
}

/** Key/value lines with the keys padded: `  名称 Name    approval`. */
export function fields(entries: [string, string | number | null | undefined][]): string {
  const width = Math.max(...entries.map(([k]) => displayWidth(k)));
  return entries.map(([k, v]) => `  ${padEnd(k, width)}  ${v ?? '—'}`).join('\n');
}
