import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp } from '../test-support/app.js';
import { needEnv, SERVICES_ENV } from '../test-support/env.js';

const skip = needEnv(SERVICES_ENV);

describe('收文 · incoming documents', { skip }, () => {
  /** @type {Awaited<ReturnType<typeof startTestApp>>} */
  let t;
  before(async () => {
    t = await startTestApp({ now: () => new Date('2026-05-11T09:30:00+08:00') });
  });
  after(async () => {
    await t?.cleanup();
  });

  it('serves health, readiness (database and bucket) and the web page', async () => {
    assert.deepEqual((await t.call('healthz')).data, { status: 'ok' });
    assert.deepEqual((await t.call('readyz')).data, { status: 'ready' });
    const page = await t.call('');
    assert.equal(page.type, 'text/html');
    assert.match(page.data.toString(), /公文/);
  });

  it('登记 gives a 收文编号 and keeps the marks', async () => {
    const doc = await t.register({
      urgency: '特急',
      receivedOn: '2026-05-10',
      dueOn: '2026-05-20',
    });
    assert.match(doc.registrationNo, /^收文〔2026〕\d+号$/);
    assert.equal(doc.status, 'registered');
    assert.equal(doc.classification, 'internal');
    assert.equal(doc.classificationLabel, '内部 · Internal');
    assert.equal(doc.urgency, 'extra_urgent');
    assert.equal(doc.receivedOn, '2026-05-10');
    assert.equal(doc.dueOn, '2026-05-20');
    assert.deepEqual(doc.allowedActions, ['propose']);
    const other = await t.register();
    assert.notEqual(other.registrationNo, doc.registrationNo);
    assert.equal(other.receivedOn, '2026-05-11', 'defaults to today in China Standard Time');
  });

  it('refuses classified documents with a clear message, and stores nothing', async () => {
    for (const classification of ['秘密', '机密', '绝密', 'secret']) {
      const r = await t.call('api/documents/incoming', {
        method: 'POST',
        json: {
          title: '某涉密文件',
          docType: '通知',
          classification,
          urgency: '平件',
          sourceOrg: '某单位',
        },
      });
      assert.equal(r.status, 422, classification);
      assert.equal(r.type, 'application/problem+json');
      assert.equal(r.data.code, 'classified_not_allowed');
      assert.match(r.data.detail, /涉密公文不得在本系统/);
      assert.match(r.data.detail, /classified network/);
    }
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS n FROM documents WHERE title = '某涉密文件'`,
    );
    assert.equal(rows[0].n, 0);
    const unknown = await t.call('api/documents/incoming', {
      method: 'POST',
      json: {
        title: 'x',
        docType: '通知',
        classification: 'restricted',
        urgency: '平件',
        sourceOrg: 'y',
      },
    });
    assert.equal(unknown.data.code, 'validation_failed');
  });

  it('enforces 拟办 → 批办 → 承办 → 办结 in order, with opinions', async () => {
    const doc = await t.register();
    let r = await t.act(doc.id, 'instruct', { opinion: '请住建局办理', undertaker: '住建局' });
    assert.equal(r.status, 409);
    assert.equal(r.data.code, 'invalid_transition');
    assert.deepEqual(r.data.allowedActions, ['propose']);
    r = await t.act(doc.id, 'propose', {});
    assert.equal(r.status, 422);
    assert.deepEqual(r.data.errors, [{ path: 'body/opinion', message: 'required' }]);
    r = await t.act(doc.id, 'propose', {
      opinion: '建议呈县长阅示，由住建局办理',
      actor: '办公室秘书 · Secretary',
    });
    assert.equal(r.data.status, 'proposed');
    r = await t.act(doc.id, 'instruct', {
      opinion: '同意，请住建局抓紧办理',
      undertaker: '住建局',
      actor: '李县长 · County head',
    });
    assert.equal(r.data.status, 'instructed');
    assert.equal(r.data.undertaker, '住建局');
    r = await t.act(doc.id, 'undertake', { opinion: '已部署', department: '交通局' });
    assert.equal(r.status, 403);
    assert.equal(r.data.code, 'forbidden');
    r = await t.act(doc.id, 'undertake', {
      opinion: '已完成排查整改 · Done',
      department: '住建局',
    });
    assert.equal(r.data.status, 'undertaken');
    r = await t.act(doc.id, 'complete', { opinion: '办结归档' });
    assert.equal(r.data.status, 'completed');
    assert.deepEqual(
      r.data.steps.map((/** @type {any} */ s) => [s.action, s.to]),
      [
        ['register', 'registered'],
        ['propose', 'proposed'],
        ['instruct', 'instructed'],
        ['undertake', 'undertaken'],
        ['complete', 'completed'],
      ],
    );
    assert.equal(r.data.steps[2].actor, '李县长 · County head');
    assert.equal(r.data.steps[2].opinion, '同意，请住建局抓紧办理');
    assert.equal((await t.act(doc.id, 'complete')).status, 409);
  });

  it('answers actions of the other chain and unknown ids with 404', async () => {
    const doc = await t.register();
    const r = await t.act(doc.id, 'sign', { opinion: 'x', actor: 'y' });
    assert.equal(r.status, 404);
    assert.deepEqual(r.data.actions, ['propose', 'instruct', 'undertake', 'complete']);
    assert.equal((await t.call('api/documents/00000000-0000-4000-8000-000000000000')).status, 404);
    assert.equal(
      (await t.act('00000000-0000-4000-8000-000000000000', 'propose', { opinion: 'x' })).status,
      404,
    );
  });

  it('lists documents by direction, the most urgent first', async () => {
    const normal = await t.register({ urgency: '平件', title: '平件 · normal' });
    const urgent = await t.register({ urgency: '特急', title: '特急 · extra urgent' });
    const { data } = await t.call('api/documents?direction=incoming&limit=100');
    const ids = data.items.map((/** @type {any} */ d) => d.id);
    assert.ok(ids.indexOf(urgent.id) < ids.indexOf(normal.id));
    assert.ok(data.items.every((/** @type {any} */ d) => d.direction === 'incoming'));
    assert.equal((await t.call('api/documents?direction=sideways')).status, 422);
  });
});
