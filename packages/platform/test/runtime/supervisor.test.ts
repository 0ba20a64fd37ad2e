import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogStore } from '../../src/runtime/logs';
import type { Replica } from '../../src/runtime/replica';
import {
  ReplicaNotReadyError,
  Supervisor,
  type SupervisorOptions,
} from '../../src/runtime/supervisor';
import type { ReplicaSpec, ReplicaState } from '../../src/runtime/types';
import { alive, eventually, type Fixture, fixtureDir } from './fixtures';

let fixture: Fixture;
let runDir: string;
let logs: LogStore;
let supervisor: Supervisor;

function makeSupervisor(options: Partial<SupervisorOptions> = {}): Supervisor {
  supervisor = new Supervisor({ runDir, logs, sampleIntervalMs: 0, ...options });
  return supervisor;
}

const spec = (overrides: Partial<ReplicaSpec> = {}): ReplicaSpec => ({
  appId: 'app_test',
  tenantId: 'ten_test',
  releaseId: 'rel_1',
  process: 'web',
  index: 0,
  cwd: fixture.dir,
  command: 'exec node app.mjs',
  env: {},
  ...overrides,
});

const get = async (replica: Replica, path = '/') => {
  const res = await fetch(`http://127.0.0.1:${replica.port}${path}`);
  return (await res.json()) as Record<string, unknown>;
};
const messages = (source?: 'app' | 'platform') =>
  logs.read({ appId: 'app_test', tail: 10_000, source }).map((r) => r.entry.message);

beforeEach(async () => {
  fixture = await fixtureDir();
  runDir = await mkdtemp(join(tmpdir(), 'zw-run-'));
  logs = new LogStore();
});

afterEach(async () => {
  await supervisor?.stopAll({ graceMs: 500 });
  await fixture.cleanup();
  await rm(runDir, { recursive: true, force: true });
});

describe('Supervisor', () => {
  it('starts a replica on an allocated port, ready once it accepts connections', async () => {
    process.env.ZW_MASTER_KEY = 'platform-secret-must-not-leak';
    try {
      makeSupervisor();
      const replica = supervisor.start(spec({ memoryMb: 128 }));
      expect(replica.state).toBe('starting');
      await supervisor.waitReady(replica, 10_000);
      expect(replica.state).toBe('ready');
      expect(replica.port).toBeGreaterThan(0);
      expect(replica.pid).toBeGreaterThan(0);
      const seen = await get(replica);
      expect(seen.port).toBe(String(replica.port));
      expect(seen.release).toBe('rel_1');
      // The platform's own environment is not inherited.
      expect(seen.masterKey).toBeNull();
      expect(seen.nodeOptions).toBe('--max-old-space-size=96');
      await eventually(() => messages('app').includes(`listening on ${replica.port}`));
      expect(messages('platform')).toContain('web.0 已就绪 · web.0 is ready');
    } finally {
      delete process.env.ZW_MASTER_KEY;
    }
  });

  it('gates readiness on the HTTP probe and takes a failing replica out (unready) and back', async () => {
    makeSupervisor({ startupProbeMs: 50 });
    const states: ReplicaState[] = [];
    supervisor.on('change', (r) => states.push(r.state));
    const started = Date.now();
    const replica = supervisor.start(
      spec({
        env: { READY_AFTER_MS: '800' },
        readiness: { path: '/readyz', periodMs: 100, failureThreshold: 2 },
      }),
    );
    await supervisor.waitReady(replica, 10_000);
    // Listening long before, but not ready until /readyz says so.
    expect(Date.now() - started).toBeGreaterThanOrEqual(750);
    await fetch(`http://127.0.0.1:${replica.port}/set?ready=0`);
    await eventually(() => replica.state === 'unready', 3_000, 'unready');
    await fetch(`http://127.0.0.1:${replica.port}/set?ready=1`);
    await eventually(() => replica.state === 'ready', 3_000, 'ready again');
    expect(states).toEqual(['starting', 'ready', 'unready', 'ready']);
  });

  it('restarts a crashing process with doubling backoff, capped, then reports crashing', async () => {
    makeSupervisor({
      restart: {
        baseMs: 100,
        maxMs: 400,
        resetAfterMs: 60_000,
        crashLoopCount: 4,
        windowMs: 60_000,
      },
    });
    const events: { state: ReplicaState; at: number }[] = [];
    supervisor.on('change', (r) => events.push({ state: r.state, at: Date.now() }));
    const replica = supervisor.start(spec({ command: 'node -e "process.exit(3)"' }));
    await expect(supervisor.waitReady(replica, 15_000)).rejects.toMatchObject({
      reason: 'crashing',
    });
    expect(replica.lastExit).toMatchObject({ code: 3, reason: 'exit' });
    // starting, crashed ×4, then crashing on the 5th crash (more than 4 in the window).
    const crashes = events.filter((e) => e.state === 'crashed' || e.state === 'crashing');
    expect(crashes.map((e) => e.state)).toEqual([
      'crashed',
      'crashed',
      'crashed',
      'crashed',
      'crashing',
    ]);
    // The gap between a crash and the next start is the backoff: 100, 200, 400, 400 ms.
    const gaps: number[] = [];
    for (let i = 0; i < events.length - 1; i++) {
      if (events[i]!.state === 'crashed' && events[i + 1]!.state === 'starting')
        gaps.push(events[i + 1]!.at - events[i]!.at);
    }
    const expected = [100, 200, 400, 400];
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(expected[i]! - 5);
      expect(gap).toBeLessThan(expected[i]! + 250);
    });
    expect(replica.restarts).toBe(4);
    expect(messages('platform')).toContain(
      'web.0 已退出（退出码 3），0.2 秒后重启 · web.0 exited (exit code 3); restarting in 0.2 s',
    );
    expect(messages('platform').at(-1)).toMatch(/crash-looping .* retrying every 0.4 s/);
  });

  it('stop() SIGTERMs, then SIGKILLs the whole group after the grace: no orphan', async () => {
    makeSupervisor();
    const replica = supervisor.start(spec({ env: { CHILD: '1', IGNORE_TERM: '1' } }));
    await supervisor.waitReady(replica, 10_000);
    await eventually(() => messages('app').some((m) => m.startsWith('grandchild ')));
    const grandchild = Number(
      messages('app')
        .find((m) => m.startsWith('grandchild '))!
        .split(' ')[1],
    );
    const pid = replica.pid!;
    expect(alive(pid) && alive(grandchild)).toBe(true);
    const began = Date.now();
    await supervisor.stop(replica, { graceMs: 400 });
    expect(Date.now() - began).toBeGreaterThanOrEqual(390);
    expect(messages('app')).toContain('ignoring SIGTERM');
    expect(alive(pid)).toBe(false);
    expect(alive(grandchild)).toBe(false);
    expect(replica.state).toBe('stopped');
    expect(supervisor.list()).toEqual([]);
  });

  it('a cooperative app stops at SIGTERM without waiting for the grace', async () => {
    makeSupervisor();
    const replica = supervisor.start(spec());
    await supervisor.waitReady(replica, 10_000);
    const began = Date.now();
    await supervisor.stop(replica, { graceMs: 5_000 });
    expect(Date.now() - began).toBeLessThan(2_000);
    expect(messages('app')).toContain('stopping');
  });

  it('restarts a replica whose liveness probe keeps failing', async () => {
    makeSupervisor({ restart: { baseMs: 50 } });
    const replica = supervisor.start(
      spec({ liveness: { path: '/healthz', periodMs: 100, failureThreshold: 2 } }),
    );
    await supervisor.waitReady(replica, 10_000);
    const firstPid = replica.pid;
    await fetch(`http://127.0.0.1:${replica.port}/set?live=0`);
    await eventually(() => replica.lastExit?.reason === 'liveness', 5_000, 'liveness restart');
    await supervisor.waitReady(replica, 10_000);
    expect(replica.pid).not.toBe(firstPid);
    expect(alive(firstPid!)).toBe(false);
    expect(replica.restarts).toBe(1);
  });

  it('counts a replica not ready within startupTimeoutMs as a crash', async () => {
    makeSupervisor({ restart: { baseMs: 10_000 } });
    const replica = supervisor.start(
      spec({
        env: { READY_AFTER_MS: '600000' },
        readiness: { path: '/readyz' },
        startupTimeoutMs: 500,
      }),
    );
    await expect(
      supervisor.waitReady(replica, 5_000, { failOnCrash: true }),
    ).rejects.toBeInstanceOf(ReplicaNotReadyError);
    expect(replica.lastExit?.reason).toBe('startup-timeout');
    expect(replica.state).toBe('crashed');
  });

  it('writes binding files (0700/0600), masks credentials in logs, removes the files at stop', async () => {
    makeSupervisor();
    const password = 'pw-Very-Secret-42';
    const replica = supervisor.start(
      spec({
        bindings: {
          db: {
            type: 'postgresql',
            provider: 'zhengwu',
            credentials: { host: '127.0.0.1', port: '5432', username: 'u1', password },
          },
        },
        env: { SAY: `connecting with ${password} to 127.0.0.1:5432` },
      }),
    );
    await supervisor.waitReady(replica, 10_000);
    const root = (await get(replica)).bindingRoot as string;
    expect(root.startsWith(runDir)).toBe(true);
    expect(await readFile(join(root, 'db', 'password'), 'utf8')).toBe(password);
    expect(await readFile(join(root, 'db', 'type'), 'utf8')).toBe('postgresql');
    expect(await readFile(join(root, 'db', 'provider'), 'utf8')).toBe('zhengwu');
    expect((await stat(join(root, 'db', 'password'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(root, 'db'))).mode & 0o777).toBe(0o700);
    expect((await stat(root)).mode & 0o777).toBe(0o700);
    await fetch(
      `http://127.0.0.1:${replica.port}/log?line=${encodeURIComponent(`pw=${password}`)}`,
    );
    await eventually(() => messages('app').includes('pw=****'));
    // Host and port are not secrets: left readable.
    expect(messages('app')).toContain('connecting with **** to 127.0.0.1:5432');
    expect(JSON.stringify(logs.read({ appId: 'app_test', tail: 10_000 }))).not.toContain(password);
    await supervisor.stop(replica, { graceMs: 2_000 });
    await expect(stat(root)).rejects.toThrow();
  });

  it('samples CPU and memory per replica, and kills one over its memory limit', async () => {
    makeSupervisor({ restart: { baseMs: 10_000 } });
    const busy = supervisor.start(
      spec({ command: 'node -e "for(;;){}"', listens: false, index: 1 }),
    );
    const small = supervisor.start(spec({ memoryMb: 20, index: 2 }));
    await supervisor.waitReady(busy, 5_000);
    await supervisor.waitReady(small, 10_000);
    supervisor.sample();
    await new Promise((r) => setTimeout(r, 600));
    supervisor.sample();
    expect(busy.cpuPercent).toBeGreaterThan(40);
    expect(busy.rssMb).toBeGreaterThan(10);
    // A Node process needs more than 20 MB of RSS: killed at the first sample over it.
    await eventually(() => small.lastExit?.reason === 'memory', 3_000, 'memory kill');
    expect(messages('platform').some((m) => m.includes('exceeded its memory limit'))).toBe(true);
  });

  it('crashes (and retries) a replica whose command cannot start', async () => {
    makeSupervisor({ restart: { baseMs: 10_000 } });
    const replica = supervisor.start(spec({ cwd: join(fixture.dir, 'missing') }));
    await eventually(() => replica.state === 'crashed', 5_000, 'crashed');
    expect(replica.lastExit?.reason).toBe('spawn-error');
  });
});
