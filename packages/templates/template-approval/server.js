#!/usr/bin/env node
// The `web` process: listens on $PORT, stops gracefully on SIGTERM (finishes in-flight requests).
import pg from 'pg';
import { buildApp } from './src/app.js';
import { loadConfig, missingSettings } from './src/config.js';
import { createStorage } from './src/storage.js';

const config = loadConfig();
const missing = missingSettings(config);
if (missing.length) {
  console.error(`缺少配置 · Missing settings: ${missing.join(', ')}`);
  process.exit(1);
}

const db = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
db.on('error', (error) => console.error('数据库连接错误 · Database pool error:', error.message));
const storage = createStorage(config.s3);
const app = buildApp({
  db,
  storage,
  maxUploadBytes: config.maxUploadBytes,
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
    storage.close();
    process.exit(0);
  } catch (error) {
    app.log.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));

await app.listen({ port: config.port, host: config.host });
