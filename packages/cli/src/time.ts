/** Durations (`90s`, `10m`, `2h`, `7d`) and times (`24h` ago, or ISO 8601) from the command line. */
import { usageError } from './errors';

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `15m` → 900000; a bare number is seconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)?$/.exec(text.trim());
  if (!m) {
    throw usageError(
      `${flag} 须为时长，如 90s、10m、2h、7d · ${flag} must be a duration such as 90s, 10m, 2h, 7d; got ${JSON.stringify(text)}`,
    );
  }
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 's']!);
}

/** `24h` → that long ago; otherwise an ISO 8601 time (or date). Returns ISO 8601. */
export function parseTime(text: string, flag: string, now = Date.now()): string {
  if (/^\d+(?:\.\d+)?(s|m|h|d)$/.test(text.trim())) {
    return new Date(now - parseDuration(text, flag)).toISOString();
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(text.trim())) {
    throw usageError(
      `${flag} 须为 ISO 时间或时长，如 2026-11-01T00:00:00Z、24h · ${flag} must be an ISO time or a duration such as 2026-11-01T00:00:00Z or 24h; got ${JSON.stringify(text)}`,
    );
  }
  return new Date(ms).toISOString();
}
