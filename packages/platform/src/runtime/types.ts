/** An HTTP probe of a replica: `GET http://127.0.0.1:$PORT<path>`, healthy on 2xx/3xx. */
export interface HttpProbe {
  path: string;
  /** Per attempt (default 1 s). */
  timeoutMs?: number;
  /** Between attempts once the replica is up (readiness 5 s, liveness 10 s by default). */
  periodMs?: number;
  /** Consecutive failures before the probe counts as failed (default 3). */
  failureThreshold?: number;
}

/** One service binding, delivered as files under `$SERVICE_BINDING_ROOT/<name>/` (servicebinding.io). */
export interface BindingSpec {
  type: string;
  provider: string;
  credentials: Record<string, string>;
}

/** What to run: one replica of one process type of one release. */
export interface ReplicaSpec {
  appId: string;
  tenantId: string;
  releaseId: string;
  /** Process type (`web`, `worker`…). */
  process: string;
  /** Replica index within the process type (0, 1, …). */
  index: number;
  /** Working directory: the release's unpacked, built source. */
  cwd: string;
  /** Shell command, run with `/bin/sh -c`. */
  command: string;
  /** The app's environment (resolved placeholders); the platform's own environment is NOT inherited. */
  env: Record<string, string>;
  /** A fixed port; unset = a free 127.0.0.1 port is allocated. `$PORT` is set either way. */
  port?: number;
  /** `false` for processes that serve nothing (workers): no port, ready once running. Default true. */
  listens?: boolean;
  bindings?: Record<string, BindingSpec>;
  /** Unset with `listens`: ready once the port accepts TCP connections. */
  readiness?: HttpProbe;
  liveness?: HttpProbe;
  /** Not ready within this long after (re)start = a crash (default 60 s). */
  startupTimeoutMs?: number;
  /** Memory limit: V8 heap capped through NODE_OPTIONS, and the group killed when its RSS exceeds it. */
  memoryMb?: number;
  /** Further values (generated secrets) masked in the replica's log lines, besides binding credentials. */
  maskValues?: string[];
}

/**
 * starting → ready ⇄ unready; an exit (or failed liveness, startup timeout, memory limit)
 * → crashed, or crashing when it keeps happening → starting again after a backoff;
 * stop() → stopping → stopped.
 */
export type ReplicaState =
  | 'starting'
  | 'ready'
  | 'unready'
  | 'crashed'
  | 'crashing'
  | 'stopping'
  | 'stopped';

export type ExitReason = 'exit' | 'liveness' | 'startup-timeout' | 'memory' | 'spawn-error';

export interface ReplicaExit {
  code: number | null;
  signal: string | null;
  reason: ExitReason;
  at: Date;
}

/** Log sources of the contract's `LogSource`. */
export type LogSource = 'app' | 'build' | 'release' | 'router' | 'platform';

/** The contract's `LogEntry`. */
export interface LogEntry {
  time: string;
  appId: string;
  releaseId: string | null;
  process: string;
  replica: number | null;
  source: LogSource;
  stream: 'stdout' | 'stderr' | 'system';
  message: string;
}
