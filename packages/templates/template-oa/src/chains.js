/**
 * The fixed approval chains (党政机关公文处理工作条例 ch. 6). Each action is allowed from
 * certain statuses only and needs certain fields; the server refuses anything else with
 * 409 `invalid_transition` or 422, so no client can skip a step.
 *
 * 收文 incoming:  registered ─propose→ proposed ─instruct→ instructed ─undertake→ undertaken ─complete→ completed
 *                  登记          拟办        批办            承办            办结
 *
 * 发文 outgoing:  drafting ─submit→ reviewing ─review→ [countersigning ─countersign×n→] signing ─sign→
 *                  拟稿          核稿              会签 (only with countersign departments)     签发
 *                 numbering ─number→ sealing ─seal→ distributing ─distribute→ archived
 *                  编号 (发文字号)      用印          分发                       归档
 *                 reviewing / countersigning / signing ─return→ drafting (退回修改; countersigns start over)
 */

/** @typedef {'incoming'|'outgoing'} Direction */
/**
 * @typedef {object} Rule
 * @property {string[]} from
 * @property {string} to            for `review` and `countersign` the next status depends on the document
 * @property {string} label
 * @property {('opinion'|'undertaker'|'department'|'actor')[]} requires
 */

/** @type {Record<Direction, Record<string, string>>} */
export const STATUS_LABELS = {
  incoming: {
    registered: '已登记待拟办 · Registered, awaiting proposal',
    proposed: '已拟办待批办 · Proposed, awaiting instruction',
    instructed: '已批办待承办 · Instructed, being undertaken',
    undertaken: '已承办待办结 · Undertaken, awaiting completion',
    completed: '已办结 · Completed',
  },
  outgoing: {
    drafting: '拟稿中 · Drafting',
    reviewing: '待核稿 · Awaiting review',
    countersigning: '会签中 · Countersigning',
    signing: '待签发 · Awaiting signature',
    numbering: '待编号 · Awaiting number',
    sealing: '待用印 · Awaiting seal',
    distributing: '待分发 · Awaiting distribution',
    archived: '已分发归档 · Distributed and archived',
  },
};

/** @type {Record<Direction, Record<string, Rule>>} */
export const CHAINS = {
  incoming: {
    propose: {
      from: ['registered'],
      to: 'proposed',
      label: '拟办 · Propose handling',
      requires: ['opinion'],
    },
    instruct: {
      from: ['proposed'],
      to: 'instructed',
      label: '批办 · Instruct',
      requires: ['opinion', 'undertaker'],
    },
    undertake: {
      from: ['instructed'],
      to: 'undertaken',
      label: '承办 · Undertake',
      requires: ['opinion', 'department'],
    },
    complete: { from: ['undertaken'], to: 'completed', label: '办结 · Complete', requires: [] },
  },
  outgoing: {
    submit: {
      from: ['drafting'],
      to: 'reviewing',
      label: '送核 · Submit for review',
      requires: [],
    },
    review: {
      from: ['reviewing'],
      to: 'countersigning|signing',
      label: '核稿 · Review',
      requires: ['opinion'],
    },
    countersign: {
      from: ['countersigning'],
      to: 'countersigning|signing',
      label: '会签 · Countersign',
      requires: ['opinion', 'department'],
    },
    sign: {
      from: ['signing'],
      to: 'numbering',
      label: '签发 · Sign and issue',
      requires: ['opinion', 'actor'],
    },
    number: { from: ['numbering'], to: 'sealing', label: '编号 · Assign number', requires: [] },
    seal: { from: ['sealing'], to: 'distributing', label: '用印 · Seal', requires: [] },
    distribute: {
      from: ['distributing'],
      to: 'archived',
      label: '分发归档 · Distribute and archive',
      requires: [],
    },
    return: {
      from: ['reviewing', 'countersigning', 'signing'],
      to: 'drafting',
      label: '退回修改 · Return for revision',
      requires: ['opinion'],
    },
  },
};

export const INITIAL = { incoming: 'registered', outgoing: 'drafting' };

/** Statuses in which files may still be added or removed. */
export const FILES_EDITABLE = {
  incoming: new Set(['registered', 'proposed', 'instructed']),
  outgoing: new Set(['drafting']),
};

/** @param {Direction} direction @param {string} action */
export const ruleOf = (direction, action) =>
  Object.hasOwn(CHAINS[direction], action) ? CHAINS[direction][action] : undefined;

/** @param {Direction} direction @param {string} status */
export const allowedActions = (direction, status) =>
  Object.entries(CHAINS[direction])
    .filter(([, rule]) => rule.from.includes(status))
    .map(([action]) => action);

/**
 * The status after an action, or null when the chain does not allow it here.
 * @param {Direction} direction
 * @param {string} status
 * @param {string} action
 * @param {{ countersignsLeft: number }} doc  会签 departments that have not signed yet (after this action)
 */
export function nextStatus(direction, status, action, doc) {
  const rule = ruleOf(direction, action);
  if (!rule?.from.includes(status)) return null;
  if (rule.to === 'countersigning|signing')
    return doc.countersignsLeft > 0 ? 'countersigning' : 'signing';
  return rule.to;
}
