import { Cron } from 'croner';

/**
 * 5-field cron expressions (minute hour day-of-month month day-of-week) read in an IANA time
 * zone, through croner: standard semantics (day-of-month OR day-of-week when both are set,
 * Sunday 0 or 7), and DST handled as Vixie cron does for fixed times (a time skipped by the
 * spring-forward gap fires at the first valid time after it; a time repeated in autumn fires
 * once).
 */

const MAX_CACHED = 5_000;
const cache = new Map<string, Cron>();

/** A parsed expression (cached: schedules are evaluated on every tick); throws when invalid. */
export function cronOf(expression: string, timezone: string): Cron {
  const key = `${timezone} ${expression}`;
  let cron = cache.get(key);
  if (cron === undefined) {
    cron = new Cron(expression, { timezone, mode: '5-part', paused: true });
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, cron);
  }
  return cron;
}

/** The latest fire at or before `at`, or null when there was none. */
export function lastFireAtOrBefore(cron: Cron, at: Date): Date | null {
  // croner's previous runs are strictly before the reference; fires are on whole minutes,
  // so one millisecond later includes a fire exactly at `at`.
  return cron.previousRuns(1, new Date(at.getTime() + 1))[0] ?? null;
}

/** The first fire strictly after `at`, or null when there is none. */
export function nextFireAfter(cron: Cron, at: Date): Date | null {
  return cron.nextRun(at);
}

/** Whether `timezone` is an IANA zone this runtime knows. */
export function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Why `expression` is not a usable 5-field cron expression in `timezone` (a message for a
 * field error), or null when it is. An expression that can never fire (`0 0 30 2 *`) is
 * refused too.
 */
export function cronProblem(expression: string, timezone: string): string | null {
  let cron: Cron;
  try {
    cron = cronOf(expression, timezone);
  } catch (error) {
    return `not a 5-field cron expression: ${(error as Error).message}`;
  }
  try {
    if (cron.nextRun(new Date()) === null) return 'never fires';
  } catch (error) {
    return (error as Error).message;
  }
  return null;
}
