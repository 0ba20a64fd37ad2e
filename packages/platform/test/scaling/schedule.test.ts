import { describe, expect, it } from 'vitest';
import { cronProblem, isTimeZone } from '../../src/scaling/cron';
import {
  effectiveWindow,
  effectiveWindows,
  nextTransition,
  type ScheduleSpec,
  windowAt,
} from '../../src/scaling/schedule';

/** Every instant here is an explicit UTC time: the clock is the test's, not the machine's. */
const at = (iso: string) => new Date(iso);

function recurring(
  start: string,
  end: string,
  timezone: string,
  extra: Partial<ScheduleSpec> = {},
): ScheduleSpec {
  return {
    id: `sch_${start.replace(/\W/g, '')}${end.replace(/\W/g, '')}${timezone.length}`,
    name: 'office-hours',
    process: 'web',
    enabled: true,
    minReplicas: 2,
    maxReplicas: 8,
    initialReplicas: null,
    kind: 'recurring',
    timezone,
    start,
    end,
    ...extra,
  } as ScheduleSpec;
}

function specificDate(
  startAt: string,
  endAt: string,
  extra: Partial<ScheduleSpec> = {},
): ScheduleSpec {
  return {
    id: 'sch_mayfilingpeak000000',
    name: 'may-filing-peak',
    process: 'web',
    enabled: true,
    minReplicas: 4,
    maxReplicas: 40,
    initialReplicas: 12,
    kind: 'specificDate',
    startAt: at(startAt),
    endAt: at(endAt),
    ...extra,
  } as ScheduleSpec;
}

describe('recurring windows', () => {
  const office = recurring('0 8 * * 1-5', '0 18 * * 1-5', 'Asia/Shanghai');

  it('is in effect from the start fire up to (not including) the end fire, in its time zone', () => {
    // Monday 2026-11-23, 09:00 in Shanghai (UTC+8).
    const w = windowAt(office, at('2026-11-23T01:00:00Z'));
    expect(w?.start.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(w?.end.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(windowAt(office, at('2026-11-23T00:00:00Z'))?.start.toISOString()).toBe(
      '2026-11-23T00:00:00.000Z',
    );
    expect(windowAt(office, at('2026-11-22T23:59:59.999Z'))).toBeNull();
    expect(windowAt(office, at('2026-11-23T10:00:00Z'))).toBeNull();
    // Saturday.
    expect(windowAt(office, at('2026-11-28T03:00:00Z'))).toBeNull();
  });

  it('gives each day its own window (a new key)', () => {
    const monday = windowAt(office, at('2026-11-23T01:00:00Z'));
    const tuesday = windowAt(office, at('2026-11-24T01:00:00Z'));
    expect(monday?.key).not.toBe(tuesday?.key);
    expect(tuesday?.key).toBe(`${office.id}@2026-11-24T00:00:00.000Z`);
  });

  it('spans midnight when the end comes before the start on the clock', () => {
    const night = recurring('0 22 * * *', '0 6 * * *', 'Asia/Shanghai');
    // 02:00 on 2026-11-24 in Shanghai: the window began at 22:00 the day before.
    const w = windowAt(night, at('2026-11-23T18:00:00Z'));
    expect(w?.start.toISOString()).toBe('2026-11-23T14:00:00.000Z');
    expect(w?.end.toISOString()).toBe('2026-11-23T22:00:00.000Z');
    // 23:00 the same evening: the next window, ending 06:00 next morning.
    expect(windowAt(night, at('2026-11-23T15:00:00Z'))?.end.toISOString()).toBe(
      '2026-11-23T22:00:00.000Z',
    );
    // 07:00: out.
    expect(windowAt(night, at('2026-11-23T23:00:00Z'))).toBeNull();
  });

  it('spans days (Friday evening to Monday morning)', () => {
    const weekend = recurring('0 20 * * 5', '0 6 * * 1', 'Asia/Shanghai');
    // Sunday noon, 2026-11-29.
    const w = windowAt(weekend, at('2026-11-29T04:00:00Z'));
    expect(w?.start.toISOString()).toBe('2026-11-27T12:00:00.000Z');
    expect(w?.end.toISOString()).toBe('2026-11-29T22:00:00.000Z');
    expect(windowAt(weekend, at('2026-11-25T04:00:00Z'))).toBeNull();
  });
});

describe('recurring windows across DST (Europe/Berlin)', () => {
  const day = recurring('0 8 * * *', '0 18 * * *', 'Europe/Berlin');

  it('keeps local wall-clock times on both sides of the March change', () => {
    // Saturday 2026-03-28 is CET (UTC+1); Monday 2026-03-30 is CEST (UTC+2).
    const before = windowAt(day, at('2026-03-28T12:00:00Z'));
    expect(before?.start.toISOString()).toBe('2026-03-28T07:00:00.000Z');
    expect(before?.end.toISOString()).toBe('2026-03-28T17:00:00.000Z');
    const after = windowAt(day, at('2026-03-30T12:00:00Z'));
    expect(after?.start.toISOString()).toBe('2026-03-30T06:00:00.000Z');
    expect(after?.end.toISOString()).toBe('2026-03-30T16:00:00.000Z');
    // 06:30 UTC on the Monday is 08:30 local: in effect; on the Saturday it was 07:30: not.
    expect(windowAt(day, at('2026-03-30T06:30:00Z'))).not.toBeNull();
    expect(windowAt(day, at('2026-03-28T06:30:00Z'))).toBeNull();
  });

  it('a night window is an hour shorter in March and an hour longer in October', () => {
    const night = recurring('0 22 * * *', '0 6 * * *', 'Europe/Berlin');
    const spring = windowAt(night, at('2026-03-29T01:30:00Z'));
    expect(spring?.start.toISOString()).toBe('2026-03-28T21:00:00.000Z');
    expect(spring?.end.toISOString()).toBe('2026-03-29T04:00:00.000Z');
    expect((spring!.end.getTime() - spring!.start.getTime()) / 3_600_000).toBe(7);
    const autumn = windowAt(night, at('2026-10-25T01:30:00Z'));
    expect(autumn?.start.toISOString()).toBe('2026-10-24T20:00:00.000Z');
    expect(autumn?.end.toISOString()).toBe('2026-10-25T05:00:00.000Z');
    expect((autumn!.end.getTime() - autumn!.start.getTime()) / 3_600_000).toBe(9);
  });

  it('starts a window whose start time is skipped by the spring gap right after the gap', () => {
    // 02:30 does not exist on 2026-03-29 in Berlin (02:00 CET jumps to 03:00 CEST = 01:00Z).
    const early = recurring('30 2 * * *', '0 4 * * *', 'Europe/Berlin');
    const w = windowAt(early, at('2026-03-29T01:30:00Z'));
    expect(w?.start.toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(w?.end.toISOString()).toBe('2026-03-29T02:00:00.000Z');
    expect(windowAt(early, at('2026-03-29T00:59:00Z'))).toBeNull();
  });

  it('starts a window whose start time happens twice in autumn once, at the first', () => {
    const early = recurring('30 2 * * *', '0 4 * * *', 'Europe/Berlin');
    // 02:30 CEST = 00:30Z, and again 02:30 CET = 01:30Z; 04:00 CET = 03:00Z.
    const w = windowAt(early, at('2026-10-25T02:00:00Z'));
    expect(w?.start.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(w?.end.toISOString()).toBe('2026-10-25T03:00:00.000Z');
  });
});

describe('specific-date windows', () => {
  const peak = specificDate('2027-04-30T16:00:00Z', '2027-05-31T16:00:00Z');

  it('is in effect in [startAt, endAt)', () => {
    expect(windowAt(peak, at('2027-04-30T15:59:59Z'))).toBeNull();
    expect(windowAt(peak, at('2027-04-30T16:00:00Z'))?.end.toISOString()).toBe(
      '2027-05-31T16:00:00.000Z',
    );
    expect(windowAt(peak, at('2027-05-31T16:00:00Z'))).toBeNull();
  });
});

describe('overlapping windows', () => {
  const office = recurring('0 8 * * 1-5', '0 18 * * 1-5', 'Asia/Shanghai', {
    id: 'sch_office',
    minReplicas: 10,
    maxReplicas: 20,
  });
  const peak = specificDate('2027-04-30T16:00:00Z', '2027-05-31T16:00:00Z', {
    id: 'sch_peak',
    minReplicas: 4,
    maxReplicas: 40,
  });
  // Monday 2027-05-10, 10:00 in Shanghai: both in effect.
  const both = at('2027-05-10T02:00:00Z');

  it('a specific date beats a recurring window, even with a lower minimum', () => {
    expect(effectiveWindow([office, peak], 'web', both)?.schedule.id).toBe('sch_peak');
    expect(effectiveWindow([peak, office], 'web', both)?.schedule.id).toBe('sch_peak');
  });

  it('among recurring windows the higher minimum wins', () => {
    const lunch = recurring('0 11 * * *', '0 14 * * *', 'Asia/Shanghai', {
      id: 'sch_lunch',
      minReplicas: 12,
    });
    // 12:00 on a Monday in Shanghai.
    const noon = at('2026-11-23T04:00:00Z');
    expect(effectiveWindow([office, lunch], 'web', noon)?.schedule.id).toBe('sch_lunch');
    expect(effectiveWindow([lunch, office], 'web', noon)?.schedule.id).toBe('sch_lunch');
    // At 09:00 only the office window is in effect.
    expect(effectiveWindow([lunch, office], 'web', at('2026-11-23T01:00:00Z'))?.schedule.id).toBe(
      'sch_office',
    );
  });

  it('ignores disabled schedules and keeps processes apart', () => {
    const worker = { ...peak, id: 'sch_worker', process: 'worker' } as ScheduleSpec;
    const off = { ...peak, enabled: false } as ScheduleSpec;
    const windows = effectiveWindows([office, off, worker], both);
    expect(windows.get('web')?.schedule.id).toBe('sch_office');
    expect(windows.get('worker')?.schedule.id).toBe('sch_worker');
  });
});

describe('next transition', () => {
  const office = recurring('0 8 * * 1-5', '0 18 * * 1-5', 'Asia/Shanghai');

  it('is the next start outside a window and the end inside one', () => {
    // Saturday 2026-11-28 noon in Shanghai → Monday 08:00.
    expect(nextTransition([office], at('2026-11-28T04:00:00Z'))?.toISOString()).toBe(
      '2026-11-30T00:00:00.000Z',
    );
    // Monday 09:00 → 18:00 the same day.
    expect(nextTransition([office], at('2026-11-30T01:00:00Z'))?.toISOString()).toBe(
      '2026-11-30T10:00:00.000Z',
    );
  });

  it('takes the earliest over all schedules, and ignores disabled ones and the past', () => {
    const peak = specificDate('2026-11-29T16:00:00Z', '2026-12-01T16:00:00Z');
    expect(nextTransition([office, peak], at('2026-11-28T04:00:00Z'))?.toISOString()).toBe(
      '2026-11-29T16:00:00.000Z',
    );
    const disabled = { ...peak, enabled: false } as ScheduleSpec;
    expect(nextTransition([disabled], at('2026-11-28T04:00:00Z'))).toBeNull();
    expect(nextTransition([peak], at('2026-12-02T00:00:00Z'))).toBeNull();
  });
});

describe('validation helpers', () => {
  it('knows IANA zones', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('accepts 5-field expressions only, and only ones that fire', () => {
    expect(cronProblem('0 8 * * 1-5', 'Asia/Shanghai')).toBeNull();
    expect(cronProblem('*/15 9-17 * * MON-FRI', 'Asia/Shanghai')).toBeNull();
    expect(cronProblem('0 8 * * * *', 'Asia/Shanghai')).toMatch(/5-field/);
    expect(cronProblem('61 8 * * *', 'Asia/Shanghai')).toMatch(/minute/);
    expect(cronProblem('0 0 30 2 *', 'Asia/Shanghai')).toBe('never fires');
  });
});
