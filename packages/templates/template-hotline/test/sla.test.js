import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deadlines, runningTimer, timerState } from '../src/sla.js';
import { cstDate, endOfWorkingDay } from '../src/working-days.js';

const at = (/** @type {string} */ iso) => new Date(iso);

describe('工作日 · working days', () => {
  it('counts Monday to Friday in China Standard Time, not the start day', () => {
    // Friday 2026-01-09 10:00 CST → 3 working days: Mon 12, Tue 13, Wed 14 → ends Thu 00:00 CST.
    const end = endOfWorkingDay(at('2026-01-09T10:00:00+08:00'), 3);
    assert.equal(end.toISOString(), at('2026-01-15T00:00:00+08:00').toISOString());
  });

  it('uses the CST date even when the UTC date differs', () => {
    // 2026-01-09 23:30 UTC is Saturday 07:30 in Beijing.
    assert.equal(cstDate(at('2026-01-09T23:30:00Z')), '2026-01-10');
    const end = endOfWorkingDay(at('2026-01-09T23:30:00Z'), 1);
    assert.equal(end.toISOString(), at('2026-01-13T00:00:00+08:00').toISOString());
  });

  it('skips holidays and counts make-up working days when given a calendar', () => {
    const calendar = { holidays: new Set(['2026-01-12']), workdays: new Set(['2026-01-10']) };
    const end = endOfWorkingDay(at('2026-01-09T10:00:00+08:00'), 2, calendar);
    // Sat 10 (make-up day) and Tue 13 (Mon 12 is a holiday).
    assert.equal(end.toISOString(), at('2026-01-14T00:00:00+08:00').toISOString());
  });
});

describe('时限 · SLA deadlines', () => {
  const complaint = { dispatchHours: 2, handleDays: 13 };

  it('sets the dispatch deadline in hours and the handling deadline in working days', () => {
    const accepted = at('2026-03-02T09:00:00+08:00'); // Monday
    const { dispatchDueAt, handleDueAt } = deadlines(complaint, accepted, false);
    assert.equal(dispatchDueAt.toISOString(), at('2026-03-02T11:00:00+08:00').toISOString());
    // 13 working days after Mon 2 March: Thu 19 March, so the end of that day.
    assert.equal(handleDueAt.toISOString(), at('2026-03-20T00:00:00+08:00').toISOString());
  });

  it('limits urgent orders to 24 hours', () => {
    const accepted = at('2026-03-02T09:00:00+08:00');
    const { handleDueAt } = deadlines(complaint, accepted, true);
    assert.equal(handleDueAt.toISOString(), at('2026-03-03T09:00:00+08:00').toISOString());
  });

  it('is normal, then due soon in the last fifth, then overdue', () => {
    const start = at('2026-03-02T09:00:00+08:00');
    const due = at('2026-03-02T19:00:00+08:00'); // a 10-hour window: due soon from 17:00
    assert.equal(timerState(start, due, at('2026-03-02T16:59:00+08:00')), 'normal');
    assert.equal(timerState(start, due, at('2026-03-02T17:00:00+08:00')), 'due_soon');
    assert.equal(timerState(start, due, at('2026-03-02T18:59:59+08:00')), 'due_soon');
    assert.equal(timerState(start, due, due), 'overdue');
  });

  it('runs the dispatch clock before dispatch, the handling clock after, none once replied', () => {
    const order = {
      acceptedAt: at('2026-03-02T09:00:00+08:00'),
      dispatchStartedAt: at('2026-03-02T09:00:00+08:00'),
      dispatchDueAt: at('2026-03-02T11:00:00+08:00'),
      handleDueAt: at('2026-03-20T00:00:00+08:00'),
    };
    const now = at('2026-03-02T12:00:00+08:00');
    const waiting = runningTimer({ ...order, status: 'accepted' }, now);
    assert.equal(waiting?.stage, 'dispatch');
    assert.equal(waiting?.state, 'overdue');
    assert.equal(waiting?.remainingMinutes, -60);
    const handling = runningTimer({ ...order, status: 'handling' }, now);
    assert.equal(handling?.stage, 'handle');
    assert.equal(handling?.state, 'normal');
    assert.equal(runningTimer({ ...order, status: 'replied' }, now), null);
    assert.equal(runningTimer({ ...order, status: 'rated' }, now), null);
  });
});
