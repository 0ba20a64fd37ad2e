import { consumerByKey, readableDatasets } from './consumers.js';
import { datasetView } from './datasets.js';
import { Problem } from './problem.js';
import { buildQuery, parseRowsQuery } from './query.js';
import { looksLikeApiKey } from './secrets.js';

/**
 * The consumers' API under /api/v1, authenticated by `X-Api-Key`. Each call is rate limited
 * per consumer and written to sharing.call_logs (who, which dataset, when, rows, status) —
 * refusals included — before the answer leaves.
 */

/**
 * @typedef {object} CallInfo
 * @property {string | null} consumerId
 * @property {string | null} datasetId
 * @property {number} rows
 * @property {boolean} cached
 * @property {number} startedAt
 */

/**
 * @param {import('fastify').FastifyInstance} scope
 * @param {{ db: import('pg').Pool, redis: import('./redis.js').RedisStore, now: () => number }} deps
 */
export async function consumerRoutes(scope, { db, redis, now }) {
  scope.decorateRequest('call', null);

  scope.addHook('onRequest', async (request, reply) => {
    /** @type {CallInfo} */
    const call = {
      consumerId: null,
      datasetId: null,
      rows: 0,
      cached: false,
      startedAt: Date.now(),
    };
    /** @type {any} */ (request).call = call;
    const key = request.headers['x-api-key'];
    const consumer =
      typeof key === 'string' && looksLikeApiKey(key) ? await consumerByKey(db, key) : null;
    if (!consumer) {
      throw new Problem(
        'unauthorized',
        '需要有效的 X-Api-Key · A valid X-Api-Key header is required',
      );
    }
    call.consumerId = consumer.id;
    /** @type {any} */ (request).consumer = consumer;
    const limit = await redis
      .hit(consumer.id, consumer.rate_limit_per_minute, now())
      .catch((error) => {
        // Redis down: serve rather than refuse everyone; the logs still record every call.
        request.log.warn({ err: error }, 'rate limit unavailable');
        return null;
      });
    if (limit) {
      reply.header('x-ratelimit-limit', String(consumer.rate_limit_per_minute));
      reply.header(
        'x-ratelimit-remaining',
        String(Math.max(0, consumer.rate_limit_per_minute - limit.count)),
      );
    }
    if (limit && !limit.allowed) {
      throw new Problem(
        'rate_limited',
        `每分钟最多 ${consumer.rate_limit_per_minute} 次 · At most ${consumer.rate_limit_per_minute} calls per minute`,
        {
          headers: { 'retry-after': String(limit.retryAfter) },
        },
      );
    }
  });

  scope.addHook('onSend', async (request, reply, payload) => {
    const call = /** @type {CallInfo | null} */ (/** @type {any} */ (request).call);
    if (call) {
      await db
        .query(
          `INSERT INTO sharing.call_logs (consumer_id, dataset_id, method, path, status, rows, cached, duration_ms, client_ip)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            call.consumerId,
            call.datasetId,
            request.method,
            request.url.split('?')[0],
            reply.statusCode,
            call.rows,
            call.cached,
            Date.now() - call.startedAt,
            request.ip,
          ],
        )
        .catch((error) => request.log.error({ err: error }, 'call log failed'));
    }
    return payload;
  });

  scope.get('/datasets', async (request) => {
    const rows = await readableDatasets(db, /** @type {any} */ (request).consumer.id);
    return {
      items: rows.map((row) => {
        const { id, name, description, columns, shareType, updatedAt } = datasetView(row);
        return { id, name, description, columns, shareType, updatedAt };
      }),
    };
  });

  scope.get('/datasets/:id/rows', async (request, reply) => {
    const call = /** @type {CallInfo} */ (/** @type {any} */ (request).call);
    const { id } = /** @type {{ id: string }} */ (request.params);
    call.datasetId = id.slice(0, 63);
    const readable = await readableDatasets(db, /** @type {any} */ (request).consumer.id);
    const dataset = readable.find((d) => d.id === id);
    if (!dataset) {
      // Same answer for "does not exist" and "not granted": names of datasets are not leaked.
      throw new Problem('forbidden', `无权访问数据集 ${id} · No access to dataset ${id}`);
    }
    const { query, errors } = parseRowsQuery(/** @type {any} */ (request.query), dataset.columns);
    if (errors.length)
      throw new Problem('validation_failed', '查询参数无效 · Invalid query parameters', { errors });

    const cacheKey = redis.cacheKey(dataset, query);
    let page =
      dataset.cache_ttl_seconds > 0 ? await redis.getCached(cacheKey).catch(() => null) : null;
    call.cached = page !== null;
    if (!page) {
      const sql = buildQuery(dataset, query);
      const [count, rows] = await Promise.all([db.query(sql.count), db.query(sql.rows)]);
      page = { total: count.rows[0].total, rows: rows.rows };
      if (dataset.cache_ttl_seconds > 0) {
        await redis.setCached(cacheKey, page, dataset.cache_ttl_seconds).catch(() => {});
      }
    }
    call.rows = page.rows.length;
    reply.header('x-cache', call.cached ? 'HIT' : 'MISS');
    return {
      dataset: id,
      version: dataset.version,
      page: query.page,
      pageSize: query.pageSize,
      total: page.total,
      rows: page.rows,
    };
  });
}
