import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowedActions, CHAINS, nextStatus, STATUS_LABELS } from '../src/chains.js';
import { acceptClassification, acceptUrgency } from '../src/marks.js';
import { cstYear, formatNumber } from '../src/numbering.js';
import { Problem } from '../src/problem.js';

describe('审批链 · approval chains', () => {
  it('收文 runs 登记 → 拟办 → 批办 → 承办 → 办结 and nothing else', () => {
    let status = 'registered';
    for (const action of ['propose', 'instruct', 'undertake', 'complete']) {
      assert.deepEqual(allowedActions('incoming', status), [action]);
      status = /** @type {string} */ (
        nextStatus('incoming', status, action, { countersignsLeft: 0 })
      );
    }
    assert.equal(status, 'completed');
    assert.deepEqual(allowedActions('incoming', 'completed'), []);
    assert.equal(nextStatus('incoming', 'registered', 'instruct', { countersignsLeft: 0 }), null);
    assert.equal(nextStatus('incoming', 'registered', 'sign', { countersignsLeft: 0 }), null);
  });

  it('发文 goes through 会签 only while countersigns are outstanding', () => {
    assert.equal(nextStatus('outgoing', 'reviewing', 'review', { countersignsLeft: 0 }), 'signing');
    assert.equal(
      nextStatus('outgoing', 'reviewing', 'review', { countersignsLeft: 2 }),
      'countersigning',
    );
    assert.equal(
      nextStatus('outgoing', 'countersigning', 'countersign', { countersignsLeft: 1 }),
      'countersigning',
    );
    assert.equal(
      nextStatus('outgoing', 'countersigning', 'countersign', { countersignsLeft: 0 }),
      'signing',
    );
    const order = ['signing', 'numbering', 'sealing', 'distributing', 'archived'];
    const actions = ['sign', 'number', 'seal', 'distribute'];
    actions.forEach((action, i) => {
      assert.equal(nextStatus('outgoing', order[i], action, { countersignsLeft: 0 }), order[i + 1]);
    });
  });

  it('returns for revision only before 签发', () => {
    for (const status of ['reviewing', 'countersigning', 'signing']) {
      assert.equal(nextStatus('outgoing', status, 'return', { countersignsLeft: 0 }), 'drafting');
    }
    for (const status of ['drafting', 'numbering', 'sealing', 'archived']) {
      assert.equal(nextStatus('outgoing', status, 'return', { countersignsLeft: 0 }), null);
    }
  });

  it('labels every status and action in both languages', () => {
    for (const direction of /** @type {const} */ (['incoming', 'outgoing'])) {
      for (const label of Object.values(STATUS_LABELS[direction]))
        assert.match(label, /\p{Script=Han}.* · [A-Z]/u);
      for (const rule of Object.values(CHAINS[direction]))
        assert.match(rule.label, /\p{Script=Han}.* · [A-Z]/u);
    }
  });
});

describe('发文字号与密级 · numbers and marks', () => {
  it('formats 发文字号 with 六角括号 and takes the year in China Standard Time', () => {
    assert.equal(formatNumber('X府办发', 2026, 12), 'X府办发〔2026〕12号');
    assert.equal(cstYear(new Date('2026-12-31T15:59:59Z')), 2026);
    assert.equal(cstYear(new Date('2026-12-31T16:00:00Z')), 2027);
  });

  it('accepts 公开 and 内部 in either language and refuses every classified mark', () => {
    assert.equal(acceptClassification('公开'), 'public');
    assert.equal(acceptClassification('internal'), 'internal');
    for (const mark of ['秘密', '机密', '绝密', 'secret', 'Confidential', 'top_secret']) {
      assert.throws(
        () => acceptClassification(mark),
        (/** @type {any} */ error) =>
          error instanceof Problem && error.code === 'classified_not_allowed',
        mark,
      );
    }
    assert.throws(
      () => acceptClassification('restricted'),
      (/** @type {any} */ error) => error.code === 'validation_failed',
    );
  });

  it('accepts the three urgency marks', () => {
    assert.equal(acceptUrgency('特急'), 'extra_urgent');
    assert.equal(acceptUrgency('加急'), 'urgent');
    assert.equal(acceptUrgency('normal'), 'normal');
    assert.throws(
      () => acceptUrgency('急件'),
      (/** @type {any} */ error) => error.code === 'validation_failed',
    );
  });
});
