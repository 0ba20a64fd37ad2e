/**
 * The life of an application (办件). Every change of status goes through `transition`, so the
 * rules live in one table and the server refuses anything else with 409 `invalid_transition`.
 *
 *   draft ─submit→ submitted ─accept→ accepted ─review→ reviewed ─approve→ approved ─deliver→ delivered
 *                    │  ↑                                     └──reject──→ rejected ─deliver→ delivered
 *                    │  └─resubmit─ correction_required
 *                    ├─request_correction─┘
 *                    └─refuse→ refused (不予受理)
 */

/** @typedef {'draft'|'submitted'|'correction_required'|'refused'|'accepted'|'reviewed'|'approved'|'rejected'|'delivered'} Status */
/** @typedef {'submit'|'request_correction'|'resubmit'|'refuse'|'accept'|'review'|'approve'|'reject'|'deliver'} Action */

/** @type {Record<Status, string>} */
export const STATUS_LABELS = {
  draft: '草稿 · Draft',
  submitted: '已申报 · Submitted',
  correction_required: '待补正 · Correction required',
  refused: '不予受理 · Not accepted',
  accepted: '已受理 · Accepted',
  reviewed: '已审查 · Reviewed',
  approved: '准予许可 · Approved',
  rejected: '不予许可 · Rejected',
  delivered: '已送达办结 · Delivered and closed',
};

/**
 * @typedef {object} Rule
 * @property {Status[]} from
 * @property {Status} to
 * @property {string} label
 * @property {('opinion'|'reason'|'note'|'deliveryMethod')[]} requires  fields the body must carry
 */

/** @type {Record<Action, Rule>} */
export const RULES = {
  submit: { from: ['draft'], to: 'submitted', label: '申报 · Submit', requires: [] },
  request_correction: {
    from: ['submitted'],
    to: 'correction_required',
    label: '一次性告知补正 · Request correction',
    requires: ['note'],
  },
  resubmit: {
    from: ['correction_required'],
    to: 'submitted',
    label: '补正后重新申报 · Resubmit',
    requires: [],
  },
  refuse: { from: ['submitted'], to: 'refused', label: '不予受理 · Refuse', requires: ['reason'] },
  accept: { from: ['submitted'], to: 'accepted', label: '受理 · Accept', requires: [] },
  review: { from: ['accepted'], to: 'reviewed', label: '审查 · Review', requires: ['opinion'] },
  approve: {
    from: ['reviewed'],
    to: 'approved',
    label: '准予许可 · Approve',
    requires: ['reason'],
  },
  reject: { from: ['reviewed'], to: 'rejected', label: '不予许可 · Reject', requires: ['reason'] },
  deliver: {
    from: ['approved', 'rejected'],
    to: 'delivered',
    label: '送达办结 · Deliver',
    requires: ['deliveryMethod'],
  },
};

export const ACTIONS = /** @type {Action[]} */ (Object.keys(RULES));

/** Statuses in which the applicant may still change attachments. */
export const EDITABLE = new Set(['draft', 'correction_required']);

/** Statuses after which nothing happens any more. */
export const FINAL = new Set(['refused', 'delivered']);

/** Statuses in which the statutory clock runs (from acceptance until the decision). */
export const CLOCK_RUNNING = new Set(['accepted', 'reviewed']);

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
