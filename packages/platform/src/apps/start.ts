import { join } from 'node:path';
import type { PlatformContext } from '../http/context';
import type { OperationType } from '../operations/registry';
import type { OwnHandler } from '../operations/runner';
import { LogStore } from '../runtime/logs';
import type { Replica } from '../runtime/replica';
import { AppRouter } from '../runtime/router';
import { Supervisor } from '../runtime/supervisor';
import type { ScalingTarget } from '../scaling/evaluate';
import { recordScalingChange } from '../scaling/events';
import { type Autoscaler, startAutoscaler } from '../scaling/loop';
import { policyBounds } from '../scaling/policies';
import type { AppsPlatform } from './context';
import { appOperations, restoreApps } from './pipeline';
import { AppRuntime, type ReplicaRunner } from './runtime';
import { setScale } from './scale';

export interface AppRuntimeParts {
  apps: AppsPlatform;
  supervisor: Supervisor;
  /** Takes app requests on the platform's port (`routingServerFactory`). */
  router: AppRouter;
  operations: Map<OperationType, OwnHandler>;
  /** Brings back the apps that were running (after the platform listens). */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** The supervisor as the app runtime drives it: a crash of a new replica fails its rollout. */
function runnerOf(supervisor: Supervisor): ReplicaRunner {
  return {
    start: (spec) => supervisor.start(spec),
    waitReady: (replica, timeoutMs) =>
      supervisor.waitReady(replica as Replica, timeoutMs, { failOnCrash: true }).then(
        () => true,
        () => false,
      ),
    stop: (replica, options) => supervisor.stop(replica as Replica, options),
    onChange: (listener) => {
      supervisor.on('change', (replica) => listener(replica));
    },
  };
}

/** What the autoscaler scales: the desired scale in the database, replicas in the runtime. */
function autoscalingTarget(ctx: PlatformContext, runtime: AppRuntime): ScalingTarget {
  return {
    async processes() {
      const rows = await ctx.db
        .selectFrom('app_processes as p')
        .innerJoin('apps as a', 'a.id', 'p.app_id')
        .select(['p.app_id', 'a.tenant_id', 'p.type', 'p.replicas'])
        .where('a.state', 'in', ['running', 'degraded'])
        .execute();
      return rows.map((r) => ({
        appId: r.app_id,
        tenantId: r.tenant_id,
        process: r.type,
        replicas: r.replicas,
        ready: runtime.ready(r.app_id, r.type),
      }));
    },
    metrics: (appId, process) => runtime.metrics(appId, process),
    async setReplicas(appId, process, replicas) {
      await ctx.db
        .transaction()
        .execute((trx) => setScale(ctx, trx, appId, [{ type: process, replicas }]));
      await runtime.scale(appId, process, replicas);
    },
  };
}

/** Starts the local app runtime: log store, supervisor, app runtime and their operations. */
export function startAppRuntime(ctx: PlatformContext): AppRuntimeParts {
  const { config } = ctx;
  const logStore = new LogStore({ dataDir: config.dataDir });
  // A 10 s window: the autoscaler sees a change of load within a tick or two.
  const router = new AppRouter({
    rateWindowSeconds: 10,
    logs: logStore,
    baseDomain: config.appsPublicUrl?.hostname ?? 'localhost',
    trustedProxies: config.trustedProxies,
  });
  const supervisor = new Supervisor({ runDir: join(config.dataDir, 'run'), logs: logStore });
  const runtime = new AppRuntime(
    runnerOf(supervisor),
    router,
    config.appsPublicUrl
      ? {
          protocol: config.appsPublicUrl.protocol.slice(0, -1),
          domain: config.appsPublicUrl.hostname,
          port: config.appsPublicUrl.port ? Number(config.appsPublicUrl.port) : undefined,
          fixed: true,
        }
      : { protocol: config.tls ? 'https' : 'http', domain: 'localhost', port: config.port },
  );
  const apps: AppsPlatform = {
    runtime,
    logs: logStore,
    logStore,
    policyBounds,
    recordScaling: recordScalingChange,
  };
  let autoscaler: Autoscaler | undefined;
  return {
    apps,
    supervisor,
    router,
    operations: appOperations(ctx, apps),
    async restore() {
      await restoreApps(ctx, apps);
      autoscaler = startAutoscaler({
        db: ctx.db,
        audit: ctx.audit,
        intervalMs: config.autoscaleIntervalMs,
        target: autoscalingTarget(ctx, runtime),
      });
    },
    async close() {
      await autoscaler?.stop();
      await runtime.stopAll();
      router.close();
      await supervisor.stopAll({ graceMs: 5_000 });
      logStore.endStreams();
      await logStore.close();
    },
  };
}
