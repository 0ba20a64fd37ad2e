/**
 * Statutory time limits (法定时限) count working days. This counts Monday to Friday in China
 * Standard Time; public holidays and 调休 working weekends are not known here — load the
 * State Council's yearly calendar into `holidays`/`workdays` for production use.
 */

const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The calendar date (YYYY-MM-DD) of an instant in China Standard Time. @param {Date} instant */
export function cstDate(instant) {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The date `days` working days after the day of `start` (the start day itself does not count,
 * as in 行政许可法 art. 82 for periods counted in days).
 * @param {Date} start
 * @param {number} days
 * @param {{ holidays?: Set<string>, workdays?: Set<string> }} [calendar]
 */
export function addWorkingDays(start, days, calendar = {}) {
  const holidays = calendar.holidays ?? new Set();
  const workdays = calendar.workdays ?? new Set();
  const date = new Date(`${cstDate(start)}T00:00:00Z`);
  let left = days;
  while (left > 0) {
    date.setUTCDate(date.getUTCDate() + 1);
    const iso = date.toISOString().slice(0, 10);
    const weekday = date.getUTCDay();
    const working = workdays.has(iso) || (weekday !== 0 && weekday !== 6 && !holidays.has(iso));
    if (working) left -= 1;
  }
  return date.toISOString().slice(0, 10);
}
