import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/log';
import type { Db } from '../../src/db/database';
import type { ScalingReason } from '../../src/scaling/decide';
import type { ScaledProcess, ScalingTarget } from '../../src/scaling/evaluate';
import { type Autoscaler, startAutoscaler, type TickReport } from '../../src/scaling/loop';
import { scalingDb } from '../../src/scaling/tables';
import { SERVERS, serverAvailable } from '../brokers/servers';
import { createStateDb, insertApp, type StateDb } from './state-db';

/**
 * The autoscaler loop against a real PostgreSQL state database: policies and schedules in
 * their tables, decisions written as scaling events and audit events, the per-process row
 * lock shared by two autoscalers. The runtime is a stand-in that records what it is told
 * (its processes and metrics are set by each step).
 */
const available = await serverAvailable('PostgreSQL', SERVERS.postgresql, 5432);

class RecordingTarget implements ScalingTarget {
  readonly procs = new Map<string, ScaledProcess>();
  readonly calls: { appId: string; process: string; replicas: number; reason: ScalingReason }[] =
    [];
  cpu = new Map<string, number>();
  delayMs = 0;

  add(appId: string, tenantId: string, process: string, replicas: number) {
    this.procs.set(`${appId}/${process}`, { appId, tenantId, process, replicas, ready: replicas });
  }
  replicasOf(appId: string, process = 'web') {
    return this.procs.get(`${appId}/${process}`)!.replicas;
  }
  async processes() {
    return [...this.procs.values()].map((p) => ({ ...p }));
  }
  metrics(appId: string, process: string) {
    const p = this.procs.get(`${appId}/${process}`)!;
    const cpu = this.cpu.get(appId) ?? 50;
    return { cpuPercent: Array(p.replicas).fill(cpu), requestsPerSecond: 0 };
  }
  async setReplicas(appId: string, process: string, replicas: number, reason: ScalingReason) {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    this.calls.push({ appId, process, replicas, reason });
    const p = this.procs.get(`${appId}/${process}`)!;
    p.replicas = replicas;
    p.ready = replicas;
  }
}

let state: StateDb;
let db: Db;

async function insertPolicy(appId: string, tenantId: string, min: number, max: number) {
  await scalingDb(db)
    .insertInto('scaling_policies')
    .values({
      app_id: appId,
      tenant_id: tenantId,
      enabled: true,
      process: 'web',
      min_replicas: min,
      max_replicas: max,
      target_metric: 'cpu',
      target_value: 70,
      scale_up_seconds: 60,
      scale_down_seconds: 300,
    })
    .execute();
}

const eventsOf = (appId: string) =>
  scalingDb(db)
    .selectFrom('scaling_events')
    .selectAll()
    .where('app_id', '=', appId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

const outcome = (report: TickReport, appId: string, process = 'web') => {
  const r = report.get(`${appId}/${process}`);
  return r?.outcome === 'decided' ? r.decision.note : r?.outcome;
};

describe.runIf(available)('the autoscaler loop on PostgreSQL', () => {
  beforeAll(async () => {
    state = await createStateDb();
    db = state.db;
    if (state.usedFixtureAppTables) {
      console.warn('0008_apps is not registered yet: fixture apps/app_processes tables in use');
    }
  });
  afterAll(async () => {
    await state?.drop();
  });

  it('scales on CPU, waits for cooldowns, follows a specific-date window and records it all', async () => {
    const { appId, tenantId } = await insertApp(db, { web: 2 });
    await insertPolicy(appId, tenantId, 1, 6);
    await scalingDb(db)
      .insertInto('scaling_schedules')
      .values({
        id: 'sch_mayfilingpeak00000001',
        app_id: appId,
        tenant_id: tenantId,
        name: 'may-filing-peak',
        kind: 'specificDate',
        process: 'web',
        timezone: 'Asia/Shanghai',
        start_cron: null,
        end_cron: null,
        start_at: new Date('2027-04-30T16:00:00Z'),
        end_at: new Date('2027-05-01T16:00:00Z'),
        min_replicas: 4,
        max_replicas: 8,
        initial_replicas: 6,
        enabled: true,
      })
      .execute();
    const target = new RecordingTarget();
    target.add(appId, tenantId, 'web', 2);
    let now = new Date('2027-04-30T15:00:00Z');
    const at = (iso: string) => {
      now = new Date(iso);
    };
    const audit = new AuditLog(randomBytes(32));
    const scaler = startAutoscaler({
      db,
      target,
      audit,
      clock: () => now,
      intervalMs: 15_000,
      timer: false,
    });
    try {
      // Hot: 2 × 95 / 70 → 3.
      target.cpu.set(appId, 95);
      expect(outcome(await scaler.tick(), appId)).toBe('scaled');
      expect(target.replicasOf(appId)).toBe(3);
      // 15 s later: still hot, but within the 60 s scale-up cooldown.
      at('2027-04-30T15:00:15Z');
      expect(outcome(await scaler.tick(), appId)).toBe('cooldown');
      expect(target.replicasOf(appId)).toBe(3);
      // 65 s after the first: 3 × 95 / 70 → 5.
      at('2027-04-30T15:01:05Z');
      expect(outcome(await scaler.tick(), appId)).toBe('scaled');
      expect(target.replicasOf(appId)).toBe(5);

      // On target; the May window starts: its initial 6 replicas.
      target.cpu.set(appId, 70);
      at('2027-04-30T16:00:00Z');
      expect(outcome(await scaler.tick(), appId)).toBe('scaled');
      expect(target.replicasOf(appId)).toBe(6);
      at('2027-04-30T16:00:15Z');
      expect(outcome(await scaler.tick(), appId)).toBe('tolerance');
      // Hot inside the window: up to the window's maximum 8 (the policy's is 6).
      target.cpu.set(appId, 95);
      at('2027-04-30T16:05:00Z');
      await scaler.tick();
      expect(target.replicasOf(appId)).toBe(8);

      // The window ends: back within the policy's 1–6, at once.
      target.cpu.set(appId, 10);
      at('2027-05-01T16:00:00Z');
      expect(outcome(await scaler.tick(), appId)).toBe('scaled');
      expect(target.replicasOf(appId)).toBe(6);
      // Idle: no scale-down until 300 s have been watched (and the scale-down cooldown ran).
      for (let s = 15; s < 300; s += 15) {
        now = new Date(Date.parse('2027-05-01T16:00:00Z') + s * 1000);
        const note = outcome(await scaler.tick(), appId);
        expect(['stabilising', 'cooldown']).toContain(note);
      }
      at('2027-05-01T16:05:00Z');
      expect(outcome(await scaler.tick(), appId)).toBe('scaled');
      // The highest recommendation of the window: its first sample was taken at 8 replicas,
      // ceil(8 × 10 / 70) = 2 (the later ones, at 6, ask for 1).
      expect(target.replicasOf(appId)).toBe(2);
    } finally {
      await scaler.stop();
    }

    const events = await eventsOf(appId);
    expect(events.map((e) => [e.from_replicas, e.to_replicas, e.reason.kind])).toEqual([
      [2, 3, 'autoscaler'],
      [3, 5, 'autoscaler'],
      [5, 6, 'schedule'],
      [6, 8, 'autoscaler'],
      [8, 6, 'schedule'],
      [6, 2, 'autoscaler'],
    ]);
    expect(events[0]!.reason).toMatchObject({ metric: 'cpu', observed: 95, target: 70 });
    expect(events[2]!.reason).toMatchObject({ scheduleId: 'sch_mayfilingpeak00000001' });
    expect(events[2]!.reason.message.zh).toContain('may-filing-peak');
    expect(events.every((e) => e.principal_id === null && e.id.startsWith('sev_'))).toBe(true);
    expect(events[0]!.created_at.toISOString()).toBe('2027-04-30T15:00:00.000Z');
    // Each decision told the runtime why.
    expect(target.calls.map((c) => c.reason.kind)).toEqual(events.map((e) => e.reason.kind));

    // One audit event per decision, in the chain, naming the event as its request.
    const audited = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'app.scale')
      .where('tenant_id', '=', tenantId)
      .orderBy('sequence')
      .execute();
    expect(audited.map((a) => a.request_id)).toEqual(events.map((e) => e.id));
    expect(audited[0]).toMatchObject({
      outcome: 'success',
      target: { type: 'app', id: appId },
      principal: { type: 'system', id: 'autoscaler' },
      reason: 'autoscaler: web 2 → 3',
    });
  });

  it('applies a recurring window in its time zone and records its start and end', async () => {
    const { appId, tenantId } = await insertApp(db, { web: 2, worker: 1 });
    await scalingDb(db)
      .insertInto('scaling_schedules')
      .values({
        id: 'sch_officehours000000001',
        app_id: appId,
        tenant_id: tenantId,
        name: 'office-hours',
        kind: 'recurring',
        process: 'web',
        timezone: 'Europe/Berlin',
        start_cron: '0 8 * * 1-5',
        end_cron: '0 18 * * 1-5',
        start_at: null,
        end_at: null,
        min_replicas: 4,
        max_replicas: 12,
        initial_replicas: null,
        enabled: true,
      })
      .execute();
    const target = new RecordingTarget();
    target.add(appId, tenantId, 'web', 2);
    target.add(appId, tenantId, 'worker', 1);
    // Monday 2026-03-30, 07:59:45 in Berlin (CEST, UTC+2).
    let now = new Date('2026-03-30T05:59:45Z');
    const scaler = startAutoscaler({
      db,
      target,
      audit: new AuditLog(randomBytes(32)),
      clock: () => now,
      intervalMs: 15_000,
      timer: false,
    });
    try {
      const before = await scaler.tick();
      expect(outcome(before, appId)).toBe('no-policy');
      // The worker has neither policy nor schedule: not looked at.
      expect(before.has(`${appId}/worker`)).toBe(false);
      now = new Date('2026-03-30T06:00:00Z');
      expect(outcome(await scaler.tick(), appId)).toBe('scaled');
      expect(target.replicasOf(appId)).toBe(4);
      // Replicas set by hand within the window stay; the window's end is a decision too.
      target.procs.get(`${appId}/web`)!.replicas = 9;
      now = new Date('2026-03-30T12:00:00Z');
      expect(outcome(await scaler.tick(), appId)).toBe('no-policy');
      now = new Date('2026-03-30T16:00:00Z');
      expect(outcome(await scaler.tick(), appId)).toBe('scaled');
      expect(target.replicasOf(appId)).toBe(9);
    } finally {
      await scaler.stop();
    }
    const events = await eventsOf(appId);
    expect(events.map((e) => [e.from_replicas, e.to_replicas, e.reason.kind])).toEqual([
      [2, 4, 'schedule'],
      [9, 9, 'schedule'],
    ]);
    expect(events[1]!.reason.message.en).toContain('office-hours ended');
  });

  it('runs on its own timer and wakes up for a window that starts before the next tick', async () => {
    const { appId, tenantId } = await insertApp(db, { web: 1 });
    const startAt = new Date(Date.now() + 500);
    await scalingDb(db)
      .insertInto('scaling_schedules')
      .values({
        id: 'sch_soon00000000000000001',
        app_id: appId,
        tenant_id: tenantId,
        name: 'soon',
        kind: 'specificDate',
        process: 'web',
        timezone: 'Asia/Shanghai',
        start_cron: null,
        end_cron: null,
        start_at: startAt,
        end_at: new Date(startAt.getTime() + 3_600_000),
        min_replicas: 2,
        max_replicas: 8,
        initial_replicas: 5,
        enabled: true,
      })
      .execute();
    const target = new RecordingTarget();
    target.add(appId, tenantId, 'web', 1);
    // The real clock, and a tick interval far longer than the wait below.
    const scaler = startAutoscaler({
      db,
      target,
      audit: new AuditLog(randomBytes(32)),
      intervalMs: 60_000,
    });
    try {
      // The event commits after the runtime was told: wait for it.
      const deadline = Date.now() + 5_000;
      let events = await eventsOf(appId);
      while (events.length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        events = await eventsOf(appId);
      }
      expect(target.calls).toHaveLength(1);
      expect(target.calls[0]).toMatchObject({ replicas: 5, reason: { kind: 'schedule' } });
      expect(events).toHaveLength(1);
      // Not before the window.
      expect(events[0]!.created_at.getTime()).toBeGreaterThanOrEqual(startAt.getTime());
    } finally {
      await scaler.stop();
    }
  });

  it('lets one of two platform replicas decide for a process at a time', async () => {
    const { appId, tenantId } = await insertApp(db, { web: 2 });
    await insertPolicy(appId, tenantId, 1, 10);
    const target = new RecordingTarget();
    target.add(appId, tenantId, 'web', 2);
    target.cpu.set(appId, 140);
    // Slow enough that the second replica finds the process's row locked.
    target.delayMs = 300;
    const now = new Date('2027-01-04T02:00:00Z');
    const options = { target, clock: () => now, intervalMs: 15_000, timer: false } as const;
    const a: Autoscaler = startAutoscaler({ ...options, db, audit: new AuditLog(randomBytes(32)) });
    const b: Autoscaler = startAutoscaler({
      ...options,
      db: state.connectAgain(),
      audit: new AuditLog(randomBytes(32)),
    });
    try {
      const reports = await Promise.all([a.tick(), b.tick()]);
      const outcomes = reports.map((r) => outcome(r, appId)).sort();
      expect(outcomes).toHaveLength(2);
      expect(outcomes).toContain('scaled');
      expect(['busy', 'fresh']).toContain(outcomes.find((o) => o !== 'scaled'));
      // And a replica coming right after the decision leaves it alone too.
      expect(outcome(await b.tick(), appId)).toBe('fresh');
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(target.calls).toHaveLength(1);
    expect(target.replicasOf(appId)).toBe(4);
    expect(await eventsOf(appId)).toHaveLength(1);
  });
});
