import type { Schemas } from '@zhengwu/openapi';
import { ANY_ROLE, holds, type Principal } from '../auth/principal';
import type { Db } from '../db/database';
import type { AppProcessRow, AppRow, ReleaseRow } from '../db/schema';
import { notFound } from '../http/problems';
import { operationRefOf } from '../services/operation-ref';

type App = Schemas['App'];
type Release = Schemas['Release'];

/** An app row with its tenant's path and name and its last operation. */
export type AppView = AppRow & {
  path: string[];
  tenant_name: string;
  op_type: string | null;
  op_state: string | null;
};

/** What the API shows of the running side of an app (from the local runtime). */
export interface RuntimeStatus {
  /** Replicas of a process that pass their readiness check. */
  ready(appId: string, process: string): number;
  /** Replicas that should serve but do not (starting, crashed, crashing). */
  unhealthy(appId: string): number;
  /** Where the app answers: host route and path route on the platform's port. */
  routesOf(tenant: string, app: string): { url: string; routes: Schemas['Route'][] };
}

export function appViews(db: Db) {
  return db
    .selectFrom('apps as a')
    .innerJoin('tenants as t', 't.id', 'a.tenant_id')
    .leftJoin('operations as o', 'o.id', 'a.last_operation_id')
    .selectAll('a')
    .select([
      't.path as path',
      't.name as tenant_name',
      'o.type as op_type',
      'o.state as op_state',
    ]);
}

/** The app as the caller may see it: 404 without a role on its tenant or an ancestor. */
export async function visibleApp(
  db: Db,
  principal: Principal,
  id: string,
  forUpdate = false,
): Promise<AppView> {
  let query = appViews(db).where('a.id', '=', id);
  if (forUpdate) query = query.forUpdate('a');
  const row = (await query.executeTakeFirst()) as AppView | undefined;
  if (!row || !holds(principal, row.path, ANY_ROLE)) throw notFound('App', id);
  return row;
}

export async function processesOf(db: Db, appIds: string[]): Promise<Map<string, AppProcessRow[]>> {
  const out = new Map<string, AppProcessRow[]>();
  if (appIds.length === 0) return out;
  const rows = await db
    .selectFrom('app_processes')
    .selectAll()
    .where('app_id', 'in', appIds)
    .orderBy('type')
    .execute();
  for (const row of rows) out.set(row.app_id, [...(out.get(row.app_id) ?? []), row]);
  return out;
}

export function toApiApp(row: AppView, processes: AppProcessRow[], runtime: RuntimeStatus): App {
  const live = row.current_release_id !== null && row.state !== 'deleted';
  const hasWeb = processes.some((p) => p.type === 'web');
  const { url, routes } = runtime.routesOf(row.tenant_name, row.name);
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    // A running app with replicas down (crashing, restarting) is degraded.
    state: row.state === 'running' && runtime.unhealthy(row.id) > 0 ? 'degraded' : row.state,
    currentReleaseId: row.current_release_id,
    url: live && hasWeb ? url : null,
    routes: live && hasWeb ? routes : [],
    processes: processes.map((p) => ({
      type: p.type,
      replicas: p.replicas,
      ready: runtime.ready(row.id, p.type),
      memoryMb: p.memory_mb,
    })),
    env: row.env,
    labels: row.labels,
    lastOperation: operationRefOf(row),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A release row joined with its last operation. */
export type ReleaseView = ReleaseRow & { op_type: string | null; op_state: string | null };

export function releaseViews(db: Db) {
  return db
    .selectFrom('releases as r')
    .leftJoin('operations as o', 'o.id', 'r.last_operation_id')
    .selectAll('r')
    .select(['o.type as op_type', 'o.state as op_state']);
}

export function toApiRelease(row: ReleaseView): Release {
  return {
    id: row.id,
    appId: row.app_id,
    tenantId: row.tenant_id,
    version: row.version,
    state: row.state,
    sourceId: row.source_id,
    artifactSha256: row.artifact_sha256,
    rollbackOf: row.rollback_of,
    description: row.description,
    manifest: row.manifest,
    failure: (row.failure as Release['failure']) ?? null,
    lastOperation: operationRefOf(row),
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at ? row.finished_at.toISOString() : null,
  };
}
