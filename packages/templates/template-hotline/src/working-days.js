/**
 * Handling limits of the 12345 rules count working days. This counts Monday to Friday in
 * China Standard Time; public holidays and 调休 working weekends are not known here — pass
 * the State Council's yearly calendar as `holidays` / `workdays` for production use.
 */

const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The calendar date (YYYY-MM-DD) of an instant in China Standard Time. @param {Date} instant */
export function cstDate(instant) {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The end (24:00 CST) of the day that is `days` working days after the day of `start`; the
 * start day itself does not count.
 * @param {Date} start
 * @param {number} days
 * @param {{ holidays?: Set<string>, workdays?: Set<string> }} [calendar]
 * @returns {Date}
 */
export function endOfWorkingDay(start, days, calendar = {}) {
  const holidays = calendar.holidays ?? new Set();
  const workdays = calendar.workdays ?? new Set();
  const date = new Date(`${cstDate(start)}T00:00:00Z`);
  let left = days;
  while (left > 0) {
    date.setUTCDate(date.getUTCDate() + 1);
    const iso = date.toISOString().slice(0, 10);
    const weekday = date.getUTCDay();
    if (workdays.has(iso) || (weekday !== 0 && weekday !== 6 && !holidays.has(iso))) left -= 1;
  }
  const iso = date.toISOString().slice(0, 10);
  return new Date(new Date(`${iso}T00:00:00+08:00`).getTime() + 24 * 60 * 60 * 1000);
}
