/**
 * The simulated release pipeline: build (`release.build`) → provision the manifest's missing
 * resources → release command → rolling deployment (`release.deploy`), or a rollback
 * (`app.rollback`, no build). Each stage is an
 * operation that advances when the release or its app is polled; stages append build,
 * release, router and app log lines; the last one switches the app to the release.
 */

import { abandon, startOperation } from './async-operations';
import { newId } from './ids';
import { appendLog } from './logs';
import { problemBody } from './problems';
import { checkQuota, instanceUsage } from './quota';
import type { Runtime } from './runtime';
import { type Model, remember } from './state';
import { nowIso } from './time';

type App = Model['App'];
type Release = Model['Release'];
type Usage = Model['QuotaUsage'];

const IN_PROGRESS: Release['state'][] = ['pending', 'building', 'releasing', 'deploying'];

/** Releases of the app still in progress become `superseded`. */
export function supersede(rt: Runtime, appId: string): void {
  for (const r of rt.state.releases.values()) {
    if (r.appId !== appId || !IN_PROGRESS.includes(r.state)) continue;
    if (r.lastOperation) abandon(rt, r.lastOperation.id);
    r.state = 'superseded';
    r.finishedAt = nowIso();
  }
}

interface ResourceSpec {
  type: string;
  class?: string;
  id?: string;
  params?: Record<string, unknown>;
}

/** The manifest's resources with the instance name each maps to (`id`, else `<app>-<name>`). */
function resourcesOf(app: App, manifest: Record<string, unknown>) {
  const resources = (manifest.resources ?? {}) as Record<string, ResourceSpec>;
  return Object.entries(resources).map(([name, res]) => ({
    res,
    // The rule of `resourceInstanceName` in `@zhengwu/manifest` (createRelease refuses a
    // name over 63 characters, as the platform's manifest check does).
    instanceName: res.id ?? `${app.name}-${name}`,
  }));
}

const liveInstance = (rt: Runtime, tenantId: string, name: string) =>
  [...rt.state.instances.values()].find(
    (i) => i.tenantId === tenantId && i.name === name && i.state !== 'deleted',
  );

/**
 * 422 `quota_exceeded` when the instances a release would newly create do not fit the
 * tenant's quota, as the platform checks when a release is created.
 */
export function checkReleaseQuota(rt: Runtime, app: App, manifest: Record<string, unknown>): void {
  const demand: Partial<Usage> = {};
  for (const { res, instanceName } of resourcesOf(app, manifest)) {
    if (liveInstance(rt, app.tenantId, instanceName)) continue;
    const usage = instanceUsage(rt, res.type, res.class ?? 'dev');
    for (const [k, v] of Object.entries(usage) as [keyof Usage, number][]) {
      demand[k] = (demand[k] ?? 0) + v;
    }
  }
  checkQuota(rt, app.tenantId, demand);
}

/** Creates the manifest's resources that have no live instance yet (ready at once). */
function provision(rt: Runtime, app: App, release: Release): void {
  for (const { res, instanceName } of resourcesOf(app, release.manifest)) {
    if (liveInstance(rt, app.tenantId, instanceName)) continue;
    const at = nowIso();
    const instance: Model['Instance'] = {
      id: newId('ins'),
      tenantId: app.tenantId,
      name: instanceName,
      service: res.type,
      plan: res.class ?? 'dev',
      parameters: res.params ?? {},
      labels: {},
      state: 'ready',
      pool: `${res.type}-mock`,
      dashboardUrl: null,
      lastOperation: null,
      createdAt: at,
      updatedAt: at,
    };
    rt.state.instances.set(instance.id, instance);
    remember(rt.state, instance.id);
    log(
      rt,
      release,
      'release',
      `Provisioned ${res.type}/${instance.plan} instance ${instanceName}`,
    );
  }
}

/** Process types the manifest declares (`processes` keys), `web` when it declares none. */
export function processTypes(manifest: Record<string, unknown>): string[] {
  const processes = manifest.processes;
  if (processes && typeof processes === 'object' && !Array.isArray(processes)) {
    const types = Object.keys(processes);
    if (types.length > 0) return types;
  }
  return ['web'];
}

/** The app's URL: `http://<app>.<tenant>.localhost[:port]` on the mock's port. */
function appHost(rt: Runtime, app: App): { host: string; url: string } {
  const tenant = rt.state.tenants.get(app.tenantId)?.name ?? 'tenant';
  const host = `${app.name}.${tenant}.localhost`;
  const port = new URL(rt.options.baseUrl).port;
  return { host, url: `http://${host}${port ? `:${port}` : ''}` };
}

function log(
  rt: Runtime,
  release: Release,
  source: Model['LogSource'],
  message: string,
  stream: Model['LogEntry']['stream'] = 'system',
) {
  appendLog(rt, release.appId, { releaseId: release.id, process: source, source, stream, message });
}

export interface NewRelease {
  app: App;
  sourceId: string | null;
  rollbackOf: Release | null;
  manifest: Record<string, unknown>;
  description: string | null;
  /** SHA-256 of the artifact the build produces (known up front; revealed when built). */
  artifactSha256: string;
  requestId: string;
}

/** Creates the release and starts its first stage. */
export function startRelease(rt: Runtime, input: NewRelease): Release {
  const { app } = input;
  supersede(rt, app.id);
  const version =
    Math.max(
      0,
      ...[...rt.state.releases.values()].filter((r) => r.appId === app.id).map((r) => r.version),
    ) + 1;
  const release: Release = {
    id: newId('rel'),
    appId: app.id,
    tenantId: app.tenantId,
    version,
    state: 'pending',
    sourceId: input.sourceId,
    artifactSha256: input.rollbackOf ? input.artifactSha256 : null,
    rollbackOf: input.rollbackOf?.id ?? null,
    description: input.description,
    manifest: input.manifest,
    failure: null,
    lastOperation: null,
    createdAt: nowIso(),
    finishedAt: null,
  };
  rt.state.releases.set(release.id, release);
  remember(rt.state, release.id);
  const appStateBefore = app.state;
  app.state = 'deploying';
  app.updatedAt = nowIso();

  const common = {
    tenantId: app.tenantId,
    target: { type: 'release' as const, id: release.id },
    subjects: [release.id, app.id],
    holders: [release, app],
    requestId: input.requestId,
  };
  const fail = (problem: Model['Problem']) => {
    release.state = 'failed';
    release.failure = problem;
    release.finishedAt = nowIso();
    log(
      rt,
      release,
      input.rollbackOf ? 'release' : 'build',
      `Release v${version} failed: ${problem.detail ?? problem.code}`,
      'stderr',
    );
    app.state = app.currentReleaseId
      ? appStateBefore === 'deploying'
        ? 'running'
        : appStateBefore
      : 'failed';
    app.updatedAt = nowIso();
  };
  const canceled = (operationId: string) =>
    fail(
      problemBody('canceled', `Operation ${operationId} was canceled.`, input.requestId, {
        status: 409,
        instance: `/v1/operations/${operationId}`,
      }),
    );

  const deploy = () => {
    log(rt, release, 'release', `Running release command for v${version}`);
    log(rt, release, 'release', `Release v${version} created`);
    const op = startOperation(rt, {
      ...common,
      type: 'release.deploy',
      onProgress: () => {
        release.state = 'deploying';
      },
      onSucceeded: () => finish(rt, app, release),
      onFailed: fail,
      onCanceled: () => canceled(op.id),
    });
  };

  if (input.rollbackOf) {
    log(
      rt,
      release,
      'release',
      `Rolling back to v${input.rollbackOf.version} (artifact ${input.artifactSha256.slice(0, 12)})`,
    );
    const op = startOperation(rt, {
      ...common,
      type: 'app.rollback',
      onProgress: (fraction) => {
        release.state = fraction < 0.5 ? 'releasing' : 'deploying';
      },
      onSucceeded: () => finish(rt, app, release),
      onFailed: fail,
      onCanceled: () => canceled(op.id),
    });
    return release;
  }

  log(rt, release, 'build', `-----> Building source ${input.sourceId} for ${app.name} v${version}`);
  const build = startOperation(rt, {
    ...common,
    type: 'release.build',
    onProgress: () => {
      release.state = 'building';
    },
    onSucceeded: () => {
      const runtime =
        typeof input.manifest.runtime === 'string' ? input.manifest.runtime : 'auto-detected';
      log(rt, release, 'build', `-----> Runtime ${runtime}`, 'stdout');
      log(
        rt,
        release,
        'build',
        `-----> Build succeeded: artifact sha256 ${input.artifactSha256}`,
        'stdout',
      );
      release.artifactSha256 = input.artifactSha256;
      provision(rt, app, release);
      release.state = 'releasing';
      deploy();
    },
    onFailed: fail,
    onCanceled: () => canceled(build.id),
  });
  return release;
}

/** The release is live: the app serves it, with its processes, route and URL. */
function finish(rt: Runtime, app: App, release: Release): void {
  const at = nowIso();
  release.state = 'succeeded';
  release.finishedAt = at;
  const types = processTypes(release.manifest);
  const processes = types.map((type) => {
    const existing = app.processes.find((p) => p.type === type);
    return existing ?? { type, replicas: 1, ready: 1, memoryMb: 512 };
  });
  for (const p of processes) {
    const before = app.processes.find((q) => q.type === p.type)?.replicas ?? 0;
    if (before !== p.replicas) {
      const event: Model['ScalingEvent'] = {
        id: newId('sev'),
        appId: app.id,
        process: p.type,
        fromReplicas: before,
        toReplicas: p.replicas,
        reason: {
          kind: 'rollout',
          message: {
            zh: `发布 v${release.version} 滚动部署`,
            en: `Rollout of v${release.version}`,
          },
        },
        principalId: null,
        createdAt: at,
      };
      rt.state.scalingEvents.set(event.id, event);
      remember(rt.state, event.id);
    }
    p.ready = p.replicas;
  }
  app.processes = processes;
  app.currentReleaseId = release.id;
  if (types.includes('web')) {
    const { host, url } = appHost(rt, app);
    app.routes = [{ host, path: '/' }];
    app.url = url;
    log(rt, release, 'router', `Route ${host}/ → web (v${release.version})`);
  } else {
    app.routes = [];
    app.url = null;
  }
  app.state = processes.every((p) => p.replicas === 0) ? 'stopped' : 'running';
  app.updatedAt = at;
  for (const p of processes) {
    for (let replica = 0; replica < p.replicas; replica++) {
      appendLog(rt, app.id, {
        releaseId: release.id,
        process: p.type,
        replica,
        source: 'app',
        stream: 'stdout',
        message:
          p.type === 'web'
            ? `${p.type}.${replica} listening on :8080`
            : `${p.type}.${replica} started`,
      });
    }
  }
}
