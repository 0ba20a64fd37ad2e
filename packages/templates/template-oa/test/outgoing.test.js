import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp } from '../test-support/app.js';
import { needEnv, SERVICES_ENV } from '../test-support/env.js';

const skip = needEnv(SERVICES_ENV);

describe('发文 · outgoing documents', { skip }, () => {
  /** @type {Awaited<ReturnType<typeof startTestApp>>} */
  let t;
  before(async () => {
    t = await startTestApp({ now: () => new Date('2026-06-01T10:00:00+08:00') });
  });
  after(async () => {
    await t?.cleanup();
  });

  it('runs 拟稿 → 核稿 → 会签 → 签发 → 编号 → 用印 → 分发归档', async () => {
    const doc = await t.draft({ countersignDepartments: ['应急管理局', '财政局'] });
    assert.equal(doc.status, 'drafting');
    assert.equal(doc.docNumber, null);
    assert.equal((await t.upload(doc.id)).status, 201);
    let r = await t.act(doc.id, 'submit', { actor: '张拟稿 · Zhang (drafter)' });
    assert.equal(r.data.status, 'reviewing');
    r = await t.act(doc.id, 'review', {
      opinion: '文字已核 · Text checked',
      actor: '王核稿 · Wang (reviewer)',
    });
    assert.equal(r.data.status, 'countersigning');
    r = await t.act(doc.id, 'countersign', {
      opinion: '同意',
      department: '财政局',
      actor: '财政局 · Finance',
    });
    assert.equal(r.data.status, 'countersigning', 'waits for the other department');
    r = await t.act(doc.id, 'countersign', { opinion: '再签', department: '财政局' });
    assert.equal(r.status, 409);
    assert.equal(r.data.code, 'conflict');
    r = await t.act(doc.id, 'countersign', { opinion: '同意', department: '教育局' });
    assert.equal(r.status, 403);
    r = await t.act(doc.id, 'countersign', { opinion: '同意', department: '应急管理局' });
    assert.equal(r.data.status, 'signing');
    assert.deepEqual(
      r.data.countersigns.map((/** @type {any} */ c) => c.department).sort(),
      ['应急管理局', '财政局'].sort(),
    );
    r = await t.act(doc.id, 'number');
    assert.equal(r.status, 409, 'no number before 签发');
    r = await t.act(doc.id, 'sign', {
      opinion: '同意印发 · Approved',
      actor: '李县长 · County head',
    });
    assert.equal(r.data.status, 'numbering');
    assert.equal(r.data.signer, '李县长 · County head');
    r = await t.act(doc.id, 'number');
    assert.equal(r.data.status, 'sealing');
    assert.equal(r.data.docNumber, `${doc.numberPrefix}〔2026〕1号`);
    r = await t.act(doc.id, 'seal', { actor: '印章管理员 · Seal keeper' });
    assert.equal(r.data.status, 'distributing');
    r = await t.act(doc.id, 'distribute');
    assert.equal(r.data.status, 'archived');
    assert.deepEqual(r.data.allowedActions, []);
    assert.deepEqual(
      r.data.steps.map((/** @type {any} */ s) => s.action),
      [
        'draft',
        'submit',
        'review',
        'countersign',
        'countersign',
        'sign',
        'number',
        'seal',
        'distribute',
      ],
    );
  });

  it('skips 会签 when no department has to countersign', async () => {
    const doc = await t.draft();
    await t.upload(doc.id);
    await t.act(doc.id, 'submit');
    const r = await t.act(doc.id, 'review', { opinion: '同意' });
    assert.equal(r.data.status, 'signing');
    assert.equal(
      (await t.act(doc.id, 'countersign', { opinion: 'x', department: '财政局' })).status,
      409,
    );
  });

  it('needs a 正文 before it can be submitted', async () => {
    const doc = await t.draft();
    const r = await t.act(doc.id, 'submit');
    assert.equal(r.status, 422);
    assert.equal(r.data.code, 'body_missing');
    await t.upload(doc.id, 'attachment', 'only an attachment', '附件1.txt');
    assert.equal((await t.act(doc.id, 'submit')).data.code, 'body_missing');
  });

  it('does not let the drafter sign their own document', async () => {
    const doc = await t.draft({ actor: '赵拟稿' });
    await t.upload(doc.id);
    await t.act(doc.id, 'submit');
    await t.act(doc.id, 'review', { opinion: '同意' });
    let r = await t.act(doc.id, 'sign', { opinion: '同意' });
    assert.equal(r.status, 422, 'the signer must be named');
    r = await t.act(doc.id, 'sign', { opinion: '同意', actor: '赵拟稿' });
    assert.equal(r.status, 403);
    assert.match(r.data.detail, /签发人不能是拟稿人/);
    r = await t.act(doc.id, 'sign', { opinion: '同意', actor: '钱主任' });
    assert.equal(r.status, 200);
  });

  it('freezes the text once submitted; 退回修改 unfreezes it and countersigns start over', async () => {
    const doc = await t.draft({ countersignDepartments: ['财政局', '审计局'] });
    await t.upload(doc.id);
    await t.act(doc.id, 'submit');
    let r = await t.upload(doc.id, 'body', '改过的正文');
    assert.equal(r.status, 409);
    assert.equal(r.data.code, 'invalid_transition');
    await t.act(doc.id, 'review', { opinion: '同意' });
    await t.act(doc.id, 'countersign', { opinion: '同意', department: '财政局' });
    r = await t.act(doc.id, 'return', { opinion: '第三段需修改 · Revise paragraph 3' });
    assert.equal(r.data.status, 'drafting');
    assert.deepEqual(r.data.countersigns, []);
    r = await t.upload(doc.id, 'body', '修改后的正文 · revised text');
    assert.equal(r.status, 201);
    const detail = await t.call(`api/documents/${doc.id}`);
    const bodies = detail.data.attachments.filter((/** @type {any} */ a) => a.kind === 'body');
    assert.equal(bodies.length, 1, 'a new 正文 replaces the old one');
    await t.act(doc.id, 'submit');
    r = await t.act(doc.id, 'review', { opinion: '同意' });
    assert.equal(r.data.status, 'countersigning');
    r = await t.act(doc.id, 'countersign', { opinion: '同意', department: '审计局' });
    assert.equal(r.data.status, 'countersigning', '财政局 must countersign the revised text again');
    r = await t.act(doc.id, 'countersign', { opinion: '同意', department: '财政局' });
    assert.equal(r.data.status, 'signing');
    assert.equal((await t.act(doc.id, 'return', {})).status, 422);
  });

  it('validates drafts: 机关代字, recipients, 文种 and classification', async () => {
    const base = {
      title: 't',
      docType: '通知',
      classification: 'public',
      urgency: 'normal',
      issuingOrg: 'o',
      numberPrefix: 'X府办发',
      mainRecipients: ['a'],
    };
    const bad = async (/** @type {Record<string, unknown>} */ change) =>
      t.call('api/documents/outgoing', { method: 'POST', json: { ...base, ...change } });
    assert.equal((await bad({ numberPrefix: 'X府/发' })).status, 422);
    assert.equal((await bad({ mainRecipients: [] })).status, 422);
    assert.equal((await bad({ docType: '便条' })).status, 422);
    const secret = await bad({ classification: '机密' });
    assert.equal(secret.data.code, 'classified_not_allowed');
  });
});
