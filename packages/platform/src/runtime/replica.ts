import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CrashHistory, type RestartPolicy } from './backoff';
import { removeBindings, writeBindings } from './bindings';
import { replicaEnv } from './env';
import { captureLines } from './lines';
import type { LogStore } from './logs';
import { secretsOf } from './mask';
import type { PortAllocator } from './ports';
import { httpProbe, tcpProbe } from './probe';
import { cpuPercent } from './proc-stats';
import { signalGroup, spawnGroup, stopGroup } from './process-group';
import type { ExitReason, HttpProbe, ReplicaExit, ReplicaSpec, ReplicaState } from './types';
import type { Watchdog } from './watchdog';

/** What the orchestrator and the autoscaler see of a replica (read-only; updated in place). */
export interface Replica {
  /** Unique for the platform's lifetime; also the router's backend id. */
  readonly id: string;
  readonly spec: ReplicaSpec;
  readonly state: ReplicaState;
  /** Pid of the current process (also its process group id). */
  readonly pid: number | undefined;
  /** 127.0.0.1 port it listens on (fixed for the replica's whole life, restarts included). */
  readonly port: number | undefined;
  /** Restarts after crashes so far. */
  readonly restarts: number;
  /** CPU use of the whole process group, percent of one core, over the last sample interval. */
  readonly cpuPercent: number;
  /** Resident memory of the whole process group. */
  readonly rssMb: number;
  readonly startedAt: Date | undefined;
  readonly readyAt: Date | undefined;
  readonly lastExit: ReplicaExit | undefined;
  readonly nextRestartAt: Date | undefined;
}

/** The supervisor's shared parts, as a replica needs them. */
export interface ReplicaContext {
  ports: PortAllocator;
  watchdog: Watchdog;
  logs: Pick<LogStore, 'append' | 'platform'> | undefined;
  runDir: string;
  restart: RestartPolicy;
  /** Probe interval until the first success (fast, so deploys are fast). */
  startupProbeMs: number;
  changed(replica: Replica, previous: ReplicaState): void;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const PROBE_DEFAULTS = { timeoutMs: 1_000, failureThreshold: 3 };
const seconds = (ms: number) => `${Math.round(ms / 100) / 10}`;

/** One replica's life: spawn, probes, restarts with backoff, stop. */
export class ReplicaController {
  readonly view: Mutable<Replica>;
  private readonly name: string;
  private readonly secrets: string[];
  private readonly history: CrashHistory;
  private readonly bindingRoot: string | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** Bumped on every exit: results of the previous process's probes and timers are ignored. */
  private run = 0;
  private timers: NodeJS.Timeout[] = [];
  private restartTimer: NodeJS.Timeout | undefined;
  private pendingReason: ExitReason | undefined;
  private stopping: Promise<void> | undefined;
  private ownsPort = false;
  private sample: { ticks: number; at: number } | undefined;

  constructor(
    id: string,
    readonly spec: ReplicaSpec,
    private readonly ctx: ReplicaContext,
  ) {
    this.name = `${spec.process}.${spec.index}`;
    this.secrets = secretsOf(spec.bindings, spec.maskValues);
    this.history = new CrashHistory(ctx.restart);
    this.bindingRoot =
      spec.bindings && Object.keys(spec.bindings).length
        ? join(ctx.runDir, id, 'bindings')
        : undefined;
    this.view = {
      id,
      spec,
      state: 'starting',
      pid: undefined,
      port: spec.port,
      restarts: 0,
      cpuPercent: 0,
      rssMb: 0,
      startedAt: undefined,
      readyAt: undefined,
      lastExit: undefined,
      nextRestartAt: undefined,
    };
  }

  private startup: Promise<void> = Promise.resolve();

  /** First start: port and binding files, then the process (in the background). */
  begin(): void {
    this.startup = this.start();
  }

  private async start(): Promise<void> {
    try {
      if (this.spec.port !== undefined) this.ctx.ports.hold(this.spec.port);
      else if (this.spec.listens !== false) {
        this.view.port = await this.ctx.ports.allocate();
        this.ownsPort = true;
      }
      if (this.bindingRoot) await writeBindings(this.bindingRoot, this.spec.bindings!);
    } catch (error) {
      this.event(`${this.name} 无法启动 · ${this.name} cannot start: ${(error as Error).message}`);
      if (!this.stopping) this.crashed(null, null, 'spawn-error', 0);
      return;
    }
    this.launch();
  }

  private launch(): void {
    this.view.nextRestartAt = undefined;
    if (this.stopping) return;
    const spec = this.spec;
    const env = replicaEnv(spec.env, {
      port: this.view.port,
      bindingRoot: this.bindingRoot,
      memoryMb: spec.memoryMb,
      appId: spec.appId,
      releaseId: spec.releaseId,
      process: spec.process,
      index: spec.index,
    });
    const run = ++this.run;
    const startedAt = Date.now();
    this.pendingReason = undefined;
    this.sample = undefined;
    this.view.startedAt = new Date(startedAt);
    this.view.readyAt = undefined;
    this.view.cpuPercent = 0;
    this.view.rssMb = 0;
    this.setState('starting');
    this.event(`${this.name} 启动 · ${this.name} starting: ${spec.command}`);
    const child = spawnGroup(spec.command, spec.cwd, env);
    let done!: () => void;
    this.exited = new Promise((resolve) => {
      done = resolve;
    });
    let finished = false;
    const finish = (code: number | null, signal: string | null, reason?: ExitReason) => {
      if (finished) return;
      finished = true;
      this.onExit(run, child, code, signal, reason ?? this.pendingReason ?? 'exit', startedAt);
      done();
    };
    child.on('exit', (code, signal) => finish(code, signal));
    child.on('error', (error) => {
      // Only spawn failures (bad cwd…) arrive here without an exit.
      if (child.pid === undefined) {
        this.event(`${this.name} 无法启动 · ${this.name} cannot start: ${error.message}`);
        finish(null, null, 'spawn-error');
      }
    });
    if (child.pid === undefined) return;
    this.view.pid = child.pid;
    this.ctx.watchdog.watch(child.pid);
    for (const stream of ['stdout', 'stderr'] as const) {
      captureLines(child[stream]!, (message) =>
        this.ctx.logs?.append(
          {
            appId: spec.appId,
            releaseId: spec.releaseId,
            process: spec.process,
            replica: spec.index,
            source: 'app',
            stream,
            message,
          },
          this.secrets,
        ),
      );
    }
    const startupMs = spec.startupTimeoutMs ?? 60_000;
    this.after(run, startupMs, () => {
      if (this.view.state !== 'starting') return;
      this.event(
        `${this.name} 未在 ${seconds(startupMs)} 秒内就绪，重启 · ${this.name} was not ready within ${seconds(startupMs)} s; restarting`,
      );
      this.kill('startup-timeout');
    });
    this.probeUntilReady(run);
  }

  /** Fast probing until the first success, then the periodic readiness and liveness checks. */
  private probeUntilReady(run: number): void {
    const readiness = this.spec.readiness;
    if (this.view.port === undefined) {
      this.becomeReady(run);
      return;
    }
    const attempt = async () => {
      if (run !== this.run) return;
      const ok = await this.probe(readiness);
      if (run !== this.run || this.view.state !== 'starting') return;
      if (ok) this.becomeReady(run);
      else this.after(run, this.ctx.startupProbeMs, attempt);
    };
    this.after(run, Math.min(50, this.ctx.startupProbeMs), attempt);
  }

  private becomeReady(run: number): void {
    this.view.readyAt = new Date();
    this.setState('ready');
    this.event(`${this.name} 已就绪 · ${this.name} is ready`);
    if (this.spec.readiness && this.view.port !== undefined) this.watchReadiness(run);
    if (this.spec.liveness && this.view.port !== undefined) this.watchLiveness(run);
  }

  private watchReadiness(run: number): void {
    const probe = { ...PROBE_DEFAULTS, periodMs: 5_000, ...this.spec.readiness! };
    let failures = 0;
    const check = async () => {
      const ok = await this.probe(probe);
      if (run !== this.run) return;
      if (ok) {
        failures = 0;
        if (this.view.state === 'unready') {
          this.setState('ready');
          this.event(`${this.name} 恢复就绪 · ${this.name} is ready again`);
        }
      } else if (++failures >= probe.failureThreshold && this.view.state === 'ready') {
        this.setState('unready');
        this.event(
          `${this.name} 就绪检查失败，暂停接收流量 · ${this.name} failed its readiness check; taken out of routing`,
        );
      }
      this.after(run, probe.periodMs, check);
    };
    this.after(run, probe.periodMs, check);
  }

  private watchLiveness(run: number): void {
    const probe = { ...PROBE_DEFAULTS, periodMs: 10_000, ...this.spec.liveness! };
    let failures = 0;
    const check = async () => {
      const ok = await this.probe(probe);
      if (run !== this.run) return;
      failures = ok ? 0 : failures + 1;
      if (failures >= probe.failureThreshold) {
        this.event(
          `${this.name} 存活检查连续失败 ${failures} 次，重启 · ${this.name} failed ${failures} liveness checks in a row; restarting`,
        );
        this.kill('liveness');
        return;
      }
      this.after(run, probe.periodMs, check);
    };
    this.after(run, probe.periodMs, check);
  }

  private probe(probe: HttpProbe | undefined): Promise<boolean> {
    const port = this.view.port!;
    const timeoutMs = probe?.timeoutMs ?? PROBE_DEFAULTS.timeoutMs;
    return probe ? httpProbe(port, probe.path, timeoutMs) : tcpProbe(port, timeoutMs);
  }

  /** Kills the process group now; its exit then counts as a crash for `reason`. */
  private kill(reason: ExitReason): void {
    this.pendingReason = reason;
    if (this.view.pid !== undefined) signalGroup(this.view.pid, 'SIGKILL');
  }

  private onExit(
    run: number,
    child: ChildProcess,
    code: number | null,
    signal: string | null,
    reason: ExitReason,
    startedAt: number,
  ): void {
    if (run === this.run) this.run++;
    this.clearTimers();
    const pgid = child.pid;
    if (pgid !== undefined) {
      // Whatever the leader left behind in its group goes with it.
      if (!this.stopping) signalGroup(pgid, 'SIGKILL');
      this.ctx.watchdog.forget(pgid);
    }
    this.view.pid = undefined;
    if (this.stopping) return;
    this.crashed(code, signal, reason, Date.now() - startedAt);
  }

  private crashed(
    code: number | null,
    signal: string | null,
    reason: ExitReason,
    uptimeMs: number,
  ): void {
    this.view.lastExit = { code, signal, reason, at: new Date() };
    const { delayMs, looping } = this.history.crashed(uptimeMs);
    this.setState(looping ? 'crashing' : 'crashed');
    const how =
      signal !== null ? `信号 ${signal} · signal ${signal}` : `退出码 ${code} · exit code ${code}`;
    const [zhHow, enHow] = how.split(' · ');
    this.event(
      looping
        ? `${this.name} 反复崩溃（${zhHow}），每 ${seconds(delayMs)} 秒重试 · ${this.name} is crash-looping (${enHow}); retrying every ${seconds(delayMs)} s`
        : `${this.name} 已退出（${zhHow}），${seconds(delayMs)} 秒后重启 · ${this.name} exited (${enHow}); restarting in ${seconds(delayMs)} s`,
    );
    this.view.nextRestartAt = new Date(Date.now() + delayMs);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.view.restarts++;
      this.launch();
    }, delayMs);
    this.restartTimer.unref();
  }

  /** Records a usage sample of the process group; kills it when over its memory limit. */
  recordUsage(usage: { ticks: number; rssBytes: number } | undefined, now: number): void {
    if (this.view.pid === undefined || !usage) return;
    const previous = this.sample;
    this.sample = { ticks: usage.ticks, at: now };
    if (previous) this.view.cpuPercent = cpuPercent(previous.ticks, usage.ticks, now - previous.at);
    this.view.rssMb = Math.round(usage.rssBytes / (1024 * 1024));
    const limit = this.spec.memoryMb;
    if (limit && this.view.rssMb > limit && !this.pendingReason) {
      this.event(
        `${this.name} 内存超限（${this.view.rssMb} MB > ${limit} MB），重启 · ${this.name} exceeded its memory limit (${this.view.rssMb} MB > ${limit} MB); restarting`,
      );
      this.kill('memory');
    }
  }

  /** SIGTERM, `graceMs` to finish, SIGKILL of the group; then the port and binding files go. */
  stop(graceMs: number): Promise<void> {
    this.stopping ??= this.doStop(graceMs);
    return this.stopping;
  }

  private async doStop(graceMs: number): Promise<void> {
    this.setState('stopping');
    // Binding files and the port may still be on their way.
    await this.startup;
    this.clearTimers();
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const pgid = this.view.pid;
    if (pgid !== undefined) {
      await stopGroup(pgid, graceMs);
      await this.exited;
      this.ctx.watchdog.forget(pgid);
    }
    if (this.bindingRoot) await removeBindings(join(this.bindingRoot, '..')).catch(() => {});
    if (this.view.port !== undefined && (this.ownsPort || this.spec.port !== undefined))
      this.ctx.ports.release(this.view.port);
    this.view.pid = undefined;
    this.setState('stopped');
    this.event(`${this.name} 已停止 · ${this.name} stopped`);
  }

  private setState(state: ReplicaState): void {
    const previous = this.view.state;
    if (previous === state && state !== 'starting') return;
    this.view.state = state;
    this.ctx.changed(this.view, previous);
  }

  private event(message: string): void {
    // Platform lines may quote the command or an error: mask them too.
    this.ctx.logs?.append(
      {
        appId: this.spec.appId,
        releaseId: null,
        process: 'platform',
        replica: null,
        source: 'platform',
        stream: 'system',
        message,
      },
      this.secrets,
    );
  }

  /** A timer of the current process run (cleared on its exit). */
  private after(run: number, ms: number, fn: () => void): void {
    if (run !== this.run) return;
    const timer = setTimeout(() => {
      this.timers = this.timers.filter((t) => t !== timer);
      if (run === this.run) fn();
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }
}
