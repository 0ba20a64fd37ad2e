import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addWorkingDays, cstDate } from '../src/working-days.js';

describe('法定时限 · working-day deadlines', () => {
  it('skips weekends', () => {
    // Friday 2025-03-07 10:00 CST + 1 working day = Monday 2025-03-10.
    assert.equal(addWorkingDays(new Date('2025-03-07T02:00:00Z'), 1), '2025-03-10');
    // Monday + 20 working days = four weeks later, on a Monday.
    assert.equal(addWorkingDays(new Date('2025-03-03T02:00:00Z'), 20), '2025-03-31');
  });

  it('counts from the date in China Standard Time', () => {
    // 2025-03-07T17:00Z is Saturday 01:00 in Beijing: the next working day is Monday.
    assert.equal(cstDate(new Date('2025-03-07T17:00:00Z')), '2025-03-08');
    assert.equal(addWorkingDays(new Date('2025-03-07T17:00:00Z'), 1), '2025-03-10');
  });

  it('honours a holiday calendar and make-up working days', () => {
    const holidays = new Set(['2025-05-01', '2025-05-02', '2025-05-05']);
    const workdays = new Set(['2025-04-27']); // a Sunday worked in exchange
    assert.equal(addWorkingDays(new Date('2025-04-30T02:00:00Z'), 1, { holidays }), '2025-05-06');
    assert.equal(addWorkingDays(new Date('2025-04-25T02:00:00Z'), 1, { workdays }), '2025-04-27');
  });
});
