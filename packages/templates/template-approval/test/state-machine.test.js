import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACTIONS, allowedActions, RULES, STATUS_LABELS, transition } from '../src/state-machine.js';

describe('办件状态机 · application state machine', () => {
  it('walks the whole happy path with a correction round', () => {
    const path = [
      'submit',
      'request_correction',
      'resubmit',
      'accept',
      'review',
      'approve',
      'deliver',
    ];
    let status = /** @type {import('../src/state-machine.js').Status} */ ('draft');
    const seen = [status];
    for (const action of path) {
      const next = transition(status, /** @type {any} */ (action));
      assert.ok(next, `${action} from ${status}`);
      status = next;
      seen.push(status);
    }
    assert.deepEqual(seen, [
      'draft',
      'submitted',
      'correction_required',
      'submitted',
      'accepted',
      'reviewed',
      'approved',
      'delivered',
    ]);
  });

  it('allows an action only from the statuses its rule lists', () => {
    for (const status of Object.keys(STATUS_LABELS)) {
      for (const action of ACTIONS) {
        const expected = RULES[action].from.includes(/** @type {any} */ (status))
          ? RULES[action].to
          : null;
        assert.equal(
          transition(/** @type {any} */ (status), action),
          expected,
          `${action} from ${status}`,
        );
      }
    }
  });

  it('refuses skipping steps and acting on closed applications', () => {
    assert.equal(transition('draft', 'accept'), null);
    assert.equal(transition('submitted', 'approve'), null);
    assert.equal(transition('accepted', 'deliver'), null);
    assert.equal(transition('delivered', 'submit'), null);
    assert.equal(transition('refused', 'resubmit'), null);
  });

  it('lists what can happen next', () => {
    assert.deepEqual(allowedActions('submitted'), ['request_correction', 'refuse', 'accept']);
    assert.deepEqual(allowedActions('reviewed'), ['approve', 'reject']);
    assert.deepEqual(allowedActions('delivered'), []);
  });

  it('asks for a reason on refusals and decisions', () => {
    for (const action of /** @type {const} */ (['refuse', 'approve', 'reject'])) {
      assert.ok(RULES[action].requires.includes('reason'), action);
    }
  });
});
