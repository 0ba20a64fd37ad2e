#!/usr/bin/env node
// The `web` process: listens on $PORT, stops gracefully on SIGTERM (finishes in-flight requests).
import { buildApp } from './src/app.js';
import { loadConfig, missingSettings } from './src/config.js';
import { createPool } from './src/db.js';
import { createRedis } from './src/redis.js';

const config = loadConfig();
const missing = missingSettings(config);
if (missing.length) {
  console.error(`缺少配置 · Missing settings: ${missing.join(', ')}`);
  process.exit(1);
}

const db = createPool(/** @type {string} */ (config.databaseUrl));
const redis = createRedis(/** @type {string} */ (config.redisUrl), config.redisKeyPrefix);
const app = buildApp({
  db,
  redis,
  adminToken: /** @type {string} */ (config.adminToken),
  defaultRateLimit: config.defaultRateLimit,
  logger: { level: config.logLevel },
});

let stopping = false;
/** @param {string} signal */
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, '正在停止 · shutting down');
  // The platform waits 10 s before SIGKILL; leave earlier with an error rather than be killed.
  const timer = setTimeout(() => process.exit(1), 9000);
  timer.unref();
  try {
    await app.close();
    await db.end();
    await redis.close();
    process.exit(0);
  } catch (error) {
    app.log.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));

await app.listen({ port: config.port, host: config.host });
