import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inTransaction } from '../src/db.js';
import { allocateSequence } from '../src/numbering.js';
import { startTestApp } from '../test-support/app.js';
import { needEnv, SERVICES_ENV } from '../test-support/env.js';

const skip = needEnv(SERVICES_ENV);

describe('发文字号 · document numbers', { skip }, () => {
  /** @type {Awaited<ReturnType<typeof startTestApp>>} */
  let t;
  let clock = new Date('2026-12-31T15:00:00Z'); // 23:00 on 31 December in Beijing
  before(async () => {
    t = await startTestApp({ now: () => clock });
  });
  after(async () => {
    await t?.cleanup();
  });

  /** Drafts a document with the prefix and brings it to 待编号. @param {string} prefix */
  async function readyToNumber(prefix) {
    const doc = await t.draft({ numberPrefix: prefix });
    await t.upload(doc.id);
    await t.act(doc.id, 'submit');
    await t.act(doc.id, 'review', { opinion: '同意' });
    const r = await t.act(doc.id, 'sign', { opinion: '同意', actor: '签发人' });
    assert.equal(r.data.status, 'numbering');
    return doc.id;
  }

  it('numbers concurrent documents 1…n without gaps or duplicates', async () => {
    const prefix = t.uniquePrefix();
    const ids = [];
    for (let i = 0; i < 12; i++) ids.push(await readyToNumber(prefix));
    const results = await Promise.all(ids.map((id) => t.act(id, 'number')));
    for (const r of results) assert.equal(r.status, 200, JSON.stringify(r.data));
    /** @param {string} n */
    const seq = (n) => Number(n.slice(n.indexOf('〕') + 1, -1));
    const numbers = results.map((r) => r.data.docNumber).sort((a, b) => seq(a) - seq(b));
    assert.deepEqual(
      numbers,
      Array.from({ length: 12 }, (_, i) => `${prefix}〔2026〕${i + 1}号`),
    );
  });

  it('keeps separate sequences per prefix and per year (in China Standard Time)', async () => {
    const a = t.uniquePrefix();
    const b = t.uniquePrefix();
    const first = await readyToNumber(a);
    const second = await readyToNumber(b);
    clock = new Date('2026-12-31T15:00:00Z');
    assert.equal((await t.act(first, 'number')).data.docNumber, `${a}〔2026〕1号`);
    assert.equal((await t.act(second, 'number')).data.docNumber, `${b}〔2026〕1号`);
    const third = await readyToNumber(a);
    clock = new Date('2026-12-31T16:30:00Z'); // 00:30 on 1 January 2027 in Beijing
    assert.equal((await t.act(third, 'number')).data.docNumber, `${a}〔2027〕1号`);
    clock = new Date('2026-12-31T15:00:00Z');
  });

  it('gives a number back when its transaction rolls back, so no gap appears', async () => {
    const prefix = t.uniquePrefix();
    await assert.rejects(
      inTransaction(t.db, async (client) => {
        assert.equal(await allocateSequence(client, prefix, 2026), 1);
        throw new Error('用印系统故障 · simulated failure after allocation');
      }),
      /simulated failure/,
    );
    const id = await readyToNumber(prefix);
    assert.equal((await t.act(id, 'number')).data.docNumber, `${prefix}〔2026〕1号`);
  });

  it('refuses to number a document twice', async () => {
    const prefix = t.uniquePrefix();
    const id = await readyToNumber(prefix);
    const [one, two] = await Promise.all([t.act(id, 'number'), t.act(id, 'number')]);
    assert.deepEqual([one.status, two.status].sort(), [200, 409]);
    const { rows } = await t.db.query('SELECT last_seq FROM number_counters WHERE prefix = $1', [
      prefix,
    ]);
    assert.equal(rows[0].last_seq, 1);
  });
});
