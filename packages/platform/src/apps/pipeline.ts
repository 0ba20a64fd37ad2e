import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Db } from '../db/database';
import type { AppRow, ReleaseRow } from '../db/schema';
import type { PlatformContext } from '../http/context';
import { ProblemError } from '../http/problems';
import { enqueue } from '../operations/queue';
import type { OperationContext, OperationFinalizer, OperationType } from '../operations/registry';
import type { OwnHandler } from '../operations/runner';
import type { LogInput } from '../runtime/logs';
import { secretsOf } from '../runtime/mask';
import { replicaHold } from '../scaling/replica-hold';
import { release as releaseQuota } from '../tenancy/quota';
import { buildEnv, buildRelease, commandFailure } from './build';
import { runCommand } from './command';
import {
  type AppManifest,
  desiredScale,
  durationMs,
  generatedSecretNames,
  resolveManifestEnv,
} from './manifest';
import { applyManifestScaling } from './manifest-scaling';
import { appDir, releaseDir, sourceFile } from './paths';
import { type BoundResource, bindingCredentials, bindResources } from './resources';
import type { AppLaunch, AppRuntime, ProcessLaunch } from './runtime';
import { moveHold } from './scale';

/** Thrown to undo a transaction that only checked something. */
const DRY_RUN = Symbol('dry run');

/** Where the pipeline writes build, release and platform lines (the runtime's log store). */
export interface LogSink {
  append(input: LogInput, secrets?: readonly string[]): unknown;
  /** Forgets a deleted app's lines (memory and files). */
  remove(appId: string): Promise<void>;
}

export interface AppsContext {
  runtime: AppRuntime;
  logs: LogSink;
}

const RELEASE_TIMEOUT_MS = 10 * 60_000;
/** Apps brought back at once after a platform start. */
const RESTORE_LANES = 4;
const SECRETS_CONTEXT = (appId: string) => `app:${appId}:secrets`;

const loadRelease = (db: Db, id: string) =>
  db.selectFrom('releases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const loadApp = (db: Db, id: string) =>
  db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** The release that holds the built files of `release` (a rollback reuses its target's). */
async function builtRelease(db: Db, release: ReleaseRow): Promise<ReleaseRow> {
  let at = release;
  while (at.rollback_of) at = await loadRelease(db, at.rollback_of);
  return at;
}

/** Generated secrets of an app, made once and kept sealed with the tenant's key. */
async function appSecrets(
  ctx: PlatformContext,
  app: AppRow,
  names: string[],
): Promise<Record<string, string>> {
  const sealer = ctx.services.sealer;
  const current = app.secrets
    ? ((await sealer.open(app.tenant_id, app.secrets, SECRETS_CONTEXT(app.id))) as Record<
        string,
        string
      >)
    : {};
  const missing = names.filter((n) => current[n] === undefined);
  if (missing.length === 0) return current;
  const next = { ...current };
  for (const name of missing) next[name] = randomBytes(32).toString('base64url');
  const sealed = await sealer.seal(app.tenant_id, next, SECRETS_CONTEXT(app.id));
  await ctx.db.updateTable('apps').set({ secrets: sealed }).where('id', '=', app.id).execute();
  return next;
}

function processLaunches(manifest: AppManifest, scale: ReturnType<typeof desiredScale>) {
  const routedProcess =
    manifest.routes?.[0]?.process ?? (manifest.processes.web ? 'web' : undefined);
  return scale.map(({ type, replicas, memoryMb }): ProcessLaunch => {
    const p = manifest.processes[type];
    if (!p) throw new Error(`process ${type} not in the manifest`);
    const routed = type === routedProcess;
    const probe = (which: 'readiness' | 'liveness') => {
      const given = p.health?.[which]?.httpGet;
      return given ? { path: given.path } : undefined;
    };
    const readiness = probe('readiness');
    const liveness = probe('liveness');
    return {
      type,
      command: p.command,
      replicas,
      memoryMb,
      listens: routed || p.port !== undefined || readiness !== undefined,
      routed,
      ...(readiness && { readiness }),
      ...(liveness && { liveness }),
      startupTimeoutMs: durationMs(p.health?.startupTimeout, 60_000),
    };
  });
}

/** Everything the runtime needs to run a release of an app: files, env, bindings, scale. */
export async function launchOf(
  ctx: PlatformContext,
  app: AppRow,
  release: ReleaseRow,
  bound?: Record<string, BoundResource>,
): Promise<AppLaunch> {
  const manifest = release.manifest as unknown as AppManifest;
  const tenant = await ctx.db
    .selectFrom('tenants')
    .select('name')
    .where('id', '=', app.tenant_id)
    .executeTakeFirstOrThrow();
  const resources = bound ?? (await boundResources(ctx, app));
  const attached = await attachedBindings(ctx, app, resources);
  const outputs = Object.fromEntries(
    Object.entries(resources).map(([name, r]) => [name, r.credentials]),
  );
  const secrets = await appSecrets(ctx, app, await generatedSecretNames(manifest));
  const built = await builtRelease(ctx.db, release);
  const current = await ctx.db
    .selectFrom('app_processes')
    .selectAll()
    .where('app_id', '=', app.id)
    .execute();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
    TZ: process.env.TZ ?? 'Asia/Shanghai',
    NODE_ENV: 'production',
    ...(await resolveManifestEnv(manifest, outputs, secrets)),
    // Config vars set through the API override the manifest's values (Heroku's config vars).
    ...app.env,
    ZHENGWU_APP: app.name,
    ZHENGWU_APP_ID: app.id,
    ZHENGWU_TENANT: tenant.name,
    ZHENGWU_RELEASE_ID: release.id,
    ZHENGWU_RELEASE_VERSION: String(release.version),
  };
  return {
    appId: app.id,
    tenantId: app.tenant_id,
    tenantName: tenant.name,
    appName: app.name,
    releaseId: release.id,
    dir: releaseDir(ctx.config.dataDir, app.id, built.version),
    env,
    bindings: Object.fromEntries(
      Object.entries({ ...attached, ...resources }).map(([name, r]) => [
        name,
        { type: r.type, provider: r.provider, credentials: r.credentials },
      ]),
    ),
    maskValues: Object.values(secrets),
    processes: processLaunches(manifest, desiredScale(manifest, current)),
  };
}

/**
 * Bindings made for the app through the API (`POST /v1/bindings` with `appId`), beside the
 * manifest's resources: files under `SERVICE_BINDING_ROOT/<binding name>/` (no env variables:
 * the manifest's placeholders name its own resources only). A manifest resource of the same
 * name wins.
 */
async function attachedBindings(
  ctx: PlatformContext,
  app: AppRow,
  resources: Record<string, BoundResource>,
): Promise<Record<string, BoundResource>> {
  const own = new Set(Object.values(resources).map((r) => r.bindingId));
  const rows = await ctx.db
    .selectFrom('bindings as b')
    .innerJoin('instances as i', 'i.id', 'b.instance_id')
    .select(['b.id', 'b.name', 'b.instance_id', 'i.service'])
    .where('b.app_id', '=', app.id)
    .where('b.state', 'in', ['ready', 'rotating'])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('app_resources as r')
            .select('r.binding_id')
            .whereRef('r.binding_id', '=', 'b.id'),
        ),
      ),
    )
    .orderBy('b.created_at')
    .execute();
  const out: Record<string, BoundResource> = {};
  for (const row of rows) {
    if (own.has(row.id) || row.name in resources || row.name in out) continue;
    out[row.name] = {
      type: row.service,
      provider: 'zhengwu',
      instanceId: row.instance_id,
      bindingId: row.id,
      credentials: await bindingCredentials(ctx, ctx.db, app.tenant_id, row.id),
    };
  }
  return out;
}

/** The app's bound resources as they stand (for restarts and restores, no provisioning). */
async function boundResources(
  ctx: PlatformContext,
  app: AppRow,
): Promise<Record<string, BoundResource>> {
  const rows = await ctx.db
    .selectFrom('app_resources as r')
    .innerJoin('instances as i', 'i.id', 'r.instance_id')
    .select(['r.name', 'r.instance_id', 'r.binding_id', 'i.service'])
    .where('r.app_id', '=', app.id)
    .execute();
  const out: Record<string, BoundResource> = {};
  for (const row of rows) {
    if (!row.binding_id) continue;
    out[row.name] = {
      type: row.service,
      provider: 'zhengwu',
      instanceId: row.instance_id,
      bindingId: row.binding_id,
      credentials: await bindingCredentials(ctx, ctx.db, app.tenant_id, row.binding_id),
    };
  }
  return out;
}

export function appOperations(
  ctx: PlatformContext,
  apps: AppsContext,
): Map<OperationType, OwnHandler> {
  const log =
    (app: { id: string }, release: { id: string } | null, source: LogInput['source']) =>
    (stream: 'stdout' | 'stderr', message: string) =>
      apps.logs.append({
        appId: app.id,
        releaseId: release?.id ?? null,
        process: source,
        replica: null,
        source,
        stream,
        message,
      });
  const say = (
    app: { id: string },
    release: { id: string } | null,
    text: { zh: string; en: string },
  ) => log(app, release, 'platform')('stdout', `${text.zh} · ${text.en}`);

  /** Stops when a newer release (or a delete) took over. */
  const stillCurrent = async (db: Db, id: string) => {
    const row = await loadRelease(db, id);
    if (row.state === 'superseded' || row.state === 'failed' || row.state === 'succeeded') {
      return null;
    }
    return row;
  };

  const setState = (db: Db, id: string, state: ReleaseRow['state']) =>
    db.updateTable('releases').set({ state }).where('id', '=', id).execute();

  const build = async ({ operation, db, progress, signal }: OperationContext) => {
    const release = await stillCurrent(db, operation.target.id);
    if (!release) return;
    const app = await loadApp(db, release.app_id);
    const manifest = release.manifest as unknown as AppManifest;
    await setState(db, release.id, 'building');
    await progress(10, 'build', { zh: '正在构建', en: 'Building' });
    say(app, release, {
      zh: `开始构建第 ${release.version} 版`,
      en: `Building v${release.version}`,
    });
    const artifact = await buildRelease({
      dataDir: ctx.config.dataDir,
      dir: releaseDir(ctx.config.dataDir, app.id, release.version),
      sourceFile: sourceFile(ctx.config.dataDir, app.id, release.source_id as string),
      buildCommand: manifest.build?.command,
      out: log(app, release, 'build'),
      signal,
    });
    // The deploy is enqueued with the build's success: a crash before would build again, not
    // leave two deploys.
    return async (trx: Db) => {
      const current = await stillCurrent(trx, release.id);
      if (!current) return;
      const op = await enqueue(trx, {
        type: 'release.deploy',
        tenantId: release.tenant_id,
        target: { type: 'release', id: release.id },
        requestId: operation.requestId,
        maxAttempts: 3,
      });
      await trx
        .updateTable('releases')
        .set({ artifact_sha256: artifact, last_operation_id: op.id })
        .where('id', '=', release.id)
        .execute();
      await trx
        .updateTable('apps')
        .set({ last_operation_id: op.id })
        .where('id', '=', app.id)
        .execute();
      say(app, release, { zh: '构建完成', en: `Built (artifact ${artifact.slice(0, 12)})` });
    };
  };

  /**
   * The built folder a release runs from. Retention keeps only the newest built releases'
   * folders (apps/purge.ts); rolling back to an older one builds it again from its source,
   * which stays while a release names it.
   */
  const ensureArtifact = async (app: AppRow, release: ReleaseRow, signal: AbortSignal) => {
    const built = await builtRelease(ctx.db, release);
    const dir = releaseDir(ctx.config.dataDir, app.id, built.version);
    if (existsSync(dir)) return;
    const source = built.source_id && sourceFile(ctx.config.dataDir, app.id, built.source_id);
    if (!source || !existsSync(source)) {
      throw new ProblemError(
        'build_failed',
        `第 ${built.version} 版的构建产物和源码包都已不在 · Neither the build of v${built.version} nor its source is kept any more; deploy it again.`,
      );
    }
    say(app, release, {
      zh: `第 ${built.version} 版的构建产物已清理，正在从源码包重新构建`,
      en: `The build of v${built.version} was pruned; building it again from its source`,
    });
    const artifact = await buildRelease({
      dataDir: ctx.config.dataDir,
      dir,
      sourceFile: source,
      buildCommand: (built.manifest as unknown as AppManifest).build?.command,
      out: log(app, release, 'build'),
      signal,
    });
    if (artifact !== built.artifact_sha256) {
      say(app, release, {
        zh: `注意：重新构建的产物与原产物不同（${artifact.slice(0, 12)}，原为 ${String(built.artifact_sha256).slice(0, 12)}），构建不可复现`,
        en: `Note: the rebuilt artifact (${artifact.slice(0, 12)}) differs from the original (${String(built.artifact_sha256).slice(0, 12)}): the build is not reproducible`,
      });
    }
  };

  /** Provision + bind → release command → rolling deploy → routes switched. */
  const deploy = async ({ operation, db, progress, signal }: OperationContext) => {
    let release = await stillCurrent(db, operation.target.id);
    if (!release) return;
    const app = await loadApp(db, release.app_id);
    const manifest = release.manifest as unknown as AppManifest;
    const rollback = release.rollback_of !== null;
    await progress(20, 'provision', {
      zh: '正在开通并绑定服务',
      en: 'Provisioning and binding services',
    });
    const bound = await bindResources(
      ctx,
      app,
      manifest.resources ?? {},
      operation.requestId,
      signal,
    );
    await ensureArtifact(app, release, signal);
    let launch = await launchOf(ctx, app, release, bound);
    const releaseCommand = manifest.release?.command;
    if (releaseCommand && !rollback) {
      await setState(db, release.id, 'releasing');
      await progress(45, 'release', { zh: '正在执行发布命令', en: 'Running the release command' });
      const out = log(app, release, 'release');
      out('stdout', `$ ${releaseCommand}`);
      const result = await runCommand(releaseCommand, {
        cwd: launch.dir,
        env: { ...launch.env, ...buildEnv(ctx.config.dataDir, launch.dir), ...launch.env },
        timeoutMs: RELEASE_TIMEOUT_MS,
        // Masked before the log and before the failure's detail (which auditors read too).
        secrets: secretsOf(bound, launch.maskValues),
        onLine: (stream, line) =>
          apps.logs.append({
            appId: app.id,
            releaseId: release?.id ?? null,
            process: 'release',
            replica: null,
            source: 'release',
            stream,
            message: line,
          }),
        signal,
      });
      if (result.code !== 0) {
        throw commandFailure(
          'release_failed',
          { zh: '发布命令', en: 'The release command' },
          result,
        );
      }
    }
    release = await stillCurrent(db, release.id);
    if (!release) return;
    await setState(db, release.id, 'deploying');
    await progress(60, 'rollout', { zh: '正在滚动部署', en: 'Rolling out' });
    // The scale in force at rollout time (a scale call may have changed it meanwhile).
    launch = await launchOf(ctx, await loadApp(db, app.id), release, bound);
    // The release's scale, processes and quota hold, as they commit once it is live.
    const persist = async (trx: Db) => {
      const fresh = await loadApp(trx, app.id);
      const scale = launch.processes.map((p) => ({
        type: p.type,
        replicas: p.replicas,
        memoryMb: p.memoryMb,
      }));
      await trx.deleteFrom('app_processes').where('app_id', '=', app.id).execute();
      if (scale.length > 0) {
        await trx
          .insertInto('app_processes')
          .values(
            scale.map((p) => ({
              app_id: app.id,
              type: p.type,
              replicas: p.replicas,
              memory_mb: p.memoryMb,
              updated_at: new Date(),
            })),
          )
          .execute();
      }
      await applyManifestScaling(
        trx,
        fresh,
        manifest,
        launch.processes.find((p) => p.routed)?.type,
      );
      // The hold follows the new scale (and any policy or schedule maximum above it).
      await moveHold(ctx, trx, fresh, {
        replicas: await replicaHold(trx, app.id),
        memoryMb: scale.reduce((n, p) => n + p.replicas * p.memoryMb, 0),
      });
      await trx
        .updateTable('releases')
        .set({ state: 'succeeded', finished_at: new Date() })
        .where('id', '=', release.id)
        .execute();
      await trx
        .updateTable('apps')
        .set({ state: 'running', current_release_id: release.id, updated_at: new Date() })
        .where('id', '=', app.id)
        .execute();
    };
    // Tried first and undone: a release whose scale no longer fits the quota (a rollback to a
    // bigger one, a quota lowered since) fails here, before anything goes live.
    await db
      .transaction()
      .execute(async (trx) => {
        await persist(trx);
        throw DRY_RUN;
      })
      .catch((error: unknown) => {
        if (error !== DRY_RUN) throw error;
      });
    const deploy = manifest.deploy ?? {};
    await apps.runtime.rollout(launch, {
      maxInFlight: Math.max(1, deploy.maxInFlight ?? 1),
      autoRollback: deploy.autoRollback ?? true,
      readyTimeoutMs: durationMs(deploy.healthTimeout, 60_000),
      drainMs: 10_000,
      onProgress: (text) => say(app, release, text),
    });
    // Live now; the release and app states commit with the operation's success.
    return async (trx: Db) => {
      await persist(trx);
      say(app, release, {
        zh: `第 ${release.version} 版已上线`,
        en: `v${release.version} is live`,
      });
    };
  };

  /** A release that failed or was canceled: recorded with its problem; the app keeps what ran. */
  const releaseFinal: OperationFinalizer = async (trx, op, state, problem) => {
    if (state === 'succeeded') return;
    const release = await loadRelease(trx, op.target.id);
    if (!['pending', 'building', 'releasing', 'deploying'].includes(release.state)) return;
    const failure = problem
      ? {
          type: `https://zhengwu.gov.cn/problems/${problem.code}`,
          title: problem.code,
          status: 422,
          code: problem.code,
          detail: String((problem as { detail?: unknown }).detail ?? ''),
          requestId: op.requestId,
        }
      : null;
    await trx
      .updateTable('releases')
      .set({
        state: 'failed',
        failure: failure && JSON.stringify(failure),
        finished_at: new Date(),
      })
      .where('id', '=', release.id)
      .execute();
    const app = await loadApp(trx, release.app_id);
    if (!app.current_release_id && app.state === 'deploying') {
      await trx
        .updateTable('apps')
        .set({ state: 'failed', updated_at: new Date() })
        .where('id', '=', app.id)
        .execute();
    }
  };

  /** A rollback: the target's artifact, bindings re-read, no release command. */
  const rollback = deploy;

  const restart = async ({ operation, db, progress }: OperationContext) => {
    const app = await loadApp(db, operation.target.id);
    if (!app.current_release_id || app.state === 'deleting' || app.state === 'deleted') return;
    const release = await loadRelease(db, app.current_release_id);
    await progress(30, 'restart', { zh: '正在滚动重启', en: 'Rolling restart' });
    const launch = await launchOf(ctx, app, release);
    const only = operation.input.process as string | undefined;
    const manifest = release.manifest as unknown as AppManifest;
    await apps.runtime.rollout(
      only ? { ...launch, processes: launch.processes.filter((p) => p.type === only) } : launch,
      {
        maxInFlight: Math.max(1, manifest.deploy?.maxInFlight ?? 1),
        autoRollback: true,
        readyTimeoutMs: durationMs(manifest.deploy?.healthTimeout, 60_000),
        drainMs: 10_000,
        partial: only !== undefined,
        onProgress: (text) => say(app, release, text),
      },
    );
  };

  const remove = async ({ operation, db, progress }: OperationContext) => {
    const app = await loadApp(db, operation.target.id);
    if (app.state !== 'deleting') return;
    await progress(20, 'stop', { zh: '正在停止副本', en: 'Stopping replicas' });
    await apps.runtime.stop(app.id);
    const dir = appDir(ctx.config.dataDir, app.id);
    await apps.logs.remove(app.id);
    if (existsSync(dir)) await rm(dir, { recursive: true, force: true });
    // The app's bindings go (revoked in the engines); its instances stay. All of it commits
    // with the operation's success.
    return async (trx: Db) => {
      const bindings = await trx
        .selectFrom('bindings')
        .select(['id', 'tenant_id'])
        .where('app_id', '=', app.id)
        .where('state', 'not in', ['deleted', 'failed', 'deleting'])
        .execute();
      for (const b of bindings) {
        const op = await enqueue(trx, {
          type: 'binding.delete',
          tenantId: b.tenant_id,
          target: { type: 'binding', id: b.id },
          requestId: operation.requestId,
        });
        await trx
          .updateTable('bindings')
          .set({ state: 'deleting', last_operation_id: op.id, updated_at: new Date() })
          .where('id', '=', b.id)
          .execute();
      }
      await trx.deleteFrom('app_resources').where('app_id', '=', app.id).execute();
      await trx.deleteFrom('app_processes').where('app_id', '=', app.id).execute();
      const held = app.reserved;
      if (held) await releaseQuota(trx, app.tenant_id, held);
      await trx
        .updateTable('apps')
        .set({
          state: 'deleted',
          reserved: null,
          secrets: null,
          deleted_at: new Date(),
          updated_at: new Date(),
        })
        .where('id', '=', app.id)
        .execute();
    };
  };

  return new Map<OperationType, OwnHandler>([
    ['release.build', { run: build, finalize: releaseFinal }],
    ['release.deploy', { run: deploy, finalize: releaseFinal }],
    ['app.rollback', { run: rollback, finalize: releaseFinal }],
    ['app.restart', { run: restart }],
    ['app.delete', { run: remove }],
  ]);
}

/** After a platform start: the apps that were running come back on their current release. */
export async function restoreApps(ctx: PlatformContext, apps: AppsContext): Promise<void> {
  const rows = await ctx.db
    .selectFrom('apps')
    .selectAll()
    .where('state', 'in', ['running', 'degraded'])
    .where('current_release_id', 'is not', null)
    .execute();
  // A few apps at a time: one that never gets ready (up to a minute) holds back only its lane.
  const queue = [...rows];
  const lane = async () => {
    for (let app = queue.shift(); app; app = queue.shift()) {
      try {
        const release = await loadRelease(ctx.db, app.current_release_id as string);
        await apps.runtime.rollout(await launchOf(ctx, app, release), {
          maxInFlight: 8,
          autoRollback: false,
          readyTimeoutMs: 60_000,
          drainMs: 0,
        });
      } catch (error) {
        say(apps, app, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(RESTORE_LANES, queue.length) }, lane));
}

function say(apps: AppsContext, app: AppRow, error: unknown) {
  apps.logs.append({
    appId: app.id,
    releaseId: app.current_release_id,
    process: 'platform',
    replica: null,
    source: 'platform',
    stream: 'stderr',
    message: `恢复失败 · Restoring the app failed: ${error instanceof ProblemError ? error.detail : String(error)}`,
  });
}
