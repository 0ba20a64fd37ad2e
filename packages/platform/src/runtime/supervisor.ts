import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RESTART_POLICY, type RestartPolicy } from './backoff';
import type { LogStore } from './logs';
import { PortAllocator } from './ports';
import { sampleGroups } from './proc-stats';
import { type Replica, ReplicaController } from './replica';
import type { ReplicaSpec, ReplicaState } from './types';
import { Watchdog } from './watchdog';

export interface SupervisorOptions {
  /** A directory the supervisor owns (`<dataDir>/run`): per-replica binding files. Emptied at start. */
  runDir: string;
  /** Where replicas' output and platform events go. */
  logs?: Pick<LogStore, 'append' | 'platform'>;
  /** Restart backoff and crash-loop detection (1 s doubling to 30 s, reset after 60 s up; >5 crashes in 5 min). */
  restart?: Partial<RestartPolicy>;
  /** CPU and memory sampling interval (default 5 s; 0 = only on `sample()`). */
  sampleIntervalMs?: number;
  /** Probe interval until a replica is first ready (default 200 ms). */
  startupProbeMs?: number;
  /** Default grace of `stop` and `stopAll` (default 10 s, what the runtime conventions promise). */
  stopGraceMs?: number;
  /** Grace the watchdog gives replicas when the platform died without stopping them (default 5 s). */
  watchdogGraceSeconds?: number;
}

/** `<process>-<index>-<10 hex>`: replica ids, also the names of their directories in `runDir`. */
const REPLICA_ID = /^[a-z][a-z0-9-]*-\d+-[0-9a-f]{10}$/;

export type ChangeListener = (replica: Replica, previous: ReplicaState) => void;

/** Why `waitReady` gave up. */
export class ReplicaNotReadyError extends Error {
  override name = 'ReplicaNotReadyError';
  constructor(
    readonly replica: Replica,
    readonly reason: 'timeout' | 'crashed' | 'crashing' | 'stopped',
  ) {
    super(
      `${replica.spec.process}.${replica.spec.index} 未就绪（${reason}）· ${replica.spec.process}.${replica.spec.index} did not become ready (${reason})`,
    );
  }
}

/**
 * Runs app replicas as supervised child processes of the platform: each in its own process
 * group, probed, restarted with backoff when it dies, sampled for CPU and memory, and
 * stopped gracefully. A watchdog process makes sure none outlives the platform.
 */
export class Supervisor {
  private readonly controllers = new Map<string, ReplicaController>();
  private readonly listeners = new Set<ChangeListener>();
  private readonly ports = new PortAllocator();
  private readonly watchdog: Watchdog;
  private readonly sampler: NodeJS.Timeout | undefined;
  private readonly restart: RestartPolicy;
  private readonly onProcessExit = () => this.killAllNow();

  constructor(private readonly options: SupervisorOptions) {
    mkdirSync(options.runDir, { recursive: true, mode: 0o700 });
    // Binding files left by a platform that died: only what this class names, nothing else.
    for (const name of readdirSync(options.runDir)) {
      if (REPLICA_ID.test(name))
        rmSync(join(options.runDir, name), { recursive: true, force: true });
    }
    this.restart = { ...DEFAULT_RESTART_POLICY, ...options.restart };
    this.watchdog = new Watchdog(options.watchdogGraceSeconds ?? 5);
    const interval = options.sampleIntervalMs ?? 5_000;
    if (interval > 0) {
      this.sampler = setInterval(() => this.sample(), interval);
      this.sampler.unref();
    }
    process.on('exit', this.onProcessExit);
  }

  /** Starts a replica; it is `starting` at once and becomes `ready` once its probe passes. */
  start(spec: ReplicaSpec): Replica {
    const id = `${spec.process}-${spec.index}-${randomBytes(5).toString('hex')}`;
    const controller = new ReplicaController(id, spec, {
      ports: this.ports,
      watchdog: this.watchdog,
      logs: this.options.logs,
      runDir: this.options.runDir,
      restart: this.restart,
      startupProbeMs: this.options.startupProbeMs ?? 200,
      changed: (replica, previous) => this.emit(replica, previous),
    });
    this.controllers.set(id, controller);
    controller.begin();
    return controller.view;
  }

  /** Stops a replica (SIGTERM, grace, SIGKILL of its group) and forgets it. */
  async stop(replica: Replica, options: { graceMs?: number } = {}): Promise<void> {
    const controller = this.controllers.get(replica.id);
    if (!controller) return;
    await controller.stop(options.graceMs ?? this.options.stopGraceMs ?? 10_000);
    this.controllers.delete(replica.id);
  }

  /** Stops every replica (platform shutdown), then the watchdog. */
  async stopAll(options: { graceMs?: number } = {}): Promise<void> {
    await Promise.all(this.list().map((replica) => this.stop(replica, options)));
    if (this.sampler) clearInterval(this.sampler);
    process.off('exit', this.onProcessExit);
    this.watchdog.close();
  }

  /** Live replicas, optionally of one app, release or process type. */
  list(filter: { appId?: string; releaseId?: string; process?: string } = {}): Replica[] {
    const out: Replica[] = [];
    for (const { view } of this.controllers.values()) {
      if (filter.appId && view.spec.appId !== filter.appId) continue;
      if (filter.releaseId && view.spec.releaseId !== filter.releaseId) continue;
      if (filter.process && view.spec.process !== filter.process) continue;
      out.push(view);
    }
    return out;
  }

  get(id: string): Replica | undefined {
    return this.controllers.get(id)?.view;
  }

  /** Every state change of every replica. Returns the unsubscribe function. */
  on(event: 'change', listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.off(event, listener);
  }

  off(_event: 'change', listener: ChangeListener): void {
    this.listeners.delete(listener);
  }

  /**
   * Resolves once the replica is `ready`. Rejects with `ReplicaNotReadyError` on timeout,
   * when it is stopped, when it enters `crashing` — or, with `failOnCrash`, at its first crash.
   */
  waitReady(
    replica: Replica,
    timeoutMs: number,
    options: { failOnCrash?: boolean } = {},
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const verdict = (state: ReplicaState): boolean => {
        if (state === 'ready') resolve();
        else if (state === 'crashing') reject(new ReplicaNotReadyError(replica, 'crashing'));
        else if (state === 'crashed' && options.failOnCrash)
          reject(new ReplicaNotReadyError(replica, 'crashed'));
        else if (state === 'stopping' || state === 'stopped')
          reject(new ReplicaNotReadyError(replica, 'stopped'));
        else return false;
        return true;
      };
      if (verdict(replica.state)) return;
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new ReplicaNotReadyError(replica, 'timeout'));
      }, timeoutMs);
      const unsubscribe = this.on('change', (changed) => {
        if (changed.id !== replica.id || !verdict(changed.state)) return;
        clearTimeout(timer);
        unsubscribe();
      });
    });
  }

  /** Samples CPU and memory of every replica now (the interval does it every 5 s). */
  sample(): void {
    const pgids = new Set<number>();
    for (const { view } of this.controllers.values()) if (view.pid) pgids.add(view.pid);
    const usage = sampleGroups(pgids);
    const now = Date.now();
    for (const controller of this.controllers.values()) {
      const pid = controller.view.pid;
      if (pid) controller.recordUsage(usage.get(pid), now);
    }
  }

  private emit(replica: Replica, previous: ReplicaState): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(replica, previous);
      } catch {
        // A listener's bug must not break the supervisor.
      }
    }
  }

  /** Last resort on `process.exit`: no time for grace, but no orphan either. */
  private killAllNow(): void {
    for (const { view } of this.controllers.values()) {
      if (view.pid) {
        try {
          process.kill(-view.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }
}
