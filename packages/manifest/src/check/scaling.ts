/** Scaling: bounds in order, cooldowns within an hour, schedules that can fire and are named once. */
import { cronProblem } from '../cron';
import { isSpecificDate } from '../defaults';
import { durationSeconds } from '../duration';
import { toPointer } from '../pointer';
import { timeZoneProblem } from '../timezone';
import type { Scaling, Schedule } from '../types';
import type { CheckContext } from './context';

/** The contract's `AutoscalingCooldown` allows at most an hour. */
const MAX_COOLDOWN_SECONDS = 3600;

type Report = CheckContext['report'];

function checkSchedule(schedule: Schedule, base: string, report: Report): void {
  if (schedule.max !== undefined && schedule.min > schedule.max) {
    report({
      path: `${base}/min`,
      code: 'min_above_max',
      message: `min（${schedule.min}）大于 max（${schedule.max}）· min (${schedule.min}) is above max (${schedule.max})`,
    });
  }
  if (schedule.timezone !== undefined) {
    const problem = timeZoneProblem(schedule.timezone);
    if (problem) report({ path: `${base}/timezone`, code: 'unknown_timezone', message: problem });
  }
  if (isSpecificDate(schedule)) {
    if (Date.parse(schedule.endAt) <= Date.parse(schedule.startAt)) {
      report({
        path: `${base}/endAt`,
        code: 'empty_window',
        message: 'endAt 必须晚于 startAt · endAt must be after startAt',
      });
    }
    return;
  }
  for (const field of ['start', 'end'] as const) {
    const problem = cronProblem(schedule[field]);
    if (problem) report({ path: `${base}/${field}`, code: 'invalid_cron', message: problem });
  }
  if (schedule.start.trim() === schedule.end.trim()) {
    report({
      path: `${base}/end`,
      code: 'empty_window',
      message: 'start 与 end 相同，时间窗为空 · start equals end, so the window is empty',
    });
  }
}

function checkScaling(scaling: Scaling, base: string, report: Report): void {
  if (scaling.max !== undefined && scaling.min > scaling.max) {
    report({
      path: `${base}/min`,
      code: 'min_above_max',
      message: `min（${scaling.min}）大于 max（${scaling.max}）· min (${scaling.min}) is above max (${scaling.max})`,
    });
  }
  for (const direction of ['scaleUp', 'scaleDown'] as const) {
    const value = scaling.cooldown?.[direction];
    const seconds = value === undefined ? undefined : durationSeconds(value);
    if (seconds !== undefined && seconds > MAX_COOLDOWN_SECONDS) {
      report({
        path: `${base}/cooldown/${direction}`,
        code: 'duration_too_long',
        message: `最长 1h（${MAX_COOLDOWN_SECONDS}s）· at most 1h (${MAX_COOLDOWN_SECONDS}s)`,
      });
    }
  }
  const names = new Map<string, number>();
  (scaling.schedules ?? []).forEach((schedule, index) => {
    const path = `${base}/schedules/${index}`;
    const first = names.get(schedule.name);
    if (first === undefined) names.set(schedule.name, index);
    else {
      report({
        path: `${path}/name`,
        code: 'duplicate_schedule',
        message: `计划名 "${schedule.name}" 与 schedules[${first}] 重复 · schedule name "${schedule.name}" is already used by schedules[${first}]`,
      });
    }
    checkSchedule(schedule, path, report);
  });
}

export function checkProcessesScaling({ manifest, report }: CheckContext): void {
  for (const [name, process] of Object.entries(manifest.processes)) {
    if (process.scaling)
      checkScaling(process.scaling, toPointer(['processes', name, 'scaling']), report);
  }
}
