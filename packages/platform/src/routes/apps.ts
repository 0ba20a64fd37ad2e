import type { Readable } from 'node:stream';
import { apiApp, appOperation, createApp, listApps, updateApp } from '../apps/apps';
import { sourceFile } from '../apps/paths';
import {
  createRelease,
  listReleases,
  releaseCursor,
  releaseView,
  rollbackApp,
  visibleRelease,
} from '../apps/releases';
import { scaleApp, scaleOf } from '../apps/scale';
import { receiveSource } from '../apps/source-archive';
import { toApiRelease, visibleApp } from '../apps/views';
import { holds } from '../auth/principal';
import type { Handlers, PlatformContext } from '../http/context';
import { principalOf } from '../http/context';
import { ProblemError } from '../http/problems';
import { auditingRefusals } from '../identity/audit';
import { newId } from '../ids';
import { streamLogs } from '../runtime/sse';
import { requireWriter } from '../services/instances';

function appsOf(ctx: PlatformContext) {
  if (!ctx.apps) {
    throw new ProblemError(
      'unavailable',
      '本平台未启用应用运行时 · This platform runs no app runtime.',
    );
  }
  return ctx.apps;
}

/** Apps, their sources and releases, scale and logs, on the local runtime. */
export const appHandlers: Handlers = {
  listApps: (request, _reply, ctx) =>
    listApps(ctx.db, principalOf(request), appsOf(ctx).runtime, request.query),

  getApp: async (request, _reply, ctx) =>
    apiApp(
      ctx.db,
      await visibleApp(ctx.db, principalOf(request), request.params.appId),
      appsOf(ctx).runtime,
    ),

  createApp: auditingRefusals(async (request, reply, ctx) => {
    const row = await createApp(ctx, request, principalOf(request), request.body);
    reply.code(201).header('location', `/v1/apps/${row.id}`);
    return apiApp(ctx.db, row, appsOf(ctx).runtime);
  }),

  updateApp: auditingRefusals(async (request, _reply, ctx) => {
    const row = await updateApp(
      ctx,
      request,
      principalOf(request),
      request.params.appId,
      request.body,
    );
    return apiApp(ctx.db, row, appsOf(ctx).runtime);
  }),

  deleteApp: auditingRefusals(async (request, reply, ctx) => {
    const row = await appOperation(
      ctx,
      request,
      principalOf(request),
      request.params.appId,
      'app.delete',
    );
    reply.code(202);
    return apiApp(ctx.db, row, appsOf(ctx).runtime);
  }),

  restartApp: auditingRefusals(async (request, reply, ctx) => {
    const process = request.body?.process;
    const row = await appOperation(
      ctx,
      request,
      principalOf(request),
      request.params.appId,
      'app.restart',
      {
        ...(process && { process }),
      },
    );
    reply.code(202);
    return apiApp(ctx.db, row, appsOf(ctx).runtime);
  }),

  uploadSource: auditingRefusals(async (request, reply, ctx) => {
    const principal = principalOf(request);
    const { appId } = request.params;
    request.auditTarget = { type: 'app', id: appId };
    const app = await visibleApp(ctx.db, principal, appId);
    request.auditTenantId = app.tenant_id;
    requireWriter(principal, app, 'Uploading a source');
    const id = newId('src');
    const expected = request.headers['x-content-sha256'] as string | undefined;
    const { sha256, sizeBytes } = await receiveSource(
      request.body as unknown as Readable,
      sourceFile(ctx.config.dataDir, appId, id),
      expected,
    );
    const row = await ctx.db
      .insertInto('sources')
      .values({
        id,
        app_id: appId,
        tenant_id: app.tenant_id,
        sha256,
        size_bytes: sizeBytes,
        created_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    reply.code(201);
    return { id, appId, sha256, sizeBytes, createdAt: row.created_at.toISOString() };
  }),

  listReleases: async (request, _reply, ctx) => {
    const limit = request.query.limit ?? 50;
    const rows = await listReleases(
      ctx.db,
      principalOf(request),
      request.params.appId,
      request.query,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      data: page.map(toApiRelease),
      nextCursor: rows.length > limit && last ? releaseCursor(last.version) : null,
    };
  },

  getRelease: async (request, _reply, ctx) =>
    toApiRelease(
      await visibleRelease(
        ctx.db,
        principalOf(request),
        request.params.appId,
        request.params.releaseId,
      ),
    ),

  createRelease: auditingRefusals(async (request, reply, ctx) => {
    appsOf(ctx);
    const row = await createRelease(
      ctx,
      request,
      principalOf(request),
      request.params.appId,
      request.body,
    );
    reply.code(202).header('location', `/v1/apps/${row.app_id}/releases/${row.id}`);
    return toApiRelease(row);
  }),

  rollbackApp: auditingRefusals(async (request, reply, ctx) => {
    appsOf(ctx);
    const row = await rollbackApp(
      ctx,
      request,
      principalOf(request),
      request.params.appId,
      request.body,
    );
    reply.code(202).header('location', `/v1/apps/${row.app_id}/releases/${row.id}`);
    return toApiRelease(await releaseView(ctx.db, row.id));
  }),

  getAppScale: async (request, _reply, ctx) => {
    await visibleApp(ctx.db, principalOf(request), request.params.appId);
    return scaleOf(ctx.db, request.params.appId);
  },

  scaleApp: auditingRefusals(async (request, _reply, ctx) => {
    const apps = appsOf(ctx);
    return scaleApp(
      ctx,
      apps.runtime,
      request,
      principalOf(request),
      request.params.appId,
      request.body,
      apps.policyBounds,
      apps.recordScaling,
    );
  }),

  streamAppLogs: async (request, reply, ctx) => {
    const principal = principalOf(request);
    const app = await visibleApp(ctx.db, principal, request.params.appId);
    if (!holds(principal, app.path, ['developer', 'tenant-admin', 'auditor', 'platform-admin'])) {
      throw new ProblemError(
        'forbidden',
        '读取日志需要 developer、tenant-admin 或 auditor 角色 · Reading logs needs the developer, tenant-admin or auditor role.',
      );
    }
    const lastEventId = request.headers['last-event-id'] as string | undefined;
    streamLogs(reply, appsOf(ctx).logStore, app.id, request.query, lastEventId);
    return reply;
  },
};
