import { endOfWorkingDay } from './working-days.js';

/**
 * SLA timers (时限). Two clocks run per work order:
 * - dispatch (派单时限): from intake, or from a return, until the order is dispatched —
 *   the category's `dispatchHours`;
 * - handle (办理时限): from intake until the reply — the category's `handleDays` working days,
 *   at most 24 hours for urgent orders. Returns and re-dispatches do not restart it: the
 *   citizen's wait is what counts.
 * A clock is `due_soon` (即将超时) in the last fifth of its window and `overdue` (已超时) after.
 */

export const DUE_SOON_FRACTION = 0.2;
const HOUR_MS = 60 * 60 * 1000;

/** @type {Record<TimerState, string>} */
export const TIMER_LABELS = {
  normal: '正常 · On time',
  due_soon: '即将超时 · Due soon',
  overdue: '已超时 · Overdue',
};

/** @type {Record<Stage, string>} */
export const STAGE_LABELS = {
  dispatch: '派单时限 · Dispatch deadline',
  handle: '办理时限 · Handling deadline',
};

/** @typedef {'normal'|'due_soon'|'overdue'} TimerState */
/** @typedef {'dispatch'|'handle'} Stage */

/** Statuses whose running clock is the dispatch clock, and those of the handling clock. */
const DISPATCH_STAGE = new Set(['accepted', 'returned']);
const HANDLE_STAGE = new Set(['dispatched', 'handling']);

/**
 * @param {{ dispatchHours: number, handleDays: number }} category
 * @param {Date} acceptedAt
 * @param {boolean} urgent
 */
export function deadlines(category, acceptedAt, urgent) {
  const dispatchDueAt = new Date(acceptedAt.getTime() + category.dispatchHours * HOUR_MS);
  let handleDueAt = endOfWorkingDay(acceptedAt, category.handleDays);
  if (urgent) {
    const sameDay = new Date(acceptedAt.getTime() + 24 * HOUR_MS);
    if (sameDay < handleDueAt) handleDueAt = sameDay;
  }
  return { dispatchDueAt, handleDueAt };
}

/** @param {Date} startedAt @param {Date} dueAt @param {Date} now @returns {TimerState} */
export function timerState(startedAt, dueAt, now) {
  const left = dueAt.getTime() - now.getTime();
  if (left <= 0) return 'overdue';
  const window = dueAt.getTime() - startedAt.getTime();
  return left <= window * DUE_SOON_FRACTION ? 'due_soon' : 'normal';
}

/**
 * The running clock of a work order, or null when none runs (replied or later).
 * @param {{ status: string, acceptedAt: Date, dispatchStartedAt: Date, dispatchDueAt: Date, handleDueAt: Date }} order
 * @param {Date} now
 */
export function runningTimer(order, now) {
  /** @type {{ stage: Stage, startedAt: Date, dueAt: Date } | null} */
  let clock = null;
  if (DISPATCH_STAGE.has(order.status)) {
    clock = { stage: 'dispatch', startedAt: order.dispatchStartedAt, dueAt: order.dispatchDueAt };
  } else if (HANDLE_STAGE.has(order.status)) {
    clock = { stage: 'handle', startedAt: order.acceptedAt, dueAt: order.handleDueAt };
  }
  if (!clock) return null;
  const state = timerState(clock.startedAt, clock.dueAt, now);
  return {
    stage: clock.stage,
    stageLabel: STAGE_LABELS[clock.stage],
    dueAt: clock.dueAt.toISOString(),
    state,
    stateLabel: TIMER_LABELS[state],
    remainingMinutes: Math.floor((clock.dueAt.getTime() - now.getTime()) / 60_000),
  };
}

/**
 * The running clock of a `work_orders` row.
 * @param {any} row
 * @param {Date} now
 */
export const timerOfRow = (row, now) =>
  runningTimer(
    {
      status: row.status,
      acceptedAt: row.accepted_at,
      dispatchStartedAt: row.dispatch_started_at,
      dispatchDueAt: row.dispatch_due_at,
      handleDueAt: row.handle_due_at,
    },
    now,
  );
