import type { Schemas } from '@zhengwu/openapi';
import { sql } from 'kysely';
import type { Principal } from '../auth/principal';
import type { Db } from '../db/database';
import type { PlatformContext } from '../http/context';
import { ProblemError } from '../http/problems';
import { newId } from '../ids';
import { enqueue } from '../operations/queue';
import { type ActingRequest, actingEvent } from '../services/acting';
import { liveCatalog } from '../services/availability';
import { requireWriter } from '../services/instances';
import { quotaOf, resolvePlan } from '../services/plans';
import { type QuotaDelta, reserve } from '../tenancy/quota';
import { gone } from './apps';
import { type AppManifest, checkReleaseManifest, desiredScale, maxReplicasOf } from './manifest';
import { instanceNameOf } from './resources';
import { type AppView, type ReleaseView, releaseViews, visibleApp } from './views';

type Release = Schemas['Release'];

const IN_PROGRESS = ['pending', 'building', 'releasing', 'deploying'] as const;

export async function releaseView(db: Db, id: string): Promise<ReleaseView> {
  return (await releaseViews(db).where('r.id', '=', id).executeTakeFirstOrThrow()) as ReleaseView;
}

/** A release of an app the caller can see: 404 otherwise. */
export async function visibleRelease(
  db: Db,
  principal: Principal,
  appId: string,
  releaseId: string,
): Promise<ReleaseView> {
  await visibleApp(db, principal, appId);
  const row = (await releaseViews(db)
    .where('r.id', '=', releaseId)
    .where('r.app_id', '=', appId)
    .executeTakeFirst()) as ReleaseView | undefined;
  if (!row) throw new ProblemError('not_found', `发布不存在 · Release ${releaseId} was not found.`);
  return row;
}

export async function listReleases(
  db: Db,
  principal: Principal,
  appId: string,
  query: { limit?: number; cursor?: string },
): Promise<ReleaseView[]> {
  await visibleApp(db, principal, appId);
  let q = releaseViews(db).where('r.app_id', '=', appId);
  const after = query.cursor ? Number(Buffer.from(query.cursor, 'base64url').toString()) : null;
  if (query.cursor && !Number.isInteger(after)) {
    throw new ProblemError('bad_request', 'The cursor is not one this list issued.', [
      { path: '/query/cursor', message: 'unknown cursor', code: 'cursor' },
    ]);
  }
  if (after !== null) q = q.where('r.version', '<', after);
  return (await q
    .orderBy('r.version', 'desc')
    .limit((query.limit ?? 50) + 1)
    .execute()) as ReleaseView[];
}

export const releaseCursor = (version: number) =>
  Buffer.from(String(version)).toString('base64url');

/**
 * What a release would newly take from the quota: instances its resources do not have yet,
 * and replicas and memory beyond what the app already holds.
 */
async function demandOf(db: Db, app: AppView, manifest: AppManifest): Promise<QuotaDelta> {
  const names = Object.entries(manifest.resources ?? {}).map(([name, res]) =>
    instanceNameOf(app, name, res),
  );
  const existing = new Set(
    names.length === 0
      ? []
      : (
          await db
            .selectFrom('instances')
            .select('name')
            .where('tenant_id', '=', app.tenant_id)
            .where('name', 'in', names)
            .where('state', 'not in', ['deleted', 'failed'])
            .execute()
        ).map((r) => r.name),
  );
  const demand = { instances: 0, storageMb: 0, replicas: 0, memoryMb: 0 };
  for (const [name, res] of Object.entries(manifest.resources ?? {})) {
    if (existing.has(instanceNameOf(app, name, res))) continue;
    const q = quotaOf(resolvePlan(res.type, res.class ?? 'dev').plan);
    demand.instances += q.instances;
    demand.storageMb += q.storageMb;
  }
  const current = await db
    .selectFrom('app_processes')
    .selectAll()
    .where('app_id', '=', app.id)
    .execute();
  for (const p of desiredScale(manifest, current)) {
    demand.replicas += p.replicas;
    demand.memoryMb += p.replicas * p.memoryMb;
  }
  // Autoscaling and schedules in the manifest hold their maximum (as the policy routes do).
  demand.replicas = Math.max(demand.replicas, await maxReplicasOf(manifest));
  demand.replicas = Math.max(0, demand.replicas - (app.reserved?.replicas ?? 0));
  demand.memoryMb = Math.max(0, demand.memoryMb - (app.reserved?.memoryMb ?? 0));
  return demand;
}

const ROLLBACK = Symbol('quota check');

/** 422 `quota_exceeded` now, before anything is created, when the demand does not fit. */
async function checkQuota(ctx: PlatformContext, tenantId: string, demand: QuotaDelta) {
  await ctx.db
    .transaction()
    .execute(async (trx) => {
      await reserve(trx, tenantId, demand, ctx.config.defaultQuota);
      throw ROLLBACK;
    })
    .catch((error) => {
      if (error !== ROLLBACK) throw error;
    });
}

/** `createRelease`: checks the manifest, source and quota, then queues the build. */
export async function createRelease(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  appId: string,
  body: Schemas['ReleaseCreate'],
): Promise<ReleaseView> {
  request.auditTarget = { type: 'app', id: appId };
  const app = await visibleApp(ctx.db, principal, appId);
  request.auditTenantId = app.tenant_id;
  requireWriter(principal, app, 'Creating a release');
  const manifest = await checkReleaseManifest(
    body.manifest,
    app.name,
    liveCatalog(ctx.services.pools).services,
  );
  await checkQuota(ctx, app.tenant_id, await demandOf(ctx.db, app, manifest));
  return startRelease(ctx, request, principal, appId, {
    type: 'release.build',
    sourceId: body.sourceId,
    manifest,
    description: body.description ?? null,
    rollbackOf: null,
    artifactSha256: null,
  });
}

/** `rollbackApp`: a new release with the target's artifact and manifest, no rebuild. */
export async function rollbackApp(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  appId: string,
  body: Schemas['Rollback'],
): Promise<ReleaseView> {
  request.auditTarget = { type: 'app', id: appId };
  const app = await visibleApp(ctx.db, principal, appId);
  request.auditTenantId = app.tenant_id;
  requireWriter(principal, app, 'Rolling back an app');
  const found = await ctx.db
    .selectFrom('releases')
    .selectAll()
    .where('id', '=', body.releaseId)
    .where('app_id', '=', appId)
    .executeTakeFirst();
  const target = found?.state === 'succeeded' ? found : undefined;
  if (!target) {
    throw new ProblemError(
      'validation_failed',
      `只能回滚到本应用曾成功的发布 · Roll back to a release of app ${appId} that succeeded.`,
      [
        {
          path: '/body/releaseId',
          message: 'not a succeeded release of this app',
          code: 'release',
        },
      ],
    );
  }
  const manifest = target.manifest as unknown as AppManifest;
  await checkQuota(ctx, app.tenant_id, await demandOf(ctx.db, app, manifest));
  return startRelease(ctx, request, principal, appId, {
    type: 'app.rollback',
    sourceId: null,
    manifest,
    description: `回滚到第 ${target.version} 版 · Rollback to v${target.version}`,
    rollbackOf: target.id,
    artifactSha256: target.artifact_sha256,
  });
}

async function startRelease(
  ctx: PlatformContext,
  request: ActingRequest,
  principal: Principal,
  appId: string,
  spec: {
    type: 'release.build' | 'app.rollback';
    sourceId: string | null;
    manifest: AppManifest;
    description: string | null;
    rollbackOf: string | null;
    artifactSha256: string | null;
  },
): Promise<ReleaseView> {
  return ctx.db.transaction().execute(async (trx) => {
    const app = await visibleApp(trx, principal, appId, true);
    if (app.state === 'deleting' || app.state === 'deleted') throw gone(app);
    if (spec.sourceId) {
      const source = await trx
        .selectFrom('sources')
        .select('id')
        .where('id', '=', spec.sourceId)
        .where('app_id', '=', appId)
        .executeTakeFirst();
      if (!source) {
        throw new ProblemError(
          'validation_failed',
          `源码包不存在 · Source ${spec.sourceId} was not uploaded to app ${appId}.`,
          [{ path: '/body/sourceId', message: 'no such source for this app', code: 'not_found' }],
        );
      }
    }
    // An older release still in progress gives way.
    await trx
      .updateTable('releases')
      .set({ state: 'superseded', finished_at: new Date() })
      .where('app_id', '=', appId)
      .where('state', 'in', IN_PROGRESS)
      .execute();
    const { max } = await trx
      .selectFrom('releases')
      .select(sql<number | null>`max(version)`.as('max'))
      .where('app_id', '=', appId)
      .executeTakeFirstOrThrow();
    const id = newId('rel');
    const op = await enqueue(trx, {
      type: spec.type,
      tenantId: app.tenant_id,
      target: { type: 'release', id },
      requestId: request.id,
      maxAttempts: 3,
    });
    await trx
      .insertInto('releases')
      .values({
        id,
        app_id: appId,
        tenant_id: app.tenant_id,
        version: (max ?? 0) + 1,
        state: 'pending',
        source_id: spec.sourceId,
        artifact_sha256: spec.artifactSha256,
        rollback_of: spec.rollbackOf,
        description: spec.description,
        manifest: JSON.stringify(spec.manifest),
        failure: null,
        last_operation_id: op.id,
        created_at: new Date(),
        finished_at: null,
      })
      .execute();
    await trx
      .updateTable('apps')
      .set({
        state: app.current_release_id ? app.state : 'deploying',
        last_operation_id: op.id,
        updated_at: new Date(),
      })
      .where('id', '=', appId)
      .execute();
    await ctx.audit.append(trx, {
      ...actingEvent(request, principal, app.tenant_id, { type: 'release', id }),
    });
    request.audited = true;
    request.auditTarget = { type: 'release', id };
    return releaseView(trx, id);
  });
}

export type { Release };
