import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp } from '../test-support/app.js';
import { needEnv } from '../test-support/env.js';

const skip = needEnv(['DATABASE_URL']);

describe('工单接口 · work-order API', { skip }, () => {
  /** @type {Awaited<ReturnType<typeof startTestApp>>} */
  let t;
  // A fixed Monday morning, so deadlines are predictable.
  let clock = new Date('2026-03-02T09:00:00+08:00');
  before(async () => {
    t = await startTestApp({ now: () => clock });
  });
  after(async () => {
    await t?.cleanup();
  });

  it('serves health, readiness and the web page', async () => {
    assert.deepEqual((await t.call('healthz')).data, { status: 'ok' });
    assert.equal((await t.call('readyz')).status, 200);
    const page = await t.call('');
    assert.equal(page.type, 'text/html');
    assert.match(page.data, /12345/);
  });

  it('publishes the dispatch catalog with time limits', async () => {
    const { data } = await t.call('api/meta');
    const complaint = data.categories.find((/** @type {any} */ c) => c.code === 'complaint');
    assert.deepEqual(complaint, {
      code: 'complaint',
      name: '投诉 · Complaint',
      dispatchHours: 2,
      handleDays: 13,
    });
    assert.ok(data.departments.some((/** @type {any} */ d) => d.code === 'housing'));
    assert.deepEqual(Object.keys(data.timerStates), ['normal', 'due_soon', 'overdue']);
  });

  it('受理: registers a request with a number, deadlines and a running dispatch clock', async () => {
    const order = await t.intake({ channel: 'app', urgent: false });
    assert.match(order.no, /^GD20260302\d{6}$/);
    assert.equal(order.status, 'accepted');
    assert.equal(order.channel, 'app');
    assert.equal(order.citizen.phone, '13800138000');
    assert.deepEqual(order.allowedActions, ['dispatch']);
    assert.equal(new Date(order.dispatchDueAt).toISOString(), '2026-03-02T03:00:00.000Z');
    assert.equal(new Date(order.handleDueAt).toISOString(), '2026-03-19T16:00:00.000Z');
    assert.equal(order.timer.stage, 'dispatch');
    assert.equal(order.timer.state, 'normal');
    assert.equal(order.timer.remainingMinutes, 120);
  });

  it('refuses invalid intake with problem+json and field paths', async () => {
    const bad = await t.call('api/work-orders', {
      method: 'POST',
      json: {
        channel: 'fax',
        citizen: { phone: 'abc' },
        category: 'complaint',
        location: 'x',
        content: 'y',
      },
    });
    assert.equal(bad.status, 422);
    assert.equal(bad.type, 'application/problem+json');
    assert.equal(bad.data.code, 'validation_failed');
    assert.equal(bad.data.type, 'urn:zhengwu:problem:validation_failed');
    assert.ok(bad.data.errors.length >= 1);
    const unknown = await t.call('api/work-orders', {
      method: 'POST',
      json: {
        channel: 'web',
        citizen: { phone: '13800138000' },
        category: 'ufo',
        location: 'x',
        content: 'y',
      },
    });
    assert.equal(unknown.status, 422);
    assert.deepEqual(unknown.data.errors, [{ path: 'body/category', message: 'unknown category' }]);
  });

  it('runs the closed loop 派单→签收→答复→办结→回访 with a history entry per step', async () => {
    const order = await t.intake();
    clock = new Date('2026-03-02T10:00:00+08:00');
    let r = await t.act(order.id, 'dispatch', {
      department: 'housing',
      actor: '派单员 · Dispatcher',
    });
    assert.equal(r.status, 200, JSON.stringify(r.data));
    assert.equal(r.data.status, 'dispatched');
    assert.equal(r.data.department, 'housing');
    assert.equal(r.data.timer.stage, 'handle');
    r = await t.act(order.id, 'sign');
    assert.equal(r.data.status, 'handling');
    r = await t.act(order.id, 'reply', { reply: '已责令施工单位夜间停工 · Night work stopped' });
    assert.equal(r.data.status, 'replied');
    assert.equal(r.data.timer, null);
    r = await t.act(order.id, 'close');
    assert.equal(r.data.status, 'closed');
    r = await t.act(order.id, 'rate', { rating: 5, comment: '满意 · Satisfied' });
    assert.equal(r.data.status, 'rated');
    assert.equal(r.data.rating, 5);
    const detail = await t.call(`api/work-orders/${order.id}`);
    const steps = detail.data.history.map((/** @type {any} */ h) => h.action);
    for (const step of ['accept', 'dispatch', 'sign', 'reply', 'close', 'rate'])
      assert.ok(steps.includes(step), step);
    assert.deepEqual(
      steps.filter((/** @type {string} */ s) => !['remind', 'supervise'].includes(s)),
      ['accept', 'dispatch', 'sign', 'reply', 'close', 'rate'],
    );
    assert.equal(detail.data.history[1].actor, '派单员 · Dispatcher');
  });

  it('退单 then 改派: a returned order goes to another department; the handling clock keeps running', async () => {
    clock = new Date('2026-03-02T09:00:00+08:00');
    const order = await t.intake({ category: 'enquiry' });
    await t.act(order.id, 'dispatch', { department: 'transport' });
    clock = new Date('2026-03-02T15:00:00+08:00');
    const returned = await t.act(order.id, 'return', { reason: '非本单位职责 · Not our remit' });
    assert.equal(returned.data.status, 'returned');
    assert.equal(returned.data.department, null);
    assert.equal(returned.data.returnReason, '非本单位职责 · Not our remit');
    // A fresh 2-hour dispatch window from the return.
    assert.equal(new Date(returned.data.dispatchDueAt).toISOString(), '2026-03-02T09:00:00.000Z');
    assert.equal(returned.data.timer.stage, 'dispatch');
    const again = await t.act(order.id, 'dispatch', { department: 'urban-management' });
    assert.equal(again.data.status, 'dispatched');
    assert.equal(again.data.handleDueAt, order.handleDueAt);
    const same = await t.act(order.id, 'redispatch', {
      department: 'urban-management',
      reason: 'x',
    });
    assert.equal(same.status, 422);
    const moved = await t.act(order.id, 'redispatch', {
      department: 'environment',
      reason: '涉及排污 · Pollution',
    });
    assert.equal(moved.data.department, 'environment');
  });

  it('refuses steps the state machine does not allow (409 invalid_transition)', async () => {
    const order = await t.intake();
    const r = await t.act(order.id, 'reply', { reply: 'too early' });
    assert.equal(r.status, 409);
    assert.equal(r.data.code, 'invalid_transition');
    assert.deepEqual(r.data.allowedActions, ['dispatch']);
    const missing = await t.act(order.id, 'dispatch', {});
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.data.errors, [{ path: 'body/department', message: 'required' }]);
    const unknownDept = await t.act(order.id, 'dispatch', { department: 'nowhere' });
    assert.equal(unknownDept.status, 422);
    const unknownAction = await t.act(order.id, 'teleport');
    assert.equal(unknownAction.status, 404);
  });

  it('accepts ratings 1–5 only, once', async () => {
    const order = await t.intake();
    await t.act(order.id, 'dispatch', { department: 'housing' });
    await t.act(order.id, 'sign');
    await t.act(order.id, 'reply', { reply: 'done' });
    await t.act(order.id, 'close');
    assert.equal((await t.act(order.id, 'rate', { rating: 6 })).status, 422);
    assert.equal((await t.act(order.id, 'rate', { rating: 0 })).status, 422);
    assert.equal((await t.act(order.id, 'rate', { rating: 2 })).status, 200);
    assert.equal((await t.act(order.id, 'rate', { rating: 3 })).status, 409);
  });

  it('lists with masked personal data and filters by timer state', async () => {
    clock = new Date('2026-03-02T09:00:00+08:00');
    const late = await t.intake({ citizen: { name: '赵六', phone: '13912345678' } });
    clock = new Date('2026-03-02T10:50:00+08:00'); // 10 minutes before `late`'s dispatch deadline
    const fresh = await t.intake();
    let list = await t.call('api/work-orders?timer=due_soon&limit=100');
    const ids = list.data.items.map((/** @type {any} */ i) => i.id);
    assert.ok(ids.includes(late.id));
    assert.ok(!ids.includes(fresh.id));
    const item = list.data.items.find((/** @type {any} */ i) => i.id === late.id);
    assert.deepEqual(item.citizen, { name: '赵*', phone: '139****5678' });
    assert.equal(item.timer.state, 'due_soon');
    clock = new Date('2026-03-02T11:30:00+08:00');
    list = await t.call('api/work-orders?timer=overdue&limit=100');
    assert.ok(list.data.items.some((/** @type {any} */ i) => i.id === late.id));
    list = await t.call('api/work-orders?status=accepted&timer=normal&limit=100');
    assert.ok(list.data.items.some((/** @type {any} */ i) => i.id === fresh.id));
    assert.ok(!list.data.items.some((/** @type {any} */ i) => i.id === late.id));
    assert.equal((await t.call('api/work-orders?timer=late')).status, 422);
  });

  it('answers unknown ids and routes with 404 problem+json', async () => {
    const r = await t.call('api/work-orders/00000000-0000-4000-8000-000000000000');
    assert.equal(r.status, 404);
    assert.equal(r.data.code, 'not_found');
    assert.equal((await t.call('api/work-orders/not-a-uuid')).status, 422);
    assert.equal((await t.call('api/nothing')).data.code, 'not_found');
  });

  it('writes every change into the outbox in order, without personal data', async () => {
    const order = await t.intake();
    await t.act(order.id, 'dispatch', { department: 'housing' });
    await t.act(order.id, 'return', { reason: 'wrong' });
    const { rows } = await t.db.query(
      `SELECT routing_key, payload FROM outbox WHERE payload->'workOrder'->>'id' = $1 ORDER BY id`,
      [order.id],
    );
    assert.deepEqual(
      rows.map((r) => r.routing_key),
      ['workorder.created', 'workorder.dispatched', 'workorder.returned'],
    );
    assert.equal(rows[2].payload.detail.reason, 'wrong');
    assert.equal(rows[2].payload.detail.previousDepartment, undefined);
    const text = JSON.stringify(rows);
    assert.ok(
      !text.includes('13800138000') && !text.includes('王小明'),
      'no personal data in events',
    );
  });
});
