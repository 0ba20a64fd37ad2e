import type { Db } from '../db/database';
import {
  type AuditAppender,
  type Evaluation,
  evaluateProcess,
  type ScaledProcess,
  type ScalingTarget,
} from './evaluate';
import { pruneScalingEvents } from './events';
import { nextTransition, type ScheduleSpec, specOfRow } from './schedule';
import { type PolicyRow, scalingDb } from './tables';

export type { ScaledProcess, ScalingTarget } from './evaluate';

export interface AutoscalerOptions {
  db: Db;
  target: ScalingTarget;
  audit: AuditAppender;
  /** The time decisions are made at (tests move it by hand). */
  clock?: () => Date;
  /** How often every scaled process is looked at. */
  intervalMs?: number;
  /** Run ticks on a timer (off in tests, which call `tick()` themselves). */
  timer?: boolean;
  /** Told about a failed tick, or a process whose decision failed (the others go on). */
  onError?: (error: unknown, proc?: ScaledProcess) => void;
}

/** What one tick did, by process (`<appId>/<process>`). */
export type TickReport = Map<string, Evaluation | { outcome: 'failed'; error: unknown }>;

export interface Autoscaler {
  /** One pass over every scaled process (ticks never overlap). */
  tick(): Promise<TickReport>;
  /** Runs a tick soon (e.g. after a policy or schedule changed). */
  wake(): void;
  stop(): Promise<void>;
}

export const DEFAULT_INTERVAL_MS = 15_000;
const PRUNE_EVERY_MS = 3_600_000;
/** Apps loaded per query. */
const CHUNK = 500;

interface Loaded {
  policies: Map<string, PolicyRow>;
  schedules: Map<string, ScheduleSpec[]>;
  /** Processes with a schedule window recorded at their last decision. */
  inWindow: Set<string>;
  live: Set<string>;
}

async function load(db: Db, appIds: string[]): Promise<Loaded> {
  const sdb = scalingDb(db);
  const loaded: Loaded = {
    policies: new Map(),
    schedules: new Map(),
    inWindow: new Set(),
    live: new Set(),
  };
  for (let i = 0; i < appIds.length; i += CHUNK) {
    const ids = appIds.slice(i, i + CHUNK);
    const [apps, policies, schedules, states] = await Promise.all([
      sdb
        .selectFrom('apps')
        .select('id')
        .where('id', 'in', ids)
        .where('state', 'not in', ['deleting', 'deleted'])
        .execute(),
      sdb.selectFrom('scaling_policies').selectAll().where('app_id', 'in', ids).execute(),
      sdb.selectFrom('scaling_schedules').selectAll().where('app_id', 'in', ids).execute(),
      sdb
        .selectFrom('scaling_state')
        .select(['app_id', 'process'])
        .where('app_id', 'in', ids)
        .where('window_key', 'is not', null)
        .execute(),
    ]);
    for (const a of apps) loaded.live.add(a.id);
    for (const p of policies) loaded.policies.set(p.app_id, p);
    for (const s of schedules) {
      loaded.schedules.set(s.app_id, [...(loaded.schedules.get(s.app_id) ?? []), specOfRow(s)]);
    }
    for (const s of states) loaded.inWindow.add(`${s.app_id}/${s.process}`);
  }
  return loaded;
}

/**
 * The autoscaler: every `intervalMs` (and at each schedule window's start and end) it looks
 * at each process under an enabled policy or a schedule and decides its replicas
 * (`evaluate.ts`, `decide.ts`). Safe with several platform replicas: each process is decided
 * by one replica at a time, under its `scaling_state` row lock.
 */
export function startAutoscaler(options: AutoscalerOptions): Autoscaler {
  const { db, target, audit } = options;
  const clock = options.clock ?? (() => new Date());
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<TickReport> | undefined;
  let lastPrune = Number.NEGATIVE_INFINITY;

  const schedule = (delayMs: number) => {
    if (stopped || options.timer === false) return;
    clearTimeout(timer);
    timer = setTimeout(() => void tick().catch(() => {}), Math.max(0, delayMs));
    timer.unref?.();
  };

  async function once(): Promise<TickReport> {
    let wakeIn = intervalMs;
    try {
      return await pass((ms) => {
        wakeIn = ms;
      });
    } catch (error) {
      options.onError?.(error);
      throw error;
    } finally {
      schedule(wakeIn);
    }
  }

  async function pass(wakeIn: (ms: number) => void): Promise<TickReport> {
    const now = clock();
    const report: TickReport = new Map();
    const processes = await target.processes();
    const loaded = await load(db, [...new Set(processes.map((p) => p.appId))]);
    for (const proc of processes) {
      if (stopped) break;
      if (!loaded.live.has(proc.appId)) continue;
      const key = `${proc.appId}/${proc.process}`;
      const stored = loaded.policies.get(proc.appId);
      const policy = stored?.enabled && stored.process === proc.process ? stored : null;
      const schedules = (loaded.schedules.get(proc.appId) ?? []).filter(
        (s) => s.process === proc.process,
      );
      if (!policy && !schedules.some((s) => s.enabled) && !loaded.inWindow.has(key)) continue;
      try {
        report.set(
          key,
          await evaluateProcess(db, { target, audit, intervalMs }, proc, policy, schedules, now),
        );
      } catch (error) {
        report.set(key, { outcome: 'failed', error });
        options.onError?.(error, proc);
      }
    }
    if (now.getTime() - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = now.getTime();
      await pruneScalingEvents(db, now);
    }
    // Wake up for the next window start or end if it comes before the next tick.
    const all = [...loaded.schedules.values()].flat();
    const next = nextTransition(all, now);
    const untilNext = next ? next.getTime() - clock().getTime() : Number.POSITIVE_INFINITY;
    wakeIn(Math.min(intervalMs, untilNext));
    return report;
  }

  function tick(): Promise<TickReport> {
    const previous = running ?? Promise.resolve(new Map());
    const current = previous.catch(() => undefined).then(() => once());
    running = current;
    return current;
  }

  // The first pass at once: a window that began while no platform ran takes effect now.
  schedule(0);
  return {
    tick,
    wake: () => schedule(0),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
