import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestApp } from '../test-support/app.js';
import { needEnv, SERVICES_ENV } from '../test-support/env.js';

const skip = needEnv(SERVICES_ENV);

describe('数据共享 API · data-sharing API', { skip }, () => {
  /** @type {Awaited<ReturnType<typeof startTestApp>>} */
  let t;
  // A fixed clock: every rate-limit count of this run falls in one window.
  const now = Date.UTC(2030, 0, 1, 9, 0, 30);
  before(async () => {
    t = await startTestApp({ now: () => now });
  });
  after(async () => {
    await t?.cleanup();
  });

  /** @param {object} [body] */
  async function consumer(body = {}) {
    const created = await t.call('api/admin/consumers', {
      method: 'POST',
      admin: true,
      json: {
        name: '市卫健委 · City Health Commission',
        department: '卫生健康',
        rateLimitPerMinute: 100,
        ...body,
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.data));
    return created.data;
  }

  /** @param {string} id @param {object} [body] */
  const grant = (id, body = { purpose: '核验食品经营许可 · verify food licences' }) =>
    t.call(`api/admin/consumers/${id}/grants/enterprise-licences`, {
      method: 'PUT',
      admin: true,
      json: body,
    });

  it('is healthy and ready, and serves the web page', async () => {
    assert.deepEqual((await t.call('healthz')).data, { status: 'ok' });
    assert.equal((await t.call('readyz')).status, 200);
    const page = await t.call('');
    assert.match(page.data, /数据共享/);
    assert.match(page.data, /src="app\.js"/);
  });

  it('guards the admin API with the admin token', async () => {
    const none = await t.call('api/admin/datasets');
    assert.equal(none.status, 401);
    assert.equal(none.type, 'application/problem+json');
    assert.equal(none.data.code, 'unauthorized');
    assert.equal(
      (await t.call('api/admin/datasets', { headers: { authorization: 'Bearer wrong' } })).status,
      401,
    );
    const listed = await t.call('api/admin/datasets', { admin: true });
    assert.deepEqual(
      listed.data.items
        .filter((/** @type {any} */ d) => ['enterprise-licences', 'licence-stats'].includes(d.id))
        .map((/** @type {any} */ d) => d.shareType),
      ['conditional', 'unconditional'],
    );
  });

  it('shows an API key once and stores only its hash', async () => {
    const { consumer: c, apiKey } = await consumer();
    assert.match(apiKey, /^zws_[A-Za-z0-9_-]{43}$/);
    assert.equal(c.keyPrefix, apiKey.slice(0, 12));
    const { rows } = await t.db.query(
      'SELECT row_to_json(c)::text AS json, key_hash FROM sharing.consumers c WHERE id = $1',
      [c.id],
    );
    assert.equal(rows[0].key_hash, createHash('sha256').update(apiKey).digest('hex'));
    assert.ok(!rows[0].json.includes(apiKey.slice(4)), 'the key itself is not stored');
    const listed = await t.call('api/admin/consumers', { admin: true });
    assert.ok(!JSON.stringify(listed.data).includes(apiKey.slice(4)));
  });

  it('serves granted datasets page by page, with filters, to the key holder only', async () => {
    const { consumer: c, apiKey } = await consumer();
    assert.equal((await t.call('api/v1/datasets/enterprise-licences/rows')).status, 401);
    assert.equal(
      (await t.call('api/v1/datasets/enterprise-licences/rows', { key: 'zws_nonsense' })).status,
      401,
    );

    // 无条件共享 needs no grant; 有条件共享 does.
    const stats = await t.call('api/v1/datasets/licence-stats/rows?pageSize=100', { key: apiKey });
    assert.equal(stats.status, 200);
    assert.equal(
      stats.data.rows.reduce((/** @type {number} */ n, /** @type {any} */ r) => n + r.licences, 0),
      54,
    );
    const refused = await t.call('api/v1/datasets/enterprise-licences/rows', { key: apiKey });
    assert.equal(refused.status, 403);
    assert.equal(refused.data.code, 'forbidden');
    assert.equal(
      (await t.call('api/v1/datasets/no-such-dataset/rows', { key: apiKey })).status,
      403,
    );
    let visible = await t.call('api/v1/datasets', { key: apiKey });
    assert.deepEqual(
      visible.data.items
        .map((/** @type {any} */ d) => d.id)
        .filter((/** @type {string} */ id) => id === 'enterprise-licences'),
      [],
    );

    assert.equal((await grant(c.id)).status, 200);
    visible = await t.call('api/v1/datasets', { key: apiKey });
    assert.ok(visible.data.items.some((/** @type {any} */ d) => d.id === 'enterprise-licences'));

    const page2 = await t.call('api/v1/datasets/enterprise-licences/rows?page=2&pageSize=25', {
      key: apiKey,
    });
    assert.equal(page2.status, 200);
    assert.equal(page2.data.total, 60);
    assert.equal(page2.data.rows.length, 25);
    assert.equal(page2.data.rows[0].uscc, '91330100MA0000026X');
    assert.equal(page2.data.rows[0].issued_on, '2024-01-27', 'dates stay calendar dates');
    assert.deepEqual(Object.keys(page2.data.rows[0]), [
      'uscc',
      'name',
      'licence_type',
      'district',
      'issued_on',
      'valid_until',
      'status',
    ]);
    const last = await t.call('api/v1/datasets/enterprise-licences/rows?page=3&pageSize=25', {
      key: apiKey,
    });
    assert.equal(last.data.rows.length, 10);

    const west = await t.call(
      `api/v1/datasets/enterprise-licences/rows?district=${encodeURIComponent('西湖区')}&pageSize=100`,
      { key: apiKey },
    );
    assert.equal(west.data.total, 15);
    assert.ok(west.data.rows.every((/** @type {any} */ r) => r.district === '西湖区'));
    const injected = await t.call(
      `api/v1/datasets/enterprise-licences/rows?district=${encodeURIComponent("' OR 1=1 --")}`,
      { key: apiKey },
    );
    assert.equal(injected.data.total, 0);

    const typo = await t.call('api/v1/datasets/enterprise-licences/rows?distrct=x', {
      key: apiKey,
    });
    assert.equal(typo.status, 422);
    assert.equal(typo.data.errors[0].path, 'query/distrct');
  });

  it('caches pages in Redis under the key prefix until the dataset changes', async () => {
    const { consumer: c, apiKey } = await consumer();
    await grant(c.id);
    const path = 'api/v1/datasets/enterprise-licences/rows?status=%E6%B3%A8%E9%94%80&pageSize=3';
    const first = await t.call(path, { key: apiKey });
    const second = await t.call(path, { key: apiKey });
    assert.equal(first.headers.get('x-cache'), 'MISS');
    assert.equal(second.headers.get('x-cache'), 'HIT');
    assert.deepEqual(second.data, first.data);

    const cacheKey = t.redis.cacheKey(
      { id: 'enterprise-licences', version: first.data.version },
      {
        filters: { status: '注销' },
        page: 1,
        pageSize: 3,
      },
    );
    assert.ok(cacheKey.startsWith(t.prefix));
    assert.equal(await t.redis.client.exists(cacheKey), 1);
    const ttl = await t.redis.client.ttl(cacheKey);
    assert.ok(ttl > 0 && ttl <= 60, `ttl ${ttl}`);

    const purged = await t.call('api/admin/datasets/enterprise-licences/purge-cache', {
      method: 'POST',
      admin: true,
    });
    assert.equal(purged.data.version, first.data.version + 1);
    const third = await t.call(path, { key: apiKey });
    assert.equal(third.headers.get('x-cache'), 'MISS');
    assert.equal(third.data.version, first.data.version + 1);
  });

  it('limits each consumer per minute with 429 and Retry-After', async () => {
    const { apiKey } = await consumer({ rateLimitPerMinute: 3 });
    const other = await consumer({ rateLimitPerMinute: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await t.call('api/v1/datasets', { key: apiKey })).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    const limited = await t.call('api/v1/datasets', { key: apiKey });
    assert.equal(limited.data.code, 'rate_limited');
    assert.equal(limited.headers.get('retry-after'), '30');
    assert.equal(
      (await t.call('api/v1/datasets', { key: other.apiKey })).status,
      200,
      'others are not affected',
    );
  });

  it('logs every call: who, which dataset, when, rows, status', async () => {
    const { consumer: c, apiKey } = await consumer();
    await t.call('api/v1/datasets/enterprise-licences/rows?pageSize=7', { key: apiKey });
    await grant(c.id);
    await t.call('api/v1/datasets/enterprise-licences/rows?pageSize=7', { key: apiKey });
    await t.call('api/v1/datasets/licence-stats/rows?pageSize=2', { key: apiKey });
    const logs = await t.call(`api/admin/call-logs?consumerId=${c.id}`, { admin: true });
    assert.deepEqual(
      logs.data.items.map((/** @type {any} */ l) => [l.datasetId, l.status, l.rows]).reverse(),
      [
        ['enterprise-licences', 403, 0],
        ['enterprise-licences', 200, 7],
        ['licence-stats', 200, 2],
      ],
    );
    const entry = logs.data.items[0];
    assert.equal(entry.consumerName, c.name);
    assert.equal(entry.method, 'GET');
    assert.ok(Date.now() - Date.parse(entry.at) < 60_000);
    assert.equal(typeof entry.durationMs, 'number');
    const anonymous = await t.db.query(
      `SELECT count(*)::int AS n FROM sharing.call_logs WHERE consumer_id IS NULL AND status = 401`,
    );
    assert.ok(anonymous.rows[0].n >= 1, 'calls without a valid key are logged too');
  });

  it('ends access on revoked keys, rotated keys and expired grants', async () => {
    const a = await consumer();
    await grant(a.consumer.id, { purpose: 'once', expiresAt: '2020-01-01T00:00:00Z' });
    assert.equal(
      (await t.call('api/v1/datasets/enterprise-licences/rows', { key: a.apiKey })).status,
      403,
    );

    const rotated = await t.call(`api/admin/consumers/${a.consumer.id}/rotate-key`, {
      method: 'POST',
      admin: true,
    });
    assert.equal(rotated.status, 200);
    assert.equal((await t.call('api/v1/datasets', { key: a.apiKey })).status, 401);
    assert.equal((await t.call('api/v1/datasets', { key: rotated.data.apiKey })).status, 200);

    assert.equal(
      (await t.call(`api/admin/consumers/${a.consumer.id}`, { method: 'DELETE', admin: true })).data
        .active,
      false,
    );
    assert.equal((await t.call('api/v1/datasets', { key: rotated.data.apiKey })).status, 401);
  });

  it('registers datasets only from readable sources outside the app schema', async () => {
    /** @param {object} body */
    const register = (body) =>
      t.call('api/admin/datasets', {
        method: 'POST',
        admin: true,
        json: {
          id: `stats-${process.pid}`,
          name: '统计 · Stats',
          shareType: 'conditional',
          ...body,
        },
      });
    const own = await register({ source: 'sharing.consumers' });
    assert.equal(own.status, 422);
    assert.equal(own.data.code, 'source_invalid');
    assert.equal(
      (await register({ source: 'open_data.nothing_here' })).data.code,
      'source_invalid',
    );
    assert.equal(
      (await register({ source: 'open_data.licence_stats', columns: ['district', 'secret'] })).data
        .code,
      'source_invalid',
    );
    assert.equal((await register({ source: 'x; DROP TABLE y' })).status, 422);

    const made = await register({
      source: 'open_data.licence_stats',
      columns: ['district', 'licences'],
      orderBy: ['district', 'licence_type'],
    });
    assert.equal(made.status, 201);
    assert.deepEqual(made.data.columns, ['district', 'licences']);
    assert.equal((await register({ source: 'open_data.licence_stats' })).status, 409);
  });
});
