import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestApp } from '../test-support/app.js';
import { needEnv, SERVICES_ENV } from '../test-support/env.js';

const skip = needEnv(SERVICES_ENV);

describe('正文与附件 · body text and attachments in object storage', { skip }, () => {
  /** @type {Awaited<ReturnType<typeof startTestApp>>} */
  let t;
  before(async () => {
    t = await startTestApp({ maxUploadBytes: 64 * 1024 });
  });
  after(async () => {
    await t?.cleanup();
  });

  /** @param {string} key */
  async function objectExists(key) {
    try {
      const stream = await t.storage.get(key);
      stream.destroy();
      return true;
    } catch (error) {
      if (/** @type {any} */ (error).name === 'NoSuchKey') return false;
      throw error;
    }
  }

  it('stores files in the bucket and serves them back byte for byte with their SHA-256', async () => {
    const doc = await t.draft();
    const bytes = randomBytes(20_000);
    const up = await t.call(
      `api/documents/${doc.id}/attachments?kind=attachment&fileName=${encodeURIComponent('附件1 统计表.xlsx')}`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        },
        body: new Uint8Array(bytes),
      },
    );
    assert.equal(up.status, 201, JSON.stringify(up.data));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    assert.equal(up.data.sha256, sha256);
    assert.equal(up.data.sizeBytes, 20_000);
    assert.equal(up.data.kind, 'attachment');
    const down = await t.call(`api/documents/${doc.id}/attachments/${up.data.id}`);
    assert.equal(down.status, 200);
    assert.ok(Buffer.compare(down.data, bytes) === 0);
    assert.equal(down.headers.get('x-content-sha256'), sha256);
    assert.equal(down.headers.get('x-content-type-options'), 'nosniff');
    assert.match(
      down.headers.get('content-disposition') ?? '',
      /^attachment; filename\*=UTF-8''%E9%99%84%E4%BB%B61/,
    );
    const { rows } = await t.db.query('SELECT object_key FROM attachments WHERE id = $1', [
      up.data.id,
    ]);
    assert.ok(await objectExists(rows[0].object_key));
  });

  it('replaces the 正文 and removes the old object', async () => {
    const doc = await t.draft();
    const first = await t.upload(doc.id, 'body', '第一稿');
    const { rows } = await t.db.query('SELECT object_key FROM attachments WHERE id = $1', [
      first.data.id,
    ]);
    const second = await t.upload(doc.id, 'body', '第二稿');
    assert.equal(second.status, 201);
    assert.equal(await objectExists(rows[0].object_key), false);
    const down = await t.call(`api/documents/${doc.id}/attachments/${second.data.id}`);
    assert.equal(down.data.toString(), '第二稿');
    assert.equal(
      (await t.call(`api/documents/${doc.id}/attachments/${first.data.id}`)).status,
      404,
    );
  });

  it('deletes attachments while editable, from the table and the bucket', async () => {
    const doc = await t.draft();
    const up = await t.upload(doc.id, 'attachment', 'x', 'a.txt');
    const { rows } = await t.db.query('SELECT object_key FROM attachments WHERE id = $1', [
      up.data.id,
    ]);
    const del = await t.call(`api/documents/${doc.id}/attachments/${up.data.id}`, {
      method: 'DELETE',
    });
    assert.equal(del.status, 204);
    assert.equal(await objectExists(rows[0].object_key), false);
    assert.equal(
      (await t.call(`api/documents/${doc.id}/attachments/${up.data.id}`, { method: 'DELETE' }))
        .status,
      404,
    );
  });

  it('refuses empty files, oversized files and unknown kinds', async () => {
    const doc = await t.draft();
    const empty = await t.upload(doc.id, 'body', '');
    assert.equal(empty.status, 422);
    const big = await t.upload(doc.id, 'body', randomBytes(70 * 1024));
    assert.equal(big.status, 413);
    assert.equal(big.data.code, 'payload_too_large');
    const kind = await t.upload(doc.id, 'photo', 'x');
    assert.equal(kind.status, 422);
    const nowhere = await t.upload('00000000-0000-4000-8000-000000000000', 'body', 'x');
    assert.equal(nowhere.status, 404);
    const { rows } = await t.db.query(
      'SELECT count(*)::int AS n FROM attachments WHERE document_id = $1',
      [doc.id],
    );
    assert.equal(rows[0].n, 0);
  });

  it('lets incoming documents take files until 承办 is done', async () => {
    const doc = await t.register();
    assert.equal((await t.upload(doc.id, 'body', '来文扫描件', '来文.pdf')).status, 201);
    await t.act(doc.id, 'propose', { opinion: '拟请住建局办理' });
    await t.act(doc.id, 'instruct', { opinion: '同意', undertaker: '住建局' });
    assert.equal((await t.upload(doc.id, 'attachment', '办理报告', '报告.txt')).status, 201);
    await t.act(doc.id, 'undertake', { opinion: '已办理', department: '住建局' });
    assert.equal((await t.upload(doc.id, 'attachment', '迟到的文件', 'late.txt')).status, 409);
  });
});
