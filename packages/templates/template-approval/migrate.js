#!/usr/bin/env node
// release.command: creates or updates the schema and seeds the matter catalog. Idempotent;
// a non-zero exit aborts the rollout.
import pg from 'pg';
import { loadConfig } from './src/config.js';
import { migrate } from './src/schema.js';

const config = loadConfig();
if (!config.databaseUrl) {
  console.error('缺少 DATABASE_URL · DATABASE_URL is not set');
  process.exit(1);
}
const client = new pg.Client({ connectionString: config.databaseUrl });
try {
  await client.connect();
  await migrate(client);
  console.log('数据库迁移完成 · Migration done');
} catch (error) {
  console.error(
    '数据库迁移失败 · Migration failed:',
    error instanceof Error ? error.message : error,
  );
  process.exitCode = 1;
} finally {
  await client.end().catch(() => {});
}
