import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * Redis for the query cache and the per-consumer rate limit. Every key starts with the
 * binding's key prefix; the binding's ACL denies KEYS/SCAN/INFO, so nothing here lists keys,
 * and the client skips its INFO-based ready check.
 * @param {string} url
 * @param {string} prefix
 */
export function createRedis(url, prefix) {
  const client = new Redis(url, {
    enableReadyCheck: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
  });
  // Errors surface on the calls; without a listener ioredis would print each reconnect.
  client.on('error', () => {});
  const key = (/** @type {string} */ suffix) => `${prefix}${suffix}`;

  return {
    client,
    key,
    /**
     * A cached query page, or null. The key holds the dataset's version, so a changed dataset
     * never reads an old page.
     * @param {{ id: string, version: number }} dataset
     * @param {object} query
     */
    cacheKey(dataset, query) {
      const digest = createHash('sha256').update(JSON.stringify(query)).digest('hex').slice(0, 32);
      return key(`q:${dataset.id}:v${dataset.version}:${digest}`);
    },
    /** @param {string} cacheKey */
    async getCached(cacheKey) {
      const value = await client.get(cacheKey);
      return value === null ? null : JSON.parse(value);
    },
    /** @param {string} cacheKey @param {unknown} value @param {number} ttlSeconds */
    async setCached(cacheKey, value, ttlSeconds) {
      await client.set(cacheKey, JSON.stringify(value), 'EX', ttlSeconds);
    },
    /**
     * Counts a call in the consumer's current one-minute window (fixed window: INCR, and
     * EXPIRE on the first call). Returns whether it is allowed and when the window ends.
     * @param {string} consumerId
     * @param {number} limit
     * @param {number} nowMs
     */
    async hit(consumerId, limit, nowMs) {
      const window = Math.floor(nowMs / 60_000);
      const k = key(`rl:${consumerId}:${window}`);
      const results = await client.multi().incr(k).expire(k, 61).exec();
      const count = Number(results?.[0]?.[1] ?? 0);
      const retryAfter = Math.max(1, Math.ceil(((window + 1) * 60_000 - nowMs) / 1000));
      return { allowed: count <= limit, count, retryAfter };
    },
    async ping() {
      await client.ping();
    },
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/** @typedef {ReturnType<typeof createRedis>} RedisStore */
