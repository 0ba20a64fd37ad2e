import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestApp } from '../test-support/app.js';
import { needEnv, SERVICES_ENV } from '../test-support/env.js';
import { idCard, uscc } from '../test-support/identities.js';

const skip = needEnv(SERVICES_ENV);

/** The server's clock; tests set it to check deadlines. @type {Date | null} */
let clock = null;

const person = {
  type: 'person',
  name: '张三',
  idNumber: idCard('33010219900101123'),
  phone: '13800001234',
};
const company = {
  type: 'organization',
  name: '某某餐饮有限公司',
  idNumber: uscc('91330102MA2XXXXX0'),
  phone: '0571-88888888',
};

describe('行政审批 API · approval API', { skip }, () => {
  /** @type {Awaited<ReturnType<typeof startTestApp>>} */
  let t;
  before(async () => {
    t = await startTestApp({ now: () => clock ?? new Date() });
  });
  after(async () => {
    await t?.cleanup();
  });

  /** @param {object} applicant @param {string} [matterId] */
  const create = (applicant = person, matterId = 'food-business-licence') =>
    t.call('api/applications', {
      method: 'POST',
      json: { matterId, applicant, form: { shopName: '小吃店' } },
    });

  /** @param {string} id @param {string} material @param {string} [content] */
  const upload = (id, material, content = `${material} 的内容 · content`) =>
    t.call(
      `api/applications/${id}/attachments?material=${material}&fileName=${encodeURIComponent(`${material}.pdf`)}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/pdf' },
        body: Buffer.from(content),
      },
    );

  /** @param {string} id @param {string} action @param {object} [body] */
  const act = (id, action, body = {}) =>
    t.call(`api/applications/${id}/actions/${action}`, { method: 'POST', json: body });

  /** A submitted application with every required material. @param {object} [applicant] */
  async function submitted(applicant = person) {
    const { data } = await create(applicant);
    for (const key of ['application-form', 'business-licence', 'floor-plan']) {
      assert.equal((await upload(data.id, key)).status, 201);
    }
    const sent = await act(data.id, 'submit');
    assert.equal(sent.status, 200);
    return data.id;
  }

  it('is healthy and ready, and serves the web page', async () => {
    assert.deepEqual((await t.call('healthz')).data, { status: 'ok' });
    assert.equal((await t.call('readyz')).status, 200);
    const page = await t.call('');
    assert.equal(page.status, 200);
    const html = Buffer.from(page.data).toString('utf8');
    assert.match(html, /行政审批/);
    assert.match(html, /src="app\.js"/, 'the page must use relative URLs');
    assert.equal((await t.call('app.js')).status, 200);
  });

  it('seeds the matter catalog with time limits and material lists', async () => {
    const { data } = await t.call('api/matters');
    const food = data.items.find((/** @type {any} */ m) => m.id === 'food-business-licence');
    assert.equal(food.timeLimitDays, 20);
    assert.deepEqual(
      food.materials
        .filter((/** @type {any} */ m) => m.required)
        .map((/** @type {any} */ m) => m.key),
      ['application-form', 'business-licence', 'floor-plan'],
    );
    assert.equal((await t.call('api/matters/no-such-matter')).status, 404);
  });

  it('runs an application from draft to delivery, with one correction round', async () => {
    const created = await create();
    assert.equal(created.status, 201);
    const id = created.data.id;
    assert.equal(created.data.status, 'draft');
    assert.match(created.data.no, /^SP\d{8}-\d{6}$/);

    const empty = await act(id, 'submit');
    assert.equal(empty.status, 422);
    assert.equal(empty.type, 'application/problem+json');
    assert.equal(empty.data.code, 'materials_missing');
    assert.deepEqual(
      empty.data.errors.map((/** @type {any} */ e) => e.path),
      ['materials/application-form', 'materials/business-licence', 'materials/floor-plan'],
    );

    const form = await upload(id, 'application-form', '申请书正文');
    assert.equal(form.status, 201);
    assert.equal(form.data.sha256, createHash('sha256').update('申请书正文').digest('hex'));
    await upload(id, 'business-licence');
    assert.equal((await act(id, 'submit')).data.code, 'materials_missing');
    const plan = await upload(id, 'floor-plan', 'first plan');
    assert.equal((await act(id, 'submit')).data.status, 'submitted');

    // The window asks for a corrected floor plan; the applicant replaces it and resubmits.
    assert.equal((await upload(id, 'floor-plan')).status, 409, 'no uploads while submitted');
    assert.equal((await act(id, 'request_correction')).status, 422, 'a note is required');
    const corr = await act(id, 'request_correction', {
      note: '平面图缺少比例尺 · The floor plan lacks a scale',
    });
    assert.equal(corr.data.status, 'correction_required');
    assert.match(corr.data.correctionNote, /比例尺/);
    const removed = await t.call(`api/applications/${id}/attachments/${plan.data.id}`, {
      method: 'DELETE',
    });
    assert.equal(removed.status, 204);
    assert.equal((await act(id, 'resubmit')).data.code, 'materials_missing');
    await upload(id, 'floor-plan', 'second plan with scale');
    assert.equal((await act(id, 'resubmit')).data.status, 'submitted');

    // Accepted on Monday 3 March 2025, 10:00 in Beijing: 20 working days → 31 March.
    clock = new Date('2025-03-03T02:00:00Z');
    const accepted = await act(id, 'accept', { actor: '综合窗口 王五' });
    clock = null;
    assert.equal(accepted.data.status, 'accepted');
    assert.equal(accepted.data.dueDate, '2025-03-31');
    assert.equal(accepted.data.correctionNote, null);
    assert.equal(accepted.data.overdue, true, 'the deadline of 2025 has passed by now');

    const early = await act(id, 'deliver', { deliveryMethod: '窗口领取' });
    assert.equal(early.status, 409);
    assert.equal(early.type, 'application/problem+json');
    assert.equal(early.data.code, 'invalid_transition');
    assert.equal(early.data.status, 409);
    assert.match(early.data.title, / · /, 'bilingual title');
    assert.deepEqual(early.data.allowedActions, ['review']);

    assert.equal((await act(id, 'review')).status, 422, 'an opinion is required');
    assert.equal(
      (await act(id, 'review', { opinion: '材料齐全，符合条件' })).data.status,
      'reviewed',
    );
    const approved = await act(id, 'approve', { reason: '符合《食品安全法》第三十五条' });
    assert.equal(approved.data.decision, 'approved');
    assert.ok(approved.data.decidedAt);
    assert.equal(approved.data.overdue, false, 'the clock stops at the decision');
    const delivered = await act(id, 'deliver', { deliveryMethod: '电子证照 · e-licence' });
    assert.equal(delivered.data.status, 'delivered');
    assert.deepEqual(delivered.data.allowedActions, []);

    const { data } = await t.call(`api/applications/${id}`);
    assert.deepEqual(
      data.history.map((/** @type {any} */ h) => `${h.action}:${h.fromStatus}>${h.toStatus}`),
      [
        'create:null>draft',
        'submit:draft>submitted',
        'request_correction:submitted>correction_required',
        'resubmit:correction_required>submitted',
        'accept:submitted>accepted',
        'review:accepted>reviewed',
        'approve:reviewed>approved',
        'deliver:approved>delivered',
      ],
    );
    assert.equal(data.history[4].actor, '综合窗口 王五');
    assert.equal(data.attachments.length, 3);

    const formFile = await t.call(`api/applications/${id}/attachments/${form.data.id}`);
    assert.equal(formFile.status, 200);
    assert.equal(Buffer.from(formFile.data).toString('utf8'), '申请书正文');
    assert.equal(formFile.headers.get('x-content-sha256'), form.data.sha256);
  });

  it('refuses and rejects with reasons, for legal persons too', async () => {
    const refusedId = await submitted(company);
    assert.equal((await act(refusedId, 'refuse')).status, 422);
    const refused = await act(refusedId, 'refuse', { reason: '不属于本机关职权范围' });
    assert.equal(refused.data.status, 'refused');
    assert.equal((await act(refusedId, 'accept')).status, 409);

    const rejectedId = await submitted(company);
    await act(rejectedId, 'accept');
    await act(rejectedId, 'review', { opinion: '经营场所不符合要求' });
    const rejected = await act(rejectedId, 'reject', { reason: '经营场所与污染源距离不足' });
    assert.equal(rejected.data.decision, 'rejected');
    assert.equal(
      (await act(rejectedId, 'deliver', { deliveryMethod: '邮寄 · by post' })).data.status,
      'delivered',
    );
  });

  it('lets only one of two concurrent acceptances win', async () => {
    const id = await submitted();
    const results = await Promise.all([act(id, 'accept'), act(id, 'accept')]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
    const { data } = await t.call(`api/applications/${id}`);
    assert.equal(data.history.filter((/** @type {any} */ h) => h.action === 'accept').length, 1);
  });

  it('validates input with problem+json answers', async () => {
    const badId = await create({ ...person, idNumber: '110105194912310021' });
    assert.equal(badId.status, 422);
    assert.equal(badId.data.code, 'validation_failed');
    assert.equal(badId.data.errors[0].path, 'body/applicant/idNumber');

    const missing = await t.call('api/applications', { method: 'POST', json: { matterId: 'x' } });
    assert.equal(missing.status, 422);
    assert.equal(missing.type, 'application/problem+json');

    assert.equal((await create(person, 'no-such-matter')).status, 404);
    assert.equal((await t.call('api/applications/not-a-uuid')).status, 422);
    assert.equal(
      (await t.call('api/applications/00000000-0000-4000-8000-000000000000')).status,
      404,
    );

    const { data } = await create();
    assert.equal((await act(data.id, 'teleport')).data.code, 'not_found');
    assert.equal((await upload(data.id, 'no-such-material')).status, 422);
    const big = await t.call(
      `api/applications/${data.id}/attachments?material=floor-plan&fileName=big.bin`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: Buffer.alloc(65 * 1024),
      },
    );
    assert.equal(big.status, 413);
    assert.equal(big.data.code, 'payload_too_large');
    const json = await t.call(
      `api/applications/${data.id}/attachments?material=floor-plan&fileName=a.json`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"stored":"as bytes"}',
      },
    );
    assert.equal(json.status, 201, 'a JSON file is stored as it is, not parsed');
    assert.equal(json.data.contentType, 'application/json');
  });

  it('lists applications with masked personal data', async () => {
    await submitted();
    const { data } = await t.call('api/applications?status=submitted&limit=100');
    assert.ok(data.total >= 1);
    assert.ok(data.items.every((/** @type {any} */ a) => a.status === 'submitted'));
    const mine = data.items.find((/** @type {any} */ a) => a.applicant.name === person.name);
    assert.equal(
      mine.applicant.idNumber,
      `${person.idNumber.slice(0, 6)}********${person.idNumber.slice(-4)}`,
    );
    assert.equal(mine.applicant.phone, '138****1234');
    assert.equal((await t.call('api/applications?status=nonsense')).status, 422);
  });
});
