import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskName, maskPhone } from '../src/mask.js';
import { noticeFor } from '../src/notifications.js';
import { ACTIONS, allowedActions, RULES, STATUS_LABELS, transition } from '../src/state-machine.js';

describe('工单状态机 · work-order state machine', () => {
  it('walks the closed loop 受理→派单→签收→答复→办结→回访', () => {
    /** @type {any} */
    let status = 'accepted';
    for (const action of /** @type {const} */ (['dispatch', 'sign', 'reply', 'close', 'rate'])) {
      const next = transition(status, action);
      assert.ok(next, `${action} from ${status}`);
      status = next;
    }
    assert.equal(status, 'rated');
    assert.deepEqual(allowedActions('rated'), []);
  });

  it('allows return and re-dispatch only while a department holds the order', () => {
    assert.equal(transition('dispatched', 'return'), 'returned');
    assert.equal(transition('handling', 'return'), 'returned');
    assert.equal(transition('returned', 'dispatch'), 'dispatched');
    assert.equal(transition('handling', 'redispatch'), 'dispatched');
    assert.equal(transition('accepted', 'return'), null);
    assert.equal(transition('replied', 'redispatch'), null);
    assert.equal(transition('closed', 'reply'), null);
  });

  it('has a bilingual label for every status and action, and every target is a status', () => {
    for (const label of Object.values(STATUS_LABELS))
      assert.match(label, /\p{Script=Han}.* · [A-Z]/u);
    for (const action of ACTIONS) {
      assert.match(RULES[action].label, /\p{Script=Han}.* · [A-Z]/u);
      assert.ok(Object.hasOwn(STATUS_LABELS, RULES[action].to));
    }
  });
});

describe('通知与脱敏 · notices and masking', () => {
  it('writes a bilingual notice addressed to who acts next', () => {
    const event = {
      id: '00000000-0000-4000-8000-000000000001',
      type: 'dispatched',
      workOrder: { id: 'x', no: 'GD20260302000001', department: 'housing' },
      detail: {},
    };
    assert.deepEqual(noticeFor(event), {
      recipient: 'department:housing',
      notice:
        '工单 GD20260302000001 已派至贵单位，请签收 · Work order GD20260302000001 was dispatched to you; please sign for it',
    });
    assert.equal(noticeFor({ ...event, type: 'unknown' }), null);
    assert.equal(noticeFor(null), null);
  });

  it('masks phone numbers and given names', () => {
    assert.equal(maskPhone('13800138000'), '138****8000');
    assert.equal(maskPhone('12345'), '*****');
    assert.equal(maskName('王小明'), '王**');
    assert.equal(maskName('李'), '李*');
  });
});
