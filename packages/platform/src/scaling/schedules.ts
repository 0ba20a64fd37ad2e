import type { Schemas } from '@zhengwu/openapi';
import type { Principal } from '../auth/principal';
import type { Db } from '../db/database';
import type { PlatformContext } from '../http/context';
import { ScopedCursor } from '../http/cursor';
import type { Page } from '../http/pagination';
import { type FieldError, notFound, ProblemError } from '../http/problems';
import { newId } from '../ids';
import { type ActingRequest, actingEvent } from '../services/acting';
import { changeableApp, readableApp } from './app-access';
import { cronProblem, isTimeZone } from './cron';
import { boundsErrors, failIf, unknownProcessError } from './policies';
import { syncReplicaHold } from './replica-hold';
import { type ScheduleRow, scalingDb } from './tables';

type Schedule = Schemas['Schedule'];
type ScheduleCreate = Schemas['ScheduleCreate'];

export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

export function toApiSchedule(row: ScheduleRow): Schedule {
  const common = {
    id: row.id,
    appId: row.app_id,
    name: row.name,
    process: row.process,
    timezone: row.timezone,
    minReplicas: row.min_replicas,
    maxReplicas: row.max_replicas,
    ...(row.initial_replicas !== null && { initialReplicas: row.initial_replicas }),
    enabled: row.enabled,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
  return row.kind === 'recurring'
    ? { ...common, kind: 'recurring', start: row.start_cron!, end: row.end_cron! }
    : {
        ...common,
        kind: 'specificDate',
        startAt: row.start_at!.toISOString(),
        endAt: row.end_at!.toISOString(),
      };
}

/** The business rules the contract's schema cannot say: bounds, zone, cron, dates. */
function scheduleErrors(body: ScheduleCreate): FieldError[] {
  const errors = boundsErrors(body);
  const timezone = body.timezone ?? DEFAULT_TIMEZONE;
  if (!isTimeZone(timezone)) {
    errors.push({
      path: '/body/timezone',
      message: `unknown IANA time zone ${timezone}`,
      code: 'timezone',
    });
  } else if (body.kind === 'recurring') {
    for (const field of ['start', 'end'] as const) {
      const problem = cronProblem(body[field], timezone);
      if (problem) errors.push({ path: `/body/${field}`, message: problem, code: 'cron' });
    }
  }
  if (body.kind === 'specificDate' && Date.parse(body.endAt) <= Date.parse(body.startAt)) {
    errors.push({ path: '/body/endAt', message: 'must be after startAt', code: 'afterStart' });
  }
  return errors;
}

/** The row columns of a schedule body (defaults applied). */
function columnsOf(body: ScheduleCreate) {
  const recurring = body.kind === 'recurring';
  return {
    name: body.name,
    kind: body.kind,
    process: body.process ?? 'web',
    timezone: body.timezone ?? DEFAULT_TIMEZONE,
    start_cron: recurring ? body.start : null,
    end_cron: recurring ? body.end : null,
    start_at: recurring ? null : new Date(body.startAt),
    end_at: recurring ? null : new Date(body.endAt),
    min_replicas: body.minReplicas,
    max_replicas: body.maxReplicas,
    initial_replicas: body.initialReplicas ?? null,
    enabled: body.enabled ?? true,
  };
}

const nameTaken = (appId: string, name: string) =>
  new ProblemError(
    'already_exists',
    `应用内已有同名伸缩计划 · App ${appId} already has a schedule named "${name}".`,
  );

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === '23505';

async function scheduleRow(db: Db, appId: string, scheduleId: string): Promise<ScheduleRow> {
  const row = await scalingDb(db)
    .selectFrom('scaling_schedules')
    .selectAll()
    .where('id', '=', scheduleId)
    .where('app_id', '=', appId)
    .executeTakeFirst();
  if (!row) throw notFound('Schedule', scheduleId);
  return row;
}

/** Validates, checks the name and moves the quota hold; then `write` stores the row. */
async function putSchedule(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  appId: string,
  body: ScheduleCreate,
  scheduleId: string | null,
  write: (
    trx: Db,
    columns: ReturnType<typeof columnsOf>,
    app: { tenant_id: string },
  ) => Promise<ScheduleRow>,
): Promise<ScheduleRow> {
  const what = scheduleId ? 'Replacing a scaling schedule' : 'Creating a scaling schedule';
  return ctx.db.transaction().execute(async (trx) => {
    const app = await changeableApp(trx, principal, appId, what);
    request.auditTenantId = app.tenant_id;
    if (scheduleId) await scheduleRow(trx, appId, scheduleId);
    const errors = scheduleErrors(body);
    const unknown = await unknownProcessError(trx, appId, body.process ?? 'web');
    if (unknown) errors.push(unknown);
    failIf(errors, '伸缩计划');
    const columns = columnsOf(body);
    const others = await scalingDb(trx)
      .selectFrom('scaling_schedules')
      .select(['id', 'name', 'process', 'max_replicas'])
      .where('app_id', '=', appId)
      .execute();
    if (others.some((s) => s.name === columns.name && s.id !== scheduleId)) {
      throw nameTaken(appId, columns.name);
    }
    await syncReplicaHold(trx, ctx.config.defaultQuota, app, {
      schedules: [
        ...others
          .filter((s) => s.id !== scheduleId)
          .map((s) => ({ process: s.process, maxReplicas: s.max_replicas })),
        { process: columns.process, maxReplicas: columns.max_replicas },
      ],
    });
    let row: ScheduleRow;
    try {
      row = await write(trx, columns, app);
    } catch (error) {
      // Another request took the name between the check and the write.
      if (isUniqueViolation(error)) throw nameTaken(appId, columns.name);
      throw error;
    }
    await ctx.audit.append(
      trx,
      actingEvent(request, principal, app.tenant_id, { type: 'schedule', id: row.id }),
    );
    request.audited = true;
    return row;
  });
}

export async function createSchedule(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  appId: string,
  body: ScheduleCreate,
): Promise<Schedule> {
  const id = newId('sch');
  request.auditTarget = { type: 'schedule', id };
  const row = await putSchedule(ctx, request, principal, appId, body, null, (trx, columns, app) => {
    const now = new Date();
    return scalingDb(trx)
      .insertInto('scaling_schedules')
      .values({
        id,
        app_id: appId,
        tenant_id: app.tenant_id,
        ...columns,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  return toApiSchedule(row);
}

/** `updateSchedule`: the whole schedule replaced (its kind may change); id and creation stay. */
export async function updateSchedule(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  appId: string,
  scheduleId: string,
  body: ScheduleCreate,
): Promise<Schedule> {
  request.auditTarget = { type: 'schedule', id: scheduleId };
  const row = await putSchedule(ctx, request, principal, appId, body, scheduleId, (trx, columns) =>
    scalingDb(trx)
      .updateTable('scaling_schedules')
      .set({ ...columns, updated_at: new Date() })
      .where('id', '=', scheduleId)
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
  return toApiSchedule(row);
}

/** `deleteSchedule`: a window in effect ends with it (the autoscaler records that). */
export async function deleteSchedule(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  appId: string,
  scheduleId: string,
): Promise<void> {
  request.auditTarget = { type: 'schedule', id: scheduleId };
  await ctx.db.transaction().execute(async (trx) => {
    const app = await changeableApp(trx, principal, appId, 'Deleting a scaling schedule');
    request.auditTenantId = app.tenant_id;
    await scheduleRow(trx, appId, scheduleId);
    const others = await scalingDb(trx)
      .selectFrom('scaling_schedules')
      .select(['process', 'max_replicas'])
      .where('app_id', '=', appId)
      .where('id', '<>', scheduleId)
      .execute();
    await syncReplicaHold(trx, ctx.config.defaultQuota, app, {
      schedules: others.map((s) => ({ process: s.process, maxReplicas: s.max_replicas })),
    });
    await scalingDb(trx).deleteFrom('scaling_schedules').where('id', '=', scheduleId).execute();
    await ctx.audit.append(
      trx,
      actingEvent(request, principal, app.tenant_id, { type: 'schedule', id: scheduleId }),
    );
    request.audited = true;
  });
}

export async function getSchedule(
  db: Db,
  principal: Principal,
  appId: string,
  scheduleId: string,
): Promise<Schedule> {
  await readableApp(db, principal, appId);
  return toApiSchedule(await scheduleRow(db, appId, scheduleId));
}

const isNamePosition = (value: unknown): value is [string] =>
  Array.isArray(value) && value.length === 1 && typeof value[0] === 'string';

/** `listSchedules`: by name, ascending, keyset-paged on the name (unique within the app). */
export async function listSchedules(
  db: Db,
  principal: Principal,
  appId: string,
  query: { limit?: number; cursor?: string },
): Promise<Page<Schedule>> {
  await readableApp(db, principal, appId);
  const { limit = 50, cursor } = query;
  const cursors = new ScopedCursor('schedules', { appId }, isNamePosition);
  const after = cursors.decode(cursor);
  let q = scalingDb(db).selectFrom('scaling_schedules').selectAll().where('app_id', '=', appId);
  if (after) q = q.where('name', '>', after[0]);
  const rows = await q
    .orderBy('name', 'asc')
    .limit(limit + 1)
    .execute();
  return cursors.page(rows, limit, (row): [string] => [row.name], toApiSchedule);
}
