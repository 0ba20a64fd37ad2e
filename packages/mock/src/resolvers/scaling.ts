/** Process scale, the autoscaling policy, scaling schedules and scaling events. */

import { created, json, noContent, type RequestContext } from '../context';
import { newId } from '../ids';
import { appendLog } from '../logs';
import { paginate } from '../pagination';
import { type FieldError, notFound, ProblemError } from '../problems';
import { checkQuotaAfter } from '../quota';
import { type Model, newestFirst, remember } from '../state';
import { nowIso } from '../time';
import { type Body, findApp, findLiveApp, type Resolvers } from './lookup';

type Schedule = Model['Schedule'];

const failIf = (errors: FieldError[], detail: string) => {
  if (errors.length > 0) throw new ProblemError('validation_failed', detail, errors);
};

const scaleOf = (app: Model['App']): Model['Scale'] => ({
  appId: app.id,
  processes: app.processes.map(({ type, replicas, memoryMb }) => ({ type, replicas, memoryMb })),
});

/** Bounds every schedule and policy must keep: min ≤ max, initial within them. */
function boundsErrors(b: {
  minReplicas: number;
  maxReplicas: number;
  initialReplicas?: number;
}): FieldError[] {
  const errors: FieldError[] = [];
  if (b.minReplicas > b.maxReplicas) {
    errors.push({
      path: '/body/minReplicas',
      message: `must not be above maxReplicas (${b.maxReplicas})`,
      code: 'minNotAboveMax',
    });
  }
  if (
    b.initialReplicas !== undefined &&
    (b.initialReplicas < b.minReplicas || b.initialReplicas > b.maxReplicas)
  ) {
    errors.push({
      path: '/body/initialReplicas',
      message: 'must lie within minReplicas–maxReplicas',
      code: 'withinBounds',
    });
  }
  return errors;
}

function toSchedule(
  ctx: RequestContext,
  appId: string,
  body: Body<'createSchedule'>,
  existing?: Schedule,
): Schedule {
  const errors = boundsErrors(body);
  if (body.kind === 'specificDate' && Date.parse(body.endAt) <= Date.parse(body.startAt)) {
    errors.push({ path: '/body/endAt', message: 'must be after startAt', code: 'afterStart' });
  }
  failIf(errors, `${errors.length} problems in the schedule.`);
  const taken = [...ctx.state.schedules.values()].some(
    (s) => s.appId === appId && s.name === body.name && s.id !== existing?.id,
  );
  if (taken)
    throw new ProblemError(
      'already_exists',
      `App ${appId} already has a schedule named "${body.name}".`,
    );
  const at = nowIso();
  const common = {
    id: existing?.id ?? newId('sch'),
    appId,
    name: body.name,
    process: body.process ?? 'web',
    timezone: body.timezone ?? 'Asia/Shanghai',
    minReplicas: body.minReplicas,
    maxReplicas: body.maxReplicas,
    ...(body.initialReplicas !== undefined && { initialReplicas: body.initialReplicas }),
    enabled: body.enabled ?? true,
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  };
  return body.kind === 'recurring'
    ? { ...common, kind: 'recurring', start: body.start, end: body.end }
    : { ...common, kind: 'specificDate', startAt: body.startAt, endAt: body.endAt };
}

function findSchedule(ctx: RequestContext, appId: string): Schedule {
  const schedule = ctx.state.schedules.get(ctx.path.scheduleId!);
  if (!schedule || schedule.appId !== appId) throw notFound('Schedule', ctx.path.scheduleId!);
  ctx.audit.target = { type: 'schedule', id: schedule.id };
  return schedule;
}

/** Stores a schedule, undoing it if it takes the tenant over its replicas quota. */
function putSchedule(ctx: RequestContext, app: Model['App'], schedule: Schedule): void {
  const previous = ctx.state.schedules.get(schedule.id);
  checkQuotaAfter(
    ctx.rt,
    app.tenantId,
    () => ctx.state.schedules.set(schedule.id, schedule),
    () =>
      previous
        ? ctx.state.schedules.set(schedule.id, previous)
        : ctx.state.schedules.delete(schedule.id),
  );
}

export const scalingResolvers: Resolvers<
  | 'getAppScale'
  | 'scaleApp'
  | 'getAutoscalingPolicy'
  | 'setAutoscalingPolicy'
  | 'deleteAutoscalingPolicy'
  | 'listSchedules'
  | 'createSchedule'
  | 'getSchedule'
  | 'updateSchedule'
  | 'deleteSchedule'
  | 'listScalingEvents'
> = {
  getAppScale: (ctx) => json(scaleOf(findApp(ctx, ctx.path.appId!))),

  scaleApp: (ctx) => {
    const app = findLiveApp(ctx, ctx.path.appId!);
    const { processes } = ctx.body as Body<'scaleApp'>;
    const policy = ctx.state.autoscalingPolicies.get(app.id);
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    processes.forEach((p, i) => {
      if (seen.has(p.type))
        errors.push({
          path: `/body/processes/${i}/type`,
          message: 'is listed twice',
          code: 'uniqueItems',
        });
      seen.add(p.type);
      if (!app.processes.some((q) => q.type === p.type)) {
        errors.push({
          path: `/body/processes/${i}/type`,
          message: `app ${app.name} has no process ${p.type}`,
          code: 'unknownProcess',
        });
      } else if (
        policy?.enabled &&
        policy.process === p.type &&
        (p.replicas < policy.minReplicas || p.replicas > policy.maxReplicas)
      ) {
        errors.push({
          path: `/body/processes/${i}/replicas`,
          message: `must lie within the autoscaling policy's ${policy.minReplicas}–${policy.maxReplicas}`,
          code: 'autoscalingBounds',
        });
      }
    });
    failIf(errors, `${errors.length} problems in the scale request.`);
    const before = app.processes.map((p) => ({ ...p }));
    const next = app.processes.map((p) => {
      const change = processes.find((q) => q.type === p.type);
      return change
        ? {
            ...p,
            replicas: change.replicas,
            ready: change.replicas,
            memoryMb: change.memoryMb ?? p.memoryMb,
          }
        : p;
    });
    checkQuotaAfter(
      ctx.rt,
      app.tenantId,
      () => {
        app.processes = next;
      },
      () => {
        app.processes = before;
      },
    );
    const at = nowIso();
    for (const p of next) {
      const from = before.find((q) => q.type === p.type)!.replicas;
      if (from === p.replicas) continue;
      const event: Model['ScalingEvent'] = {
        id: newId('sev'),
        appId: app.id,
        process: p.type,
        fromReplicas: from,
        toReplicas: p.replicas,
        reason: {
          kind: 'manual',
          message: {
            zh: `手动伸缩：${from} → ${p.replicas}`,
            en: `Scaled by hand from ${from} to ${p.replicas}`,
          },
        },
        principalId: ctx.caller.id,
        createdAt: at,
      };
      ctx.state.scalingEvents.set(event.id, event);
      remember(ctx.state, event.id);
      appendLog(ctx.rt, app.id, {
        releaseId: null,
        process: 'platform',
        source: 'platform',
        message: `Scaled ${p.type} from ${from} to ${p.replicas} replicas`,
      });
    }
    if (app.currentReleaseId)
      app.state = next.every((p) => p.replicas === 0) ? 'stopped' : 'running';
    app.updatedAt = at;
    return json(scaleOf(app));
  },

  getAutoscalingPolicy: (ctx) => {
    const app = findApp(ctx, ctx.path.appId!);
    const policy = ctx.state.autoscalingPolicies.get(app.id);
    if (!policy) throw new ProblemError('not_found', `App ${app.id} has no autoscaling policy.`);
    return json(policy);
  },

  setAutoscalingPolicy: (ctx) => {
    const app = findLiveApp(ctx, ctx.path.appId!);
    const body = ctx.body as Body<'setAutoscalingPolicy'>;
    const process = body.process ?? 'web';
    const errors = boundsErrors(body);
    if (app.processes.length > 0 && !app.processes.some((p) => p.type === process)) {
      errors.push({
        path: '/body/process',
        message: `app ${app.name} has no process ${process}`,
        code: 'unknownProcess',
      });
    }
    failIf(errors, `${errors.length} problems in the autoscaling policy.`);
    const policy: Model['AutoscalingPolicy'] = {
      appId: app.id,
      enabled: body.enabled ?? true,
      process,
      minReplicas: body.minReplicas,
      maxReplicas: body.maxReplicas,
      target: body.target,
      cooldown: body.cooldown ?? { scaleUpSeconds: 60, scaleDownSeconds: 300 },
      updatedAt: nowIso(),
    };
    const previous = ctx.state.autoscalingPolicies.get(app.id);
    checkQuotaAfter(
      ctx.rt,
      app.tenantId,
      () => ctx.state.autoscalingPolicies.set(app.id, policy),
      () =>
        previous
          ? ctx.state.autoscalingPolicies.set(app.id, previous)
          : ctx.state.autoscalingPolicies.delete(app.id),
    );
    return json(policy);
  },

  deleteAutoscalingPolicy: (ctx) => {
    const app = findLiveApp(ctx, ctx.path.appId!);
    if (!ctx.state.autoscalingPolicies.delete(app.id)) {
      throw new ProblemError('not_found', `App ${app.id} has no autoscaling policy.`);
    }
    return noContent();
  },

  listSchedules: (ctx) => {
    const app = findApp(ctx, ctx.path.appId!);
    const schedules = [...ctx.state.schedules.values()]
      .filter((s) => s.appId === app.id)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    return json(paginate(schedules, (s) => s.name, ctx.query, `listSchedules ${app.id}`));
  },

  createSchedule: (ctx) => {
    const app = findLiveApp(ctx, ctx.path.appId!);
    const schedule = toSchedule(ctx, app.id, ctx.body as Body<'createSchedule'>);
    putSchedule(ctx, app, schedule);
    remember(ctx.state, schedule.id);
    ctx.audit.target = { type: 'schedule', id: schedule.id };
    return created(schedule, `/v1/apps/${app.id}/autoscaling/schedules/${schedule.id}`);
  },

  getSchedule: (ctx) => json(findSchedule(ctx, findApp(ctx, ctx.path.appId!).id)),

  updateSchedule: (ctx) => {
    const app = findLiveApp(ctx, ctx.path.appId!);
    const existing = findSchedule(ctx, app.id);
    const schedule = toSchedule(ctx, app.id, ctx.body as Body<'updateSchedule'>, existing);
    putSchedule(ctx, app, schedule);
    return json(schedule);
  },

  deleteSchedule: (ctx) => {
    const app = findLiveApp(ctx, ctx.path.appId!);
    ctx.state.schedules.delete(findSchedule(ctx, app.id).id);
    return noContent();
  },

  listScalingEvents: (ctx) => {
    const app = findApp(ctx, ctx.path.appId!);
    const { process } = ctx.query;
    const events = newestFirst(ctx.state, ctx.state.scalingEvents.values()).filter(
      (e) => e.appId === app.id && (process === undefined || e.process === process),
    );
    return json(paginate(events, (e) => e.id, ctx.query, `listScalingEvents ${app.id}`));
  },
};
