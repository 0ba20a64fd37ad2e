/** Schema of `processes.<name>.scaling`: replica bounds, metric target, cooldown, schedules. */
import type { SchemaNode } from './node';
import { CRON, DURATION, NAME, TIMEZONE } from './patterns';

/** Replica counts, as the contract's scaling endpoints bound them. */
export const MAX_REPLICAS = 100;

const replicas = (description: string, minimum: number) =>
  ({
    type: 'integer',
    minimum,
    maximum: MAX_REPLICAS,
    description,
  }) as const satisfies SchemaNode;

const timezone = {
  type: 'string',
  pattern: TIMEZONE.pattern,
  description: 'IANA 时区，如 Asia/Shanghai · IANA time zone such as Asia/Shanghai',
  examples: ['Asia/Shanghai'],
} as const satisfies SchemaNode;

const scheduleName = {
  type: 'string',
  pattern: NAME.pattern,
  description: '计划名，在进程内唯一 · Schedule name, unique within the process',
} as const satisfies SchemaNode;

const scheduleMin = replicas('时间窗内的最少副本数 · Minimum replicas during the window', 0);
const scheduleMax = replicas(
  '时间窗内的最多副本数；省略时沿用 scaling.max · Maximum replicas during the window; scaling.max when left out',
  1,
);

const recurring = {
  type: 'object',
  description:
    '周期性时间窗，如工作日办公时间（KEDA cron 语义）· A recurring window such as office hours on weekdays (KEDA cron semantics)',
  additionalProperties: false,
  required: ['name', 'timezone', 'start', 'end', 'min'],
  properties: {
    name: scheduleName,
    timezone: {
      ...timezone,
      description: '解释 cron 的 IANA 时区 · IANA time zone the cron expressions are read in',
    },
    start: {
      type: 'string',
      pattern: CRON.pattern,
      description:
        '每次时间窗开始的时刻（5 段 cron：分 时 日 月 周）· When each window starts (5-field cron: minute hour day month weekday)',
      examples: ['0 8 * * 1-5'],
    },
    end: {
      type: 'string',
      pattern: CRON.pattern,
      description: '每次时间窗结束的时刻（5 段 cron）· When each window ends (5-field cron)',
      examples: ['0 18 * * 1-5'],
    },
    min: scheduleMin,
    max: scheduleMax,
  },
} as const satisfies SchemaNode;

const specificDate = {
  type: 'object',
  description:
    '一次性时间窗，如五月纳税申报高峰 · A one-off window such as the May tax-filing peak',
  additionalProperties: false,
  required: ['name', 'startAt', 'endAt', 'min'],
  properties: {
    name: scheduleName,
    timezone: {
      ...timezone,
      description: '显示时间窗所用的 IANA 时区 · IANA time zone the window is shown in',
    },
    startAt: {
      type: 'string',
      format: 'date-time',
      description: '时间窗开始（RFC 3339，含时区偏移）· Start of the window (RFC 3339 with offset)',
      examples: ['2027-05-01T00:00:00+08:00'],
    },
    endAt: {
      type: 'string',
      format: 'date-time',
      description: '时间窗结束（RFC 3339，含时区偏移）· End of the window (RFC 3339 with offset)',
      examples: ['2027-06-01T00:00:00+08:00'],
    },
    min: scheduleMin,
    max: scheduleMax,
  },
} as const satisfies SchemaNode;

/**
 * A schedule is one-off when it has `startAt`, recurring otherwise. `if`/`then`/`else`
 * rather than `oneOf`, so a mistake is reported against the one shape the author meant.
 */
const schedule = {
  type: 'object',
  description:
    '伸缩计划：周期性（start/end 为 cron）或一次性（startAt/endAt 为日期时间）· A scaling schedule: recurring (cron start/end) or one-off (date-time startAt/endAt)',
  if: { required: ['startAt'] },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else, never awaited.
  then: specificDate,
  else: recurring,
} as const satisfies SchemaNode;

export const scalingSchema = {
  type: 'object',
  description:
    '副本数的范围、自动伸缩目标和伸缩计划；省略时固定 1 个副本 · Replica bounds, autoscaling target and schedules; one replica when left out',
  additionalProperties: false,
  required: ['min'],
  properties: {
    min: replicas('最少副本数 · Minimum replicas', 0),
    max: replicas(
      '最多副本数；大于 min 时按 target 自动伸缩，省略时等于 min · Maximum replicas; above min the process autoscales on target; min when left out',
      1,
    ),
    target: {
      type: 'object',
      description:
        '自动伸缩要保持的指标（只写一项），默认 cpu: 70 · The metric autoscaling holds (exactly one); cpu: 70 by default',
      additionalProperties: false,
      minProperties: 1,
      maxProperties: 1,
      properties: {
        cpu: {
          type: 'integer',
          minimum: 1,
          maximum: 100,
          description: '副本平均 CPU 利用率（%）· Average CPU utilisation per replica (%)',
          examples: [70],
        },
        requestsPerSecond: {
          type: 'number',
          minimum: 0.1,
          description: '每副本每秒请求数 · Requests per second per replica',
          examples: [50],
        },
      },
    },
    cooldown: {
      type: 'object',
      description: '两次伸缩之间的最短间隔 · Minimum time between two scaling steps',
      additionalProperties: false,
      properties: {
        scaleUp: {
          type: 'string',
          pattern: DURATION.pattern,
          description: '扩容后至少等待（最长 1h）· Wait after scaling up (at most 1h)',
          examples: ['30s'],
        },
        scaleDown: {
          type: 'string',
          pattern: DURATION.pattern,
          description: '缩容后至少等待（最长 1h）· Wait after scaling down (at most 1h)',
          examples: ['120s'],
        },
      },
    },
    schedules: {
      type: 'array',
      description:
        '按时间提高副本数的计划（KEDA cron 语义）· Schedules that raise replicas at given times (KEDA cron semantics)',
      maxItems: 50,
      items: schedule,
    },
  },
} as const satisfies SchemaNode;
