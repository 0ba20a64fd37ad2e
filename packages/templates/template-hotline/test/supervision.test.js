import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { scanDeadlines } from '../src/supervision.js';
import { startTestApp } from '../test-support/app.js';
import { needEnv } from '../test-support/env.js';

const skip = needEnv(['DATABASE_URL']);

describe('催办与督办 · reminders and supervision', { skip }, () => {
  /** @type {Awaited<ReturnType<typeof startTestApp>>} */
  let t;
  let clock = new Date('2026-04-06T09:00:00+08:00'); // a Monday
  before(async () => {
    t = await startTestApp({ now: () => clock });
  });
  after(async () => {
    await t?.cleanup();
  });

  /** @param {string} id */
  const supervisionsOf = async (id) =>
    (
      await t.db.query(
        'SELECT kind, level, stage FROM supervisions WHERE work_order_id = $1 ORDER BY id',
        [id],
      )
    ).rows;

  it('raises 催办 when the dispatch clock is due soon and 督办 once it is overdue, once each', async () => {
    clock = new Date('2026-04-06T09:00:00+08:00');
    const order = await t.intake({ category: 'help' }); // dispatch within 2 hours
    await scanDeadlines(t.db, new Date('2026-04-06T10:00:00+08:00'));
    assert.deepEqual(await supervisionsOf(order.id), []);
    await scanDeadlines(t.db, new Date('2026-04-06T10:40:00+08:00'));
    assert.deepEqual(await supervisionsOf(order.id), [
      { kind: 'auto', level: 'reminder', stage: 'dispatch' },
    ]);
    await scanDeadlines(t.db, new Date('2026-04-06T11:30:00+08:00'));
    await scanDeadlines(t.db, new Date('2026-04-06T12:00:00+08:00'));
    assert.deepEqual(await supervisionsOf(order.id), [
      { kind: 'auto', level: 'reminder', stage: 'dispatch' },
      { kind: 'auto', level: 'supervision', stage: 'dispatch' },
    ]);
    clock = new Date('2026-04-06T12:00:00+08:00');
    const detail = await t.call(`api/work-orders/${order.id}`);
    assert.equal(detail.data.supervisionCount, 1);
    assert.equal(detail.data.timer.state, 'overdue');
    const { rows } = await t.db.query(
      `SELECT routing_key FROM outbox WHERE payload->'workOrder'->>'id' = $1 ORDER BY id`,
      [order.id],
    );
    assert.deepEqual(
      rows.map((r) => r.routing_key),
      ['workorder.created', 'workorder.reminded', 'workorder.supervised'],
    );
  });

  it('starts over for the handling clock after dispatch', async () => {
    clock = new Date('2026-04-06T09:00:00+08:00');
    const order = await t.intake({ category: 'enquiry' }); // 3 working days → end of Thu 9 April
    await t.act(order.id, 'dispatch', { department: 'housing' });
    await scanDeadlines(t.db, new Date('2026-04-08T12:00:00+08:00'));
    assert.deepEqual(await supervisionsOf(order.id), []);
    await scanDeadlines(t.db, new Date('2026-04-10T08:00:00+08:00'));
    assert.deepEqual(await supervisionsOf(order.id), [
      { kind: 'auto', level: 'reminder', stage: 'handle' },
      { kind: 'auto', level: 'supervision', stage: 'handle' },
    ]);
  });

  it('raises each supervision exactly once when several workers scan at the same time', async () => {
    clock = new Date('2026-04-06T09:00:00+08:00');
    const orders = await Promise.all([1, 2, 3, 4, 5].map(() => t.intake()));
    const late = new Date('2026-04-07T09:00:00+08:00');
    await Promise.all([
      scanDeadlines(t.db, late),
      scanDeadlines(t.db, late),
      scanDeadlines(t.db, late),
    ]);
    await scanDeadlines(t.db, late); // anything a skipped lock left behind
    for (const order of orders) {
      assert.deepEqual(await supervisionsOf(order.id), [
        { kind: 'auto', level: 'reminder', stage: 'dispatch' },
        { kind: 'auto', level: 'supervision', stage: 'dispatch' },
      ]);
    }
  });

  it('does not supervise orders that were replied to in time', async () => {
    clock = new Date('2026-04-06T09:00:00+08:00');
    const order = await t.intake({ category: 'enquiry' });
    await t.act(order.id, 'dispatch', { department: 'housing' });
    await t.act(order.id, 'sign');
    await t.act(order.id, 'reply', { reply: '已解答 · Answered' });
    await scanDeadlines(t.db, new Date('2026-05-01T09:00:00+08:00'));
    assert.deepEqual(await supervisionsOf(order.id), []);
  });

  it('lets the centre supervise an open order by hand, but not a closed one', async () => {
    clock = new Date('2026-04-06T09:00:00+08:00');
    const order = await t.intake();
    const r = await t.call(`api/work-orders/${order.id}/supervise`, {
      method: 'POST',
      json: {
        note: '领导批示，加快办理 · Leadership asks for speed',
        actor: '督查室 · Inspection office',
      },
    });
    assert.equal(r.status, 200, JSON.stringify(r.data));
    assert.equal(r.data.supervisionCount, 1);
    assert.deepEqual(
      r.data.supervisions.map((/** @type {any} */ s) => [s.kind, s.level, s.actor]),
      [['manual', 'supervision', '督查室 · Inspection office']],
    );
    // A second press is recorded too: manual supervisions are not limited to one.
    await t.call(`api/work-orders/${order.id}/supervise`, {
      method: 'POST',
      json: { note: '再次督办' },
    });
    assert.equal((await t.call(`api/work-orders/${order.id}`)).data.supervisionCount, 2);

    await t.act(order.id, 'dispatch', { department: 'housing' });
    await t.act(order.id, 'sign');
    await t.act(order.id, 'reply', { reply: 'ok' });
    const refused = await t.call(`api/work-orders/${order.id}/supervise`, {
      method: 'POST',
      json: { note: 'x' },
    });
    assert.equal(refused.status, 409);
    assert.equal(refused.data.code, 'invalid_transition');
    assert.equal(
      (await t.call(`api/work-orders/${order.id}/supervise`, { method: 'POST', json: {} })).status,
      422,
    );
  });
});
