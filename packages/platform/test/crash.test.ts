import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Zhengwu } from '@zhengwu/sdk';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, type Db } from '../src/db/database';
import { durable } from '../src/db/durability-schema';
import { eventually, externalDatabase, sleep } from './durability-helpers';
import { STATE_DB } from './harness';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface Ready {
  url: string;
  databaseUrl: string;
  pid: number;
  operationId?: string;
  auditorToken?: string;
  adminToken?: string;
}

/** Starts `crash-child.ts` in its own Node process (no tsx wrapper process: kill hits it). */
function startChild(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; ready: Ready; output: () => string }> {
  const child = spawn(
    process.execPath,
    ['--import', tsx, '--conditions=zhengwu-source', join(here, 'crash-child.ts')],
    { cwd: join(here, '..'), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('ZW_CHILD_READY '));
      if (line) {
        resolve({
          child,
          ready: JSON.parse(line.slice('ZW_CHILD_READY '.length)),
          output: () => `${out}\n${err}`,
        });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`child exited (${code ?? signal}) before it was ready:\n${out}\n${err}`)),
    );
  });
}

const children = new Set<ChildProcess>();
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const postmasterPid = (dataDir: string) => {
  const file = join(dataDir, 'postgres', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
};

describe(`kill -9 during an operation (${STATE_DB} PostgreSQL)`, () => {
  it('resumes the operation after a restart, finishes it once, and the chain verifies', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'zw-crash-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const env: Record<string, string> = {
      CRASH_DATA_DIR: dataDir,
      CRASH_STEPS: '10',
      CRASH_STEP_MS: '250',
    };
    if (STATE_DB === 'external') {
      const database = await externalDatabase();
      cleanups.push(() => database.drop());
      env.CRASH_DATABASE_URL = database.url;
    }

    // First life: set up, start the operation, and die mid-way with SIGKILL.
    const first = await startChild({ ...env, CRASH_SETUP: '1' });
    const { operationId, auditorToken, adminToken } = first.ready;
    const admin = new Zhengwu({ baseUrl: first.ready.url, token: adminToken!, maxRetries: 0 });
    const midway = await eventually(
      async () => {
        const op = await admin.operations.retrieve(operationId!);
        return op.progress.percent >= 30 ? op : undefined;
      },
      20_000,
      'the operation to get going',
    );
    expect(midway.state).toBe('running');
    // Mutations in flight at the moment of death (each appends to the audit chain).
    const auditor = new Zhengwu({ baseUrl: first.ready.url, token: auditorToken!, maxRetries: 0 });
    const inFlight = Array.from({ length: 5 }, () =>
      auditor.auditEvents.verify().catch(() => null),
    );
    await sleep(5);
    const orphan = STATE_DB === 'embedded' ? postmasterPid(dataDir) : undefined;
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    await Promise.all(inFlight);
    if (orphan) expect(alive(orphan)).toBe(true); // the embedded postmaster outlived its parent
    // What the dead process last recorded (read through the orphaned postmaster when embedded).
    const before = connect(first.ready.databaseUrl, 1);
    const recorded = await durable(before)
      .selectFrom('operations')
      .select(['state', 'progress', 'attempts'])
      .where('id', '=', operationId!)
      .executeTakeFirstOrThrow();
    await before.destroy();
    expect(recorded.state).toBe('running');
    const lastRecorded = Number(recorded.progress.step!.slice('step-'.length));

    // Second life on the same data dir.
    const second = await startChild(env);
    if (orphan) {
      expect(alive(orphan)).toBe(false); // stopped by the new start, not left running
      expect(postmasterPid(dataDir)).not.toBe(orphan);
    }
    const admin2 = new Zhengwu({ baseUrl: second.ready.url, token: adminToken!, maxRetries: 0 });
    const done = await eventually(
      async () => {
        const op = await admin2.operations.retrieve(operationId!);
        return ['succeeded', 'failed', 'canceled'].includes(op.state) ? op : undefined;
      },
      30_000,
      'the operation to finish after the restart',
    );
    expect(done, `first:\n${first.output()}\nsecond:\n${second.output()}`).toMatchObject({
      state: 'succeeded',
      error: null,
    });
    // One attempt per life (more only if a stall outlasted the lease: then the stale
    // attempt was revoked, and finished nothing).
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    expect(done.progress.percent).toBe(100);

    const db: Db = connect(second.ready.databaseUrl, 2);
    cleanups.push(() => db.destroy());
    // Every step's effect exists exactly once; the second attempt resumed where the
    // first one's recorded progress ended (at most the step in flight ran again).
    const effects = await sql<{ step: number }>`
      SELECT step FROM crash_effects WHERE operation_id = ${operationId} ORDER BY step`.execute(db);
    expect(effects.rows.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const runs = await sql<{ step: number; attempt: number; pid: number }>`
      SELECT step, attempt, pid FROM crash_runs WHERE operation_id = ${operationId}
      ORDER BY attempt, step`.execute(db);
    const afterRestart = runs.rows.filter((r) => r.pid === second.ready.pid).map((r) => r.step);
    expect(lastRecorded).toBeGreaterThanOrEqual(3);
    // Resumed after the last recorded step (the step in flight at the kill runs again).
    expect(Math.min(...afterRestart)).toBe(lastRecorded + 1);
    expect(Math.max(...afterRestart)).toBe(10);
    expect(runs.rows.filter((r) => r.pid === first.ready.pid).length).toBeGreaterThanOrEqual(3);

    // Finished exactly once, and the audit chain survived the crash intact.
    const auditor2 = new Zhengwu({
      baseUrl: second.ready.url,
      token: auditorToken!,
      maxRetries: 0,
    });
    const finished = await auditor2.auditEvents
      .list({ targetId: operationId!, action: 'operation.succeeded' })
      .toArray({ max: 10 });
    expect(finished).toHaveLength(1);
    const report = await auditor2.auditEvents.verify();
    expect(report).toMatchObject({ valid: true, firstBroken: null });

    // A graceful stop this time.
    const exited = new Promise<number | null>((r) => second.child.once('exit', (code) => r(code)));
    second.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    if (STATE_DB === 'embedded') expect(postmasterPid(dataDir)).toBeUndefined();
  }, 120_000);
});
