import { cronOf, lastFireAtOrBefore, nextFireAfter } from './cron';
import type { ScheduleRow } from './tables';

/**
 * Which scaling schedule is in effect for a process at an instant, and when that can next
 * change. Pure: the instant is an argument (the autoscaler passes its injected clock's).
 *
 * - `recurring`: a window is in effect from the latest fire of `start` (at or before the
 *   instant) until the first fire of `end` after it; a window may span midnight (start
 *   `0 22 * * *`, end `0 6 * * *`) or days. Both are read in the schedule's time zone, DST
 *   included (see `cron.ts`).
 * - `specificDate`: `[startAt, endAt)`.
 * - Overlapping windows of one process: a specific date beats a recurring window, then the
 *   higher `minReplicas`, then the higher `maxReplicas`, then the earlier start.
 */

interface Common {
  id: string;
  name: string;
  process: string;
  enabled: boolean;
  minReplicas: number;
  maxReplicas: number;
  initialReplicas: number | null;
}

export type ScheduleSpec = Common &
  (
    | { kind: 'recurring'; timezone: string; start: string; end: string }
    | { kind: 'specificDate'; startAt: Date; endAt: Date }
  );

/** One window of a schedule: `[start, end)`. */
export interface ScheduleWindow {
  schedule: ScheduleSpec;
  start: Date;
  end: Date;
  /** Names this very window (`<scheduleId>@<start>`): a new window has a new key. */
  key: string;
}

export function specOfRow(row: ScheduleRow): ScheduleSpec {
  const common: Common = {
    id: row.id,
    name: row.name,
    process: row.process,
    enabled: row.enabled,
    minReplicas: row.min_replicas,
    maxReplicas: row.max_replicas,
    initialReplicas: row.initial_replicas,
  };
  return row.kind === 'recurring'
    ? {
        ...common,
        kind: 'recurring',
        timezone: row.timezone,
        start: row.start_cron ?? '',
        end: row.end_cron ?? '',
      }
    : { ...common, kind: 'specificDate', startAt: row.start_at!, endAt: row.end_at! };
}

const windowOf = (schedule: ScheduleSpec, start: Date, end: Date): ScheduleWindow => ({
  schedule,
  start,
  end,
  key: `${schedule.id}@${start.toISOString()}`,
});

/** The schedule's window in effect at `at` (enabled or not), or null. */
export function windowAt(schedule: ScheduleSpec, at: Date): ScheduleWindow | null {
  if (schedule.kind === 'specificDate') {
    return schedule.startAt <= at && at < schedule.endAt
      ? windowOf(schedule, schedule.startAt, schedule.endAt)
      : null;
  }
  const start = lastFireAtOrBefore(cronOf(schedule.start, schedule.timezone), at);
  if (!start) return null;
  const end = nextFireAfter(cronOf(schedule.end, schedule.timezone), start);
  return end && at < end ? windowOf(schedule, start, end) : null;
}

/** Whether window `a` takes precedence over window `b` (same process). */
function beats(a: ScheduleWindow, b: ScheduleWindow): boolean {
  const x = a.schedule;
  const y = b.schedule;
  if (x.kind !== y.kind) return x.kind === 'specificDate';
  if (x.minReplicas !== y.minReplicas) return x.minReplicas > y.minReplicas;
  if (x.maxReplicas !== y.maxReplicas) return x.maxReplicas > y.maxReplicas;
  if (a.start.getTime() !== b.start.getTime()) return a.start < b.start;
  return x.id < y.id;
}

/** The window in effect at `at` for each process that has one (enabled schedules only). */
export function effectiveWindows(
  schedules: readonly ScheduleSpec[],
  at: Date,
): Map<string, ScheduleWindow> {
  const result = new Map<string, ScheduleWindow>();
  for (const schedule of schedules) {
    if (!schedule.enabled) continue;
    const window = windowAt(schedule, at);
    if (!window) continue;
    const current = result.get(schedule.process);
    if (!current || beats(window, current)) result.set(schedule.process, window);
  }
  return result;
}

/** The window in effect at `at` for one process, or null. */
export function effectiveWindow(
  schedules: readonly ScheduleSpec[],
  process: string,
  at: Date,
): ScheduleWindow | null {
  return (
    effectiveWindows(
      schedules.filter((s) => s.process === process),
      at,
    ).get(process) ?? null
  );
}

/** The bounds a window imposes. */
export const boundsOf = (window: ScheduleWindow) => ({
  min: window.schedule.minReplicas,
  max: window.schedule.maxReplicas,
});

/**
 * The first instant after `at` when some enabled schedule's window starts or ends (a wake-up
 * for the autoscaler), or null when none ever will.
 */
export function nextTransition(schedules: readonly ScheduleSpec[], at: Date): Date | null {
  let next: Date | null = null;
  const consider = (candidate: Date | null) => {
    if (candidate && candidate > at && (!next || candidate < next)) next = candidate;
  };
  for (const schedule of schedules) {
    if (!schedule.enabled) continue;
    if (schedule.kind === 'specificDate') {
      consider(schedule.startAt);
      consider(schedule.endAt);
      continue;
    }
    consider(nextFireAfter(cronOf(schedule.start, schedule.timezone), at));
    consider(windowAt(schedule, at)?.end ?? null);
  }
  return next;
}
