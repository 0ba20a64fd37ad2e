/** Apps: created empty, deployed by releases, restarted and deleted through operations. */

import { visibleTenantIds } from '../access';
import { abandon, advance, completeNow, startOperation } from '../async-operations';
import { accepted, created, json } from '../context';
import { newId } from '../ids';
import { appendLog } from '../logs';
import { paginate } from '../pagination';
import { invalidField, ProblemError } from '../problems';
import { checkQuota } from '../quota';
import { type Model, newestFirst, remember } from '../state';
import { nowIso } from '../time';
import {
  type Body,
  findApp,
  findLiveApp,
  invalidState,
  mergePatch,
  RETENTION_MS,
  type Resolvers,
  tenantForCreate,
} from './lookup';

type App = Model['App'];

const RESERVED_ENV = /^(PORT|ZHENGWU_.*)$/;

export const appResolvers: Resolvers<
  'listApps' | 'createApp' | 'getApp' | 'updateApp' | 'deleteApp' | 'restartApp'
> = {
  listApps: (ctx) => {
    const visible = visibleTenantIds(ctx.rt, ctx.caller);
    const { tenantId, state } = ctx.query;
    const apps = newestFirst(ctx.state, ctx.state.apps.values()).filter(
      (a) =>
        visible.has(a.tenantId) &&
        (tenantId === undefined || a.tenantId === tenantId) &&
        (state === undefined ? a.state !== 'deleted' : a.state === state) &&
        !(a.state === 'deleted' && Date.now() - Date.parse(a.updatedAt) > RETENTION_MS),
    );
    return json(paginate(apps, (a) => a.id, ctx.query, 'listApps'));
  },

  createApp: (ctx) => {
    const body = ctx.body as Body<'createApp'>;
    const tenant = tenantForCreate(ctx, body.tenantId);
    ctx.audit.tenantId = tenant.id;
    if (
      [...ctx.state.apps.values()].some(
        (a) => a.tenantId === tenant.id && a.name === body.name && a.state !== 'deleted',
      )
    ) {
      throw new ProblemError(
        'already_exists',
        `An app named "${body.name}" already exists in tenant ${tenant.id}.`,
      );
    }
    checkQuota(ctx.rt, tenant.id, { apps: 1 });
    const at = nowIso();
    const app: App = {
      id: newId('app'),
      tenantId: tenant.id,
      name: body.name,
      state: 'created',
      currentReleaseId: null,
      url: null,
      routes: [],
      processes: [],
      env: {},
      labels: body.labels ?? {},
      lastOperation: null,
      createdAt: at,
      updatedAt: at,
    };
    ctx.state.apps.set(app.id, app);
    remember(ctx.state, app.id);
    ctx.audit.target = { type: 'app', id: app.id };
    return created(app, `/v1/apps/${app.id}`);
  },

  getApp: (ctx) => {
    findApp(ctx, ctx.path.appId!);
    advance(ctx.rt, ctx.path.appId!);
    return json(findApp(ctx, ctx.path.appId!));
  },

  updateApp: (ctx) => {
    const app = findLiveApp(ctx, ctx.path.appId!);
    const body = ctx.body as Body<'updateApp'>;
    const reserved = Object.keys(body.env ?? {}).filter((k) => RESERVED_ENV.test(k));
    if (reserved.length > 0) {
      throw new ProblemError(
        'validation_failed',
        `${reserved.join(', ')} ${reserved.length === 1 ? 'is' : 'are'} reserved by the platform.`,
        reserved.map((k) => ({
          path: `/body/env/${k}`,
          message: 'is reserved by the platform',
          code: 'reserved',
        })),
      );
    }
    if (body.labels) app.labels = mergePatch(app.labels, body.labels);
    if (body.env) app.env = mergePatch(app.env, body.env);
    app.updatedAt = nowIso();
    return json(app);
  },

  deleteApp: (ctx) => {
    const app = findApp(ctx, ctx.path.appId!);
    ctx.audit.tenantId = app.tenantId;
    if (app.state === 'deleting') return accepted(app);
    if (app.state === 'deleted') throw invalidState(`App ${app.id} is already deleted.`);
    // Releases still in progress stop here.
    for (const r of ctx.state.releases.values()) {
      if (
        r.appId === app.id &&
        ['pending', 'building', 'releasing', 'deploying'].includes(r.state)
      ) {
        if (r.lastOperation) abandon(ctx.rt, r.lastOperation.id);
        r.state = 'superseded';
        r.finishedAt = nowIso();
      }
    }
    const previous = app.state;
    app.state = 'deleting';
    app.updatedAt = nowIso();
    startOperation(ctx.rt, {
      type: 'app.delete',
      tenantId: app.tenantId,
      target: { type: 'app', id: app.id },
      holders: [app],
      requestId: ctx.requestId,
      onSucceeded: () => {
        for (const b of ctx.state.bindings.values()) {
          if (b.appId !== app.id || b.state === 'deleted') continue;
          if (b.lastOperation) completeNow(ctx.rt, b.lastOperation.id);
          b.state = 'deleted';
          b.updatedAt = nowIso();
          ctx.state.credentials.delete(b.id);
        }
        ctx.state.autoscalingPolicies.delete(app.id);
        for (const [id, s] of ctx.state.schedules)
          if (s.appId === app.id) ctx.state.schedules.delete(id);
        app.processes = app.processes.map((p) => ({ ...p, replicas: 0, ready: 0 }));
        app.routes = [];
        app.url = null;
        app.state = 'deleted';
        app.updatedAt = nowIso();
        appendLog(ctx.rt, app.id, {
          releaseId: null,
          process: 'platform',
          source: 'platform',
          message: 'App deleted',
        });
      },
      onFailed: () => {
        app.state = 'failed';
        app.updatedAt = nowIso();
      },
      onCanceled: () => {
        app.state = previous;
        app.updatedAt = nowIso();
      },
    });
    return accepted(app);
  },

  restartApp: (ctx) => {
    const app = findLiveApp(ctx, ctx.path.appId!);
    if (!app.currentReleaseId) throw invalidState(`App ${app.id} has no release to restart yet.`);
    const body = (ctx.body ?? {}) as Body<'restartApp'>;
    if (body.process !== undefined && !app.processes.some((p) => p.type === body.process)) {
      throw invalidField(
        '/body/process',
        `app ${app.name} has no process ${body.process}`,
        'unknownProcess',
      );
    }
    const releaseId = app.currentReleaseId;
    startOperation(ctx.rt, {
      type: 'app.restart',
      tenantId: app.tenantId,
      target: { type: 'app', id: app.id },
      holders: [app],
      requestId: ctx.requestId,
      onSucceeded: () => {
        for (const p of app.processes) {
          if (body.process !== undefined && p.type !== body.process) continue;
          for (let replica = 0; replica < p.replicas; replica++) {
            appendLog(ctx.rt, app.id, {
              releaseId,
              process: p.type,
              replica,
              source: 'app',
              stream: 'stdout',
              message: `${p.type}.${replica} restarted`,
            });
          }
        }
        app.updatedAt = nowIso();
      },
      onFailed: () => {
        app.state = 'degraded';
        app.updatedAt = nowIso();
      },
      onCanceled: () => {},
    });
    return accepted(app);
  },
};
