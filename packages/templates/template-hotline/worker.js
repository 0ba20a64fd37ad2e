#!/usr/bin/env node
// The `worker` process: consumes work-order events, scans SLA deadlines, relays the outbox.
import pg from 'pg';
import { loadConfig, missingSettings } from './src/config.js';
import { startWorker } from './src/worker.js';

const config = loadConfig();
const missing = missingSettings(config);
if (missing.length) {
  console.error(`缺少配置 · Missing settings: ${missing.join(', ')}`);
  process.exit(1);
}

/** One JSON line per entry, like the web process's logger. */
const line =
  (/** @type {string} */ level) => (/** @type {any} */ fields, /** @type {string} */ msg) =>
    console.log(JSON.stringify({ level, time: Date.now(), msg, ...normalise(fields) }));
/** @param {any} fields */
function normalise(fields) {
  if (fields?.err instanceof Error) return { ...fields, err: fields.err.message };
  return fields;
}
const levels = ['debug', 'info', 'warn', 'error'];
const minimum = Math.max(levels.indexOf(config.logLevel), 0);
const noop = () => {};
const log = {
  info: levels.indexOf('info') >= minimum ? line('info') : noop,
  warn: levels.indexOf('warn') >= minimum ? line('warn') : noop,
  error: line('error'),
};

const db = new pg.Pool({ connectionString: config.databaseUrl, max: 5 });
db.on('error', (error) => log.warn({ err: error }, '数据库连接错误 · database pool error'));
const worker = await startWorker({
  db,
  events: config.events,
  scanIntervalMs: config.scanIntervalMs,
  log,
});
log.info({ scanIntervalMs: config.scanIntervalMs }, '工作进程已启动 · worker started');

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  const timer = setTimeout(() => process.exit(1), 9000);
  timer.unref();
  try {
    await worker.stop();
    await db.end();
    process.exit(0);
  } catch (error) {
    log.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
