import type { Schemas } from '@zhengwu/openapi';
import { sql } from 'kysely';
import { type Principal, subtreesOf } from '../auth/principal';
import type { Db } from '../db/database';
import type { AppRow } from '../db/schema';
import type { PlatformContext } from '../http/context';
import { createdPositionOf, isCreatedPosition, ScopedCursor } from '../http/cursor';
import { ProblemError } from '../http/problems';
import { newId } from '../ids';
import { enqueue } from '../operations/queue';
import { type ActingRequest, actingEvent } from '../services/acting';
import { requireWriter, targetTenant } from '../services/instances';
import { reserve } from '../tenancy/quota';
import {
  type AppView,
  appViews,
  processesOf,
  type RuntimeStatus,
  toApiApp,
  visibleApp,
} from './views';

type App = Schemas['App'];

/** Config vars the platform sets itself: an app cannot set them. */
const RESERVED_ENV = /^(PORT|HOST|SERVICE_BINDING_ROOT|ZHENGWU_.*)$/;

function checkEnv(env: Record<string, string | null> | undefined): void {
  const reserved = Object.keys(env ?? {}).filter((k) => RESERVED_ENV.test(k));
  if (reserved.length > 0) {
    throw new ProblemError(
      'validation_failed',
      `平台保留的变量不能设置 · ${reserved.join(', ')} are set by the platform.`,
      reserved.map((k) => ({ path: `/body/env/${k}`, message: 'reserved', code: 'reserved' })),
    );
  }
}

function patch(
  base: Record<string, string>,
  changes: Record<string, string | null> | undefined,
): Record<string, string> {
  const next = { ...base };
  for (const [k, v] of Object.entries(changes ?? {})) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  return next;
}

export async function appView(db: Db, id: string): Promise<AppView> {
  return (await appViews(db).where('a.id', '=', id).executeTakeFirstOrThrow()) as AppView;
}

/** The API shape of one app (its processes read alongside). */
export async function apiApp(db: Db, row: AppView, runtime: RuntimeStatus): Promise<App> {
  const processes = await processesOf(db, [row.id]);
  return toApiApp(row, processes.get(row.id) ?? [], runtime);
}

export async function createApp(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  body: Schemas['AppCreate'],
): Promise<AppView> {
  const tenantId = targetTenant(principal, body.tenantId);
  request.auditTenantId = tenantId;
  const tenant = await ctx.db
    .selectFrom('tenants')
    .select(['path', 'name'])
    .where('id', '=', tenantId)
    .executeTakeFirst();
  if (!tenant || !subtreeVisible(principal, tenant.path)) {
    throw new ProblemError('validation_failed', `租户不存在 · Tenant ${tenantId} was not found.`, [
      { path: '/body/tenantId', message: 'no such tenant', code: 'not_found' },
    ]);
  }
  requireWriter(principal, tenant, 'Creating an app');
  const id = newId('app');
  request.auditTarget = { type: 'app', id };
  return ctx.db.transaction().execute(async (trx) => {
    const clash = await trx
      .selectFrom('apps')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('name', '=', body.name)
      .where('state', '<>', 'deleted')
      .executeTakeFirst();
    if (clash) {
      throw new ProblemError(
        'already_exists',
        `租户内已有同名应用 · Tenant ${tenantId} already has an app named "${body.name}" (${clash.id}).`,
      );
    }
    await claimRoute(trx, tenantId, tenant.name, body.name);
    await reserve(trx, tenantId, { apps: 1 }, ctx.config.defaultQuota);
    const now = new Date();
    await trx
      .insertInto('apps')
      .values({
        id,
        tenant_id: tenantId,
        name: body.name,
        state: 'created',
        current_release_id: null,
        env: JSON.stringify({}),
        labels: JSON.stringify(body.labels ?? {}),
        secrets: null,
        last_operation_id: null,
        reserved: JSON.stringify({ apps: 1, replicas: 0, memoryMb: 0 }),
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })
      .execute();
    await ctx.audit.append(trx, actingEvent(request, principal, tenantId, { type: 'app', id }));
    request.audited = true;
    return appView(trx, id);
  });
}

/**
 * App URLs are `<app>.<tenant name>.<domain>` and `/apps/<tenant name>/<app>/`, but tenant
 * names are unique among siblings only: two departments named `edu` under different
 * provinces would share an address. The first app keeps it; the second is refused before it
 * exists. A transaction lock on the address makes concurrent creates take turns.
 */
async function claimRoute(trx: Db, tenantId: string, tenantName: string, appName: string) {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`app-route ${tenantName}/${appName}`}))`.execute(
    trx,
  );
  const taken = await trx
    .selectFrom('apps as a')
    .innerJoin('tenants as t', 't.id', 'a.tenant_id')
    .select('a.id')
    .where('t.name', '=', tenantName)
    .where('a.name', '=', appName)
    .where('a.tenant_id', '<>', tenantId)
    .where('a.state', '<>', 'deleted')
    .executeTakeFirst();
  if (taken) {
    // Which department holds it is not said: it may be one this principal cannot see.
    throw new ProblemError(
      'already_exists',
      `应用地址 ${appName}.${tenantName} 已被另一个同名部门的应用占用，请换一个应用名 · The address ${appName}.${tenantName} is taken by an app of another department with the same name: choose another app name.`,
    );
  }
}

function subtreeVisible(principal: Principal, path: string[]): boolean {
  const subtrees = subtreesOf(principal);
  return subtrees === 'all' || path.some((id) => subtrees.includes(id));
}

export async function listApps(
  db: Db,
  principal: Principal,
  runtime: RuntimeStatus,
  query: { tenantId?: string; state?: string; limit?: number; cursor?: string },
): Promise<{ data: App[]; nextCursor: string | null }> {
  const { limit = 50, cursor, ...filters } = query;
  const cursors = new ScopedCursor('apps', filters, isCreatedPosition);
  const after = cursors.decode(cursor);
  const subtrees = subtreesOf(principal);
  if (subtrees !== 'all' && subtrees.length === 0) return { data: [], nextCursor: null };
  let q = appViews(db);
  if (subtrees !== 'all') q = q.where(sql<boolean>`t.path && ${sql.val(subtrees)}::text[]`);
  if (filters.tenantId !== undefined) q = q.where('a.tenant_id', '=', filters.tenantId);
  q =
    filters.state !== undefined
      ? q.where('a.state', '=', filters.state as AppRow['state'])
      : q.where('a.state', '<>', 'deleted');
  if (after) {
    q = q.where(sql<boolean>`(a.created_at, a.id) < (${after[0]}::timestamptz, ${after[1]})`);
  }
  const rows = (await q
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit + 1)
    .execute()) as AppView[];
  const processes = await processesOf(
    db,
    rows.map((r) => r.id),
  );
  return cursors.page(rows, limit, createdPositionOf, (row) =>
    toApiApp(row, processes.get(row.id) ?? [], runtime),
  );
}

export async function updateApp(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  id: string,
  body: Schemas['AppUpdate'],
): Promise<AppView> {
  request.auditTarget = { type: 'app', id };
  checkEnv(body.env as Record<string, string | null> | undefined);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await visibleApp(trx, principal, id, true);
    request.auditTenantId = row.tenant_id;
    requireWriter(principal, row, 'Updating an app');
    if (row.state === 'deleting' || row.state === 'deleted') throw gone(row);
    await trx
      .updateTable('apps')
      .set({
        env: JSON.stringify(patch(row.env, body.env as Record<string, string | null>)),
        labels: JSON.stringify(patch(row.labels, body.labels as Record<string, string | null>)),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await ctx.audit.append(
      trx,
      actingEvent(request, principal, row.tenant_id, { type: 'app', id }),
    );
    request.audited = true;
    return appView(trx, id);
  });
}

export function gone(row: AppView): ProblemError {
  return new ProblemError('invalid_state', `应用正在删除 · App ${row.id} is ${row.state}.`);
}

/** `deleteApp` and `restartApp`: a state change plus an operation that does the work. */
export async function appOperation(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  id: string,
  type: 'app.delete' | 'app.restart',
  input: Record<string, unknown> = {},
): Promise<AppView> {
  request.auditTarget = { type: 'app', id };
  return ctx.db.transaction().execute(async (trx) => {
    const row = await visibleApp(trx, principal, id, true);
    request.auditTenantId = row.tenant_id;
    requireWriter(principal, row, type === 'app.delete' ? 'Deleting an app' : 'Restarting an app');
    if (row.state === 'deleting' || row.state === 'deleted') throw gone(row);
    if (type === 'app.restart' && !row.current_release_id) {
      throw new ProblemError(
        'invalid_state',
        `应用还没有发布 · App ${id} has no release to restart yet; deploy it first.`,
      );
    }
    const op = await enqueue(trx, {
      type,
      tenantId: row.tenant_id,
      target: { type: 'app', id },
      input,
      requestId: request.id,
      maxAttempts: 10,
    });
    await trx
      .updateTable('apps')
      .set({
        ...(type === 'app.delete' && { state: 'deleting' as const }),
        last_operation_id: op.id,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    if (type === 'app.delete') {
      // Releases still in progress end here.
      await trx
        .updateTable('releases')
        .set({ state: 'superseded', finished_at: new Date() })
        .where('app_id', '=', id)
        .where('state', 'in', ['pending', 'building', 'releasing', 'deploying'])
        .execute();
    }
    await ctx.audit.append(
      trx,
      actingEvent(request, principal, row.tenant_id, { type: 'app', id }),
    );
    request.audited = true;
    return appView(trx, id);
  });
}
