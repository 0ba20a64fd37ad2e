/** Timestamps as the contract writes them: ISO 8601 in UTC with a `Z`. */

/** Now, to the second: `2026-11-26T08:00:00Z`. */
export function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Now, to the millisecond (log entries): `2026-11-26T08:00:01.204Z`. */
export function nowIsoMillis(): string {
  return new Date().toISOString();
}

/** Now, to the minute (`Token.lastUsedAt`). */
export function nowIsoMinute(): string {
  return new Date().toISOString().replace(/:\d{2}\.\d{3}Z$/, ':00Z');
}

/** An ISO timestamp `days` after now, to the second. */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const DAY_MS = 86_400_000;
