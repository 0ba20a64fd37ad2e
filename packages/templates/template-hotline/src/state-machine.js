/**
 * The life of a work order (工单). Every change of status goes through `transition`, so the
 * rules live in this one table and the server refuses anything else with 409
 * `invalid_transition`. Supervision (督办) is not a status: it can happen in any open status.
 *
 *   accepted ─dispatch→ dispatched ─sign→ handling ─reply→ replied ─close→ closed ─rate→ rated
 *      ↑                   │  ↑  ↖──redispatch──┤
 *      │                   │  └──redispatch─────┘
 *   returned ←──return─────┴─────────return─────┘      returned ─dispatch→ dispatched
 */

/** @typedef {'accepted'|'dispatched'|'handling'|'returned'|'replied'|'closed'|'rated'} Status */
/** @typedef {'dispatch'|'redispatch'|'sign'|'return'|'reply'|'close'|'rate'} Action */

/** @type {Record<Status, string>} */
export const STATUS_LABELS = {
  accepted: '已受理待派单 · Accepted, awaiting dispatch',
  dispatched: '已派单待签收 · Dispatched, awaiting sign-off',
  handling: '办理中 · Being handled',
  returned: '已退单待改派 · Returned, awaiting re-dispatch',
  replied: '已答复待办结 · Replied, awaiting closure',
  closed: '已办结待回访 · Closed, awaiting callback',
  rated: '已回访 · Callback done',
};

/**
 * @typedef {object} Rule
 * @property {Status[]} from
 * @property {Status} to
 * @property {string} event   routing key suffix: `workorder.<event>`
 * @property {string} label
 * @property {('department'|'reason'|'reply'|'rating')[]} requires  fields the body must carry
 */

/** @type {Record<Action, Rule>} */
export const RULES = {
  dispatch: {
    from: ['accepted', 'returned'],
    to: 'dispatched',
    event: 'dispatched',
    label: '派单 · Dispatch',
    requires: ['department'],
  },
  redispatch: {
    from: ['dispatched', 'handling'],
    to: 'dispatched',
    event: 'redispatched',
    label: '改派 · Re-dispatch',
    requires: ['department', 'reason'],
  },
  sign: {
    from: ['dispatched'],
    to: 'handling',
    event: 'signed',
    label: '签收 · Sign for it',
    requires: [],
  },
  return: {
    from: ['dispatched', 'handling'],
    to: 'returned',
    event: 'returned',
    label: '退单 · Return to the hotline centre',
    requires: ['reason'],
  },
  reply: {
    from: ['handling'],
    to: 'replied',
    event: 'replied',
    label: '答复 · Reply',
    requires: ['reply'],
  },
  close: { from: ['replied'], to: 'closed', event: 'closed', label: '办结 · Close', requires: [] },
  rate: {
    from: ['closed'],
    to: 'rated',
    event: 'rated',
    label: '回访评价 · Callback rating',
    requires: ['rating'],
  },
};

export const ACTIONS = /** @type {Action[]} */ (Object.keys(RULES));

/** Statuses in which a work order is still open and may be supervised. */
export const OPEN = new Set(['accepted', 'dispatched', 'handling', 'returned']);

/** @param {string} value @returns {value is Action} */
export const isAction = (value) => Object.hasOwn(RULES, value);

/**
 * The status an action leads to from `status`, or null when the action is not allowed there.
 * @param {Status} status
 * @param {Action} action
 * @returns {Status | null}
 */
export function transition(status, action) {
  const rule = RULES[action];
  return rule.from.includes(status) ? rule.to : null;
}

/** @param {Status} status @returns {Action[]} */
export function allowedActions(status) {
  return ACTIONS.filter((action) => RULES[action].from.includes(status));
}
