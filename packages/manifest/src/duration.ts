/** Durations as the manifest writes them: `90s`, `2m`, `1h30m`. */

const DURATION = /^(?=\d)(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Seconds in a duration, or `undefined` when it is not one. */
export function durationSeconds(value: string): number | undefined {
  const match = DURATION.exec(value);
  if (!match) return undefined;
  const [, h = '0', m = '0', s = '0'] = match;
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}
