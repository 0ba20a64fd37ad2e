/**
 * 5-field cron expressions (minute hour day month weekday) as KEDA's cron scaler reads them.
 * Croner parses; a character check first keeps out croner extensions (`L`, `W`, `#`, `?`)
 * that KEDA's parser does not know.
 */
import { Cron } from 'croner';

const NAMES = 'JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|SUN|MON|TUE|WED|THU|FRI|SAT';
/** Numbers, `* , - /` and month or weekday names: what every cron implementation reads alike. */
const FIELD = new RegExp(`^(?:[0-9*,/-]|${NAMES})+$`, 'i');

/** Why a cron expression cannot be used (bilingual), or `undefined` when it can. */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `须为 5 段（分 时 日 月 周），此处为 ${fields.length} 段 · must have 5 fields (minute hour day month weekday), not ${fields.length}`;
  }
  if (!fields.every((f) => FIELD.test(f))) {
    return '只支持标准 cron 语法（数字、名称、* , - /）· only standard cron syntax (numbers, names, * , - /)';
  }
  let job: Cron;
  try {
    job = new Cron(expression, { paused: true, timezone: 'UTC' });
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern:\s*/, '') : '';
    return `cron 表达式无效 · invalid cron expression: ${reason}`;
  }
  if (!job.nextRun()) return 'cron 表达式永远不会触发 · the cron expression never fires';
  return undefined;
}
