import { AuditRetention, type RetentionOptions } from '../audit/retention';
import type { PlatformContext } from '../http/context';
import { purgeExpiredIdempotencyKeys } from '../http/idempotency';
import { PeriodicJobs } from './periodic';
import { pruneFinishedOperations } from './queue';
import type { OperationType } from './registry';
import { type Logger, OperationRunner, type OwnHandler, type RunnerOptions } from './runner';

/**
 * Options of the background machinery that only code can set (tests, embedding
 * programs), never the environment: the environment's knobs are in `PlatformConfig`.
 */
export interface DurabilityOptions {
  /** Overrides of the operation runner (lease, poll, backoff, shutdown grace). */
  operations?: Omit<RunnerOptions, 'workers' | 'log'> & { workers?: number };
  /** Overrides of audit retention, e.g. a test-only retention below 180 days. */
  retention?: Partial<RetentionOptions>;
  /** How often the maintenance jobs run (ms). */
  intervals?: { auditRetention?: number; idempotencyPurge?: number; operationsPrune?: number };
}

export interface Durability {
  runner: OperationRunner;
  retention: AuditRetention;
  stop(): Promise<void>;
}

const HOUR = 3_600_000;

/**
 * Starts the operation workers and the maintenance jobs: audit retention (hourly),
 * expired idempotency keys (every 10 minutes), operations finished over 30 days ago
 * (hourly).
 */
export function startDurability(
  ctx: PlatformContext,
  log: Logger,
  options: DurabilityOptions = {},
  handlers?: ReadonlyMap<OperationType, OwnHandler>,
  jobsOf?: (jobs: PeriodicJobs) => void,
): Durability {
  const runner = new OperationRunner(ctx.db, ctx.audit, {
    ...options.operations,
    handlers: new Map([...(options.operations?.handlers ?? []), ...(handlers ?? [])]),
    workers: options.operations?.workers ?? ctx.config.operationWorkers,
    log,
  }).start();
  const retention = new AuditRetention(ctx.db, ctx.audit, {
    retentionDays: ctx.config.auditRetentionDays,
    ...options.retention,
  });
  const jobs = new PeriodicJobs(log);
  const intervals = options.intervals ?? {};
  jobs.every('audit-retention', intervals.auditRetention ?? HOUR, () => retention.prune(), 60_000);
  jobs.every('idempotency-purge', intervals.idempotencyPurge ?? 10 * 60_000, () =>
    purgeExpiredIdempotencyKeys(ctx.db),
  );
  jobs.every('operations-prune', intervals.operationsPrune ?? HOUR, () =>
    pruneFinishedOperations(ctx.db),
  );
  jobsOf?.(jobs);
  return {
    runner,
    retention,
    async stop() {
      await Promise.all([runner.stop(), jobs.stop()]);
    },
  };
}
