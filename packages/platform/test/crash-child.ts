/**
 * A platform in a child process, for the crash test (`crash.test.ts`): it starts
 * `startPlatform` on `CRASH_DATA_DIR` (and `CRASH_DATABASE_URL` when set: external
 * PostgreSQL), registers a slow, resumable `instance.provision` handler, and prints one
 * line `ZW_CHILD_READY {json}` with its URL and the database URL. With `CRASH_SETUP=1` (the
 * first start) it also creates a tenant, an auditor token and one operation to run.
 *
 *   node --import tsx --conditions=zhengwu-source test/crash-child.ts
 *
 * The handler runs `input.steps` steps of `input.stepMs` each. Each step writes its side
 * effect idempotently (`ON CONFLICT DO NOTHING`), logs the attempt that ran it, and
 * reports progress; a resumed attempt starts after the last step the progress recorded —
 * what `OperationHandler` asks of real handlers.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { hashSecret, newTokenSecret, prefixOf } from '../src/auth/secrets';
import { loadConfig } from '../src/config';
import type { Db } from '../src/db/database';
import { newId } from '../src/ids';
import { enqueue } from '../src/operations/queue';
import { registerOperationHandler } from '../src/operations/registry';
import { startPlatform } from '../src/platform';

const dataDir = process.env.CRASH_DATA_DIR;
if (!dataDir) throw new Error('CRASH_DATA_DIR is required');
const databaseUrl = process.env.CRASH_DATABASE_URL;

const effects = async (database: Db) => {
  await sql`CREATE TABLE IF NOT EXISTS crash_effects (
      operation_id text NOT NULL, step int NOT NULL, PRIMARY KEY (operation_id, step))`.execute(
    database,
  );
  await sql`CREATE TABLE IF NOT EXISTS crash_runs (
      operation_id text NOT NULL, step int NOT NULL, attempt int NOT NULL, pid int NOT NULL)`.execute(
    database,
  );
};

registerOperationHandler('instance.provision', async ({ operation, progress, signal, db }) => {
  await effects(db);
  const steps = Number(operation.input.steps ?? 10);
  const stepMs = Number(operation.input.stepMs ?? 200);
  const done = operation.progress.step?.startsWith('step-')
    ? Number(operation.progress.step.slice(5))
    : 0;
  for (let step = done + 1; step <= steps; step++) {
    signal.throwIfAborted();
    await new Promise((r) => setTimeout(r, stepMs));
    await sql`INSERT INTO crash_effects (operation_id, step) VALUES (${operation.id}, ${step})
      ON CONFLICT DO NOTHING`.execute(db);
    await sql`INSERT INTO crash_runs (operation_id, step, attempt, pid)
      VALUES (${operation.id}, ${step}, ${operation.attempt}, ${process.pid})`.execute(db);
    await progress(Math.floor((step / steps) * 100), `step-${step}`, {
      zh: `第 ${step}/${steps} 步`,
      en: `Step ${step} of ${steps}`,
    });
  }
});

const config = loadConfig({
  ZW_PORT: '0',
  ZW_DATA_DIR: dataDir,
  ZW_LOG_LEVEL: 'warn',
  ZW_VALIDATE_RESPONSES: '1',
  ZW_OPERATION_WORKERS: '2',
  ZW_EMBEDDED_ENGINES: 'none',
  ...(databaseUrl && { ZW_DATABASE_URL: databaseUrl }),
});
const platform = await startPlatform(config, {
  // A short lease (default 30 s), so the restarted process resumes the operation soon.
  operations: { leaseMs: 5_000, pollMs: 100, backoff: { baseMs: 200, maxMs: 1_000 } },
});
// The first response compiles every response validator (ZW_VALIDATE_RESPONSES), blocking
// the event loop for seconds: do it now rather than in the middle of the test.
await fetch(`${platform.url}/healthz`);

// The state database's URL, for the test to inspect it (embedded: the port of this start).
const port = (await sql<{ port: number }>`SELECT inet_server_port() AS port`.execute(platform.db))
  .rows[0]!.port;
const url =
  databaseUrl ??
  `postgres://postgres:${encodeURIComponent((await readFile(join(dataDir, 'postgres-password'), 'utf8')).trim())}@127.0.0.1:${port}/zhengwu`;

let setup: Record<string, string> = {};
if (process.env.CRASH_SETUP === '1') {
  const tenantId = newId('ten');
  const secret = newTokenSecret();
  const op = await platform.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('tenants')
      .values({
        id: tenantId,
        name: 'crash-province',
        display_name: JSON.stringify({ zh: '崩溃测试省', en: 'Crash test province' }),
        parent_id: null,
        path: [tenantId],
        level: 'province',
        region_code: null,
        labels: JSON.stringify({}),
      })
      .execute();
    await trx
      .insertInto('tokens')
      .values({
        id: newId('tok'),
        name: 'crash auditor',
        tenant_id: tenantId,
        role: 'auditor',
        prefix: prefixOf(secret),
        secret_hash: hashSecret(secret),
        expires_at: new Date(Date.now() + 86_400_000),
        created_by: 'crash-test',
      })
      .execute();
    return enqueue(trx, {
      type: 'instance.provision',
      tenantId,
      target: { type: 'instance', id: newId('ins') },
      input: {
        steps: Number(process.env.CRASH_STEPS ?? 10),
        stepMs: Number(process.env.CRASH_STEP_MS ?? 250),
      },
    });
  });
  platform.durability.runner.wake();
  setup = { operationId: op.id, auditorToken: secret, adminToken: platform.adminToken ?? '' };
}

console.log(
  `ZW_CHILD_READY ${JSON.stringify({ url: platform.url, databaseUrl: url, pid: process.pid, ...setup })}`,
);

let stopping = false;
process.on('SIGTERM', async () => {
  if (stopping) return;
  stopping = true;
  await platform.stop();
  process.exit(0);
});
