import type { Schemas } from '@zhengwu/openapi';
import { ProblemError } from '../http/problems';
import type { BindingSpec, HttpProbe, ReplicaSpec, ReplicaState } from '../runtime/types';
import type { RuntimeStatus } from './views';

/** One running replica as the supervisor reports it. */
export interface ReplicaHandle {
  readonly id: string;
  readonly spec: ReplicaSpec;
  readonly state: ReplicaState;
  readonly port: number | undefined;
  readonly pid: number | undefined;
  readonly cpuPercent: number;
  readonly rssMb: number;
}

/** The supervisor, as the app runtime uses it (`runtime/supervisor.ts`). */
export interface ReplicaRunner {
  start(spec: ReplicaSpec): ReplicaHandle;
  /** Resolves true once ready, false when it crashed for good or the time ran out. */
  waitReady(replica: ReplicaHandle, timeoutMs: number): Promise<boolean>;
  stop(replica: ReplicaHandle, options?: { graceMs?: number }): Promise<void>;
  /** Called on every state change of any replica. */
  onChange(listener: (replica: ReplicaHandle) => void): void;
}

/** The router, as the app runtime uses it (`runtime/router.ts`). */
export interface RouteTable {
  setBackends(
    tenant: string,
    app: string,
    backends: { id: string; port: number }[],
    options?: { appId?: string },
  ): void;
  removeApp(tenant: string, app: string, appId?: string): void;
  stats(tenant: string, app: string): { requestsPerSecond: number } | undefined;
  /** Resolves once a backend taken out of the table serves no request (false on timeout). */
  waitDrained(backendId: string, timeoutMs: number): Promise<boolean>;
}

/** A process type of a release, ready to be started as replicas. */
export interface ProcessLaunch {
  type: string;
  command: string;
  replicas: number;
  memoryMb: number;
  /** Serves HTTP on $PORT (routed processes and those with a port or probes). */
  listens: boolean;
  routed: boolean;
  readiness?: HttpProbe;
  liveness?: HttpProbe;
  startupTimeoutMs: number;
}

/** Everything needed to run one release of an app. */
export interface AppLaunch {
  appId: string;
  tenantId: string;
  tenantName: string;
  appName: string;
  releaseId: string;
  dir: string;
  env: Record<string, string>;
  bindings: Record<string, BindingSpec>;
  maskValues: string[];
  processes: ProcessLaunch[];
}

export interface RolloutOptions {
  maxInFlight: number;
  autoRollback: boolean;
  /** How long a new replica may take to become ready. */
  readyTimeoutMs: number;
  /** Grace for old replicas to finish in-flight requests after SIGTERM. */
  drainMs: number;
  /** Only the processes given are rolled (a restart of one process): leave the others alone. */
  partial?: boolean;
  onProgress?: (message: { zh: string; en: string }) => void;
}

interface Slot {
  replica: ReplicaHandle;
  /** Out of the route table: finishing in-flight work, about to stop. */
  draining: boolean;
}

interface RunningApp {
  launch: AppLaunch;
  /** Replicas by process type; during a rollout old and new ones live side by side. */
  slots: Map<string, Slot[]>;
}

/**
 * The local runtime of apps: replicas of each process as supervised child processes, the
 * route table kept to the ready replicas of routed processes, rolling deploys that start new
 * replicas before draining old ones, scale changes and stops.
 */
export class AppRuntime implements RuntimeStatus {
  private readonly apps = new Map<string, RunningApp>();

  constructor(
    private readonly runner: ReplicaRunner,
    private readonly routes: RouteTable,
    /** How apps are reached: `fixed` (a public URL was configured) keeps the port as given. */
    private readonly publicBase: {
      protocol: string;
      domain: string;
      port: number | undefined;
      fixed?: boolean;
    },
  ) {
    runner.onChange((replica) => {
      const app = this.apps.get(replica.spec.appId);
      if (app) this.refreshRoutes(app);
    });
  }

  /** The port the platform listens on, once known (it may be chosen at listen time). */
  setPublicPort(port: number): void {
    if (!this.publicBase.fixed) this.publicBase.port = port;
  }

  routesOf(tenant: string, app: string): { url: string; routes: Schemas['Route'][] } {
    const { protocol, domain, port } = this.publicBase;
    const host = `${app}.${tenant}.${domain}`;
    return {
      url: `${protocol}://${host}${port === undefined ? '' : `:${port}`}/`,
      routes: [
        { host, path: '/' },
        { host: domain, path: `/apps/${tenant}/${app}/` },
      ],
    };
  }

  ready(appId: string, process: string): number {
    const slots = this.apps.get(appId)?.slots.get(process) ?? [];
    return slots.filter(
      (s) =>
        !s.draining &&
        s.replica.state === 'ready' &&
        s.replica.spec.releaseId === this.releaseOf(appId),
    ).length;
  }

  releaseOf(appId: string): string | undefined {
    return this.apps.get(appId)?.launch.releaseId;
  }

  /** Replicas of a process that are not ready (crashing, starting) — `degraded` when > 0. */
  unhealthy(appId: string): number {
    let n = 0;
    for (const slots of this.apps.get(appId)?.slots.values() ?? []) {
      n += slots.filter((s) => !s.draining && s.replica.state !== 'ready').length;
    }
    return n;
  }

  /**
   * CPU and memory (resident memory against the replica's limit) per replica, and requests
   * per second of a process, for the autoscaler.
   */
  metrics(
    appId: string,
    process: string,
  ): { cpuPercent: number[]; memoryPercent: number[]; requestsPerSecond: number } {
    const app = this.apps.get(appId);
    if (!app) return { cpuPercent: [], memoryPercent: [], requestsPerSecond: 0 };
    const live = (app.slots.get(process) ?? []).filter((s) => !s.draining);
    const routed = app.launch.processes.find((p) => p.type === process)?.routed;
    return {
      cpuPercent: live.map((s) => s.replica.cpuPercent),
      // Only replicas that run (a pid) and have a limit; a stopped one has no memory to show.
      memoryPercent: live
        .filter((s) => s.replica.pid !== undefined && s.replica.spec.memoryMb)
        .map((s) => Math.round((s.replica.rssMb / s.replica.spec.memoryMb!) * 1000) / 10),
      requestsPerSecond: routed
        ? (this.routes.stats(app.launch.tenantName, app.launch.appName)?.requestsPerSecond ?? 0)
        : 0,
    };
  }

  private specOf(launch: AppLaunch, p: ProcessLaunch, index: number): ReplicaSpec {
    return {
      appId: launch.appId,
      tenantId: launch.tenantId,
      releaseId: launch.releaseId,
      process: p.type,
      index,
      cwd: launch.dir,
      command: p.command,
      env: launch.env,
      listens: p.listens,
      bindings: launch.bindings,
      ...(p.readiness && { readiness: p.readiness }),
      ...(p.liveness && { liveness: p.liveness }),
      startupTimeoutMs: p.startupTimeoutMs,
      memoryMb: p.memoryMb,
      maskValues: launch.maskValues,
    };
  }

  private refreshRoutes(app: RunningApp): void {
    const { tenantName, appName } = app.launch;
    const routed = app.launch.processes.find((p) => p.routed)?.type;
    const backends = (routed ? (app.slots.get(routed) ?? []) : [])
      .filter((s) => !s.draining && s.replica.state === 'ready' && s.replica.port !== undefined)
      .map((s) => ({ id: s.replica.id, port: s.replica.port as number }));
    this.routes.setBackends(tenantName, appName, backends, { appId: app.launch.appId });
  }

  private async drain(app: RunningApp, slots: Slot[], graceMs: number): Promise<void> {
    for (const slot of slots) slot.draining = true;
    this.refreshRoutes(app);
    // Out of the table first; requests already routed to it finish before it is told to stop.
    await Promise.all(
      slots.map(async (s) => {
        await this.routes.waitDrained(s.replica.id, graceMs);
        await this.runner.stop(s.replica, { graceMs });
      }),
    );
    // In place: a rollout holds on to these lists while it drains.
    for (const list of app.slots.values()) {
      for (let i = list.length - 1; i >= 0; i--) {
        if (slots.includes(list[i] as Slot)) list.splice(i, 1);
      }
    }
  }

  /**
   * Rolls an app onto a release: per process, new replicas start `maxInFlight` at a time and
   * each batch must become ready before as many old ones drain. A batch that never becomes
   * ready stops every new replica and leaves the old release serving (auto-rollback), then
   * throws 422 `unhealthy`.
   */
  async rollout(launch: AppLaunch, options: RolloutOptions): Promise<void> {
    let app = this.apps.get(launch.appId);
    const previous = app?.launch;
    if (!app) {
      app = { launch, slots: new Map() };
      this.apps.set(launch.appId, app);
    }
    const started: Slot[] = [];
    try {
      for (const p of launch.processes) {
        const old = [...(app.slots.get(p.type) ?? [])].filter((s) => !s.draining);
        const list = app.slots.get(p.type) ?? [];
        app.slots.set(p.type, list);
        for (let i = 0; i < p.replicas; i += options.maxInFlight) {
          const batch: Slot[] = [];
          for (let j = i; j < Math.min(p.replicas, i + options.maxInFlight); j++) {
            const slot = { replica: this.runner.start(this.specOf(launch, p, j)), draining: false };
            batch.push(slot);
            started.push(slot);
            list.push(slot);
          }
          const ready = await Promise.all(
            batch.map((s) => this.runner.waitReady(s.replica, options.readyTimeoutMs)),
          );
          if (ready.includes(false)) {
            if (options.autoRollback) {
              throw new ProblemError(
                'unhealthy',
                `进程 ${p.type} 的新副本未就绪，已保留上一版本 · New ${p.type} replicas did not become ready within ${Math.round(options.readyTimeoutMs / 1000)} s; the previous release keeps serving.`,
              );
            }
            options.onProgress?.({
              zh: `进程 ${p.type} 有副本未就绪，继续部署`,
              en: `Some ${p.type} replicas are not ready; continuing (autoRollback is off)`,
            });
          }
          options.onProgress?.({
            zh: `进程 ${p.type}：${Math.min(p.replicas, i + options.maxInFlight)}/${p.replicas} 个新副本就绪`,
            en: `${p.type}: ${Math.min(p.replicas, i + options.maxInFlight)}/${p.replicas} new replicas ready`,
          });
          // The new ones serve now (the route table follows readiness); as many old ones drain.
          if (!options.partial) app.launch = launch;
          this.refreshRoutes(app);
          await this.drain(app, old.splice(0, batch.length), options.drainMs);
        }
        await this.drain(app, old, options.drainMs);
      }
      // Processes the new release no longer has.
      for (const [type, slots] of app.slots) {
        if (!options.partial && !launch.processes.some((p) => p.type === type)) {
          await this.drain(app, slots, options.drainMs);
          app.slots.delete(type);
        }
      }
      app.launch = options.partial && previous ? { ...previous, env: launch.env } : launch;
      this.refreshRoutes(app);
    } catch (error) {
      await this.drain(app, started, 0);
      if (previous) {
        app.launch = previous;
        this.refreshRoutes(app);
      } else {
        this.apps.delete(launch.appId);
        this.routes.removeApp(launch.tenantName, launch.appName, launch.appId);
      }
      throw error;
    }
  }

  /** Sets the replicas of one process of the running release (starting or draining the difference). */
  async scale(appId: string, process: string, replicas: number, drainMs = 10_000): Promise<void> {
    const app = this.apps.get(appId);
    const p = app?.launch.processes.find((x) => x.type === process);
    if (!app || !p) return;
    p.replicas = replicas;
    const list = app.slots.get(process) ?? [];
    app.slots.set(process, list);
    const live = list.filter((s) => !s.draining);
    if (live.length < replicas) {
      const used = new Set(live.map((s) => s.replica.spec.index));
      for (let index = 0; live.length < replicas; index++) {
        if (used.has(index)) continue;
        const slot = {
          replica: this.runner.start(this.specOf(app.launch, p, index)),
          draining: false,
        };
        list.push(slot);
        live.push(slot);
      }
    } else if (live.length > replicas) {
      // The highest indexes go first.
      const extra = [...live]
        .sort((a, b) => b.replica.spec.index - a.replica.spec.index)
        .slice(0, live.length - replicas);
      await this.drain(app, extra, drainMs);
    }
  }

  /** Stops every replica of an app and removes its routes. */
  async stop(appId: string, drainMs = 10_000): Promise<void> {
    const app = this.apps.get(appId);
    if (!app) return;
    await this.drain(app, [...app.slots.values()].flat(), drainMs);
    this.apps.delete(appId);
    this.routes.removeApp(app.launch.tenantName, app.launch.appName, app.launch.appId);
  }

  /** Stops everything (platform shutdown). */
  async stopAll(drainMs = 5_000): Promise<void> {
    await Promise.all([...this.apps.keys()].map((id) => this.stop(id, drainMs)));
  }

  running(appId: string): boolean {
    return this.apps.has(appId);
  }
}
