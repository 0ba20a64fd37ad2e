import { existsSync } from 'node:fs';
import { readdir, readlink, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import type { AuditLog } from '../audit/log';
import type { Db } from '../db/database';
import { auditPurged, DELETED_RETENTION_DAYS } from '../services/purge-deleted';
import { appDir, packageCacheDir, sourceFile } from './paths';

const DAY_MS = 86_400_000;
/** Built release folders kept per app besides the current one (Cloud Foundry keeps 5 droplets). */
export const KEPT_BUILDS = 10;

/**
 * What the local runtime keeps on disk and in the state database beyond its use, removed
 * after `days` (7 by default, as the contract says):
 * - apps deleted that long ago (their releases, sources, scaling state go by cascade);
 * - uploaded sources no release was made from;
 * - built release folders beyond the newest `keepBuilt` (see `pruneReleaseFolders`);
 * - installed dependency trees of the package cache that no release links to and no
 *   build used for that long, and staging folders of installs that never finished.
 */
export async function purgeAppsStorage(
  db: Db,
  audit: AuditLog,
  dataDir: string,
  { days = DELETED_RETENTION_DAYS, keepBuilt = KEPT_BUILDS } = {},
): Promise<{ apps: number; sources: number; releaseFolders: number; packageTrees: number }> {
  const cutoff = sql<Date>`now() - make_interval(days => ${days})`;
  const { apps, sources } = await db.transaction().execute(async (trx) => {
    const apps = await trx
      .deleteFrom('apps')
      .where('state', '=', 'deleted')
      .where('deleted_at', '<', cutoff)
      .returning(['id', 'tenant_id'])
      .execute();
    const sources = await trx
      .deleteFrom('sources as s')
      .where('s.created_at', '<', cutoff)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(selectFrom('releases as r').select('r.id').whereRef('r.source_id', '=', 's.id')),
        ),
      )
      .returning(['s.id', 's.app_id', 's.tenant_id'])
      .execute();
    await auditPurged(trx, audit, [
      ...apps.map((a) => ({ type: 'app', id: a.id, tenantId: a.tenant_id })),
      ...sources.map((s) => ({ type: 'source', id: s.id, tenantId: s.tenant_id })),
    ]);
    return { apps, sources };
  });
  // Deletion removed an app's folder already; a crash between the two may have left it.
  for (const app of apps) await rm(appDir(dataDir, app.id), { recursive: true, force: true });
  for (const s of sources) await rm(sourceFile(dataDir, s.app_id, s.id), { force: true });

  const releaseFolders = await pruneReleaseFolders(db, dataDir, keepBuilt);
  // After the release folders: a tree only they linked to is unused from now on.
  const packageTrees = await pruneDependencyCache(dataDir, days * DAY_MS);
  return { apps: apps.length, sources: sources.length, releaseFolders, packageTrees };
}

/**
 * Removes the built folders (`releases/v<n>`) of an app's releases except those of its newest
 * `keep` successful builds, the one its current release runs from, and any a release in
 * progress builds or rolls back to. A rollback to a release whose folder is gone builds it
 * again from its source (pipeline.ts `ensureArtifact`).
 */
async function pruneReleaseFolders(db: Db, dataDir: string, keep: number): Promise<number> {
  const rows = await db
    .selectFrom('releases as r')
    .innerJoin('apps as a', 'a.id', 'r.app_id')
    .select(['r.id', 'r.app_id', 'r.version', 'r.state', 'r.rollback_of', 'a.current_release_id'])
    .where('a.state', '<>', 'deleted')
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  /** The release holding the built files of `id` (a rollback runs its target's). */
  const builtOf = (id: string | null) => {
    let at = id ? byId.get(id) : undefined;
    while (at?.rollback_of) at = byId.get(at.rollback_of);
    return at;
  };
  const kept = new Map<string, Set<number>>();
  const keepVersion = (row: (typeof rows)[number] | undefined) => {
    if (!row) return;
    const versions = kept.get(row.app_id) ?? new Set<number>();
    versions.add(row.version);
    kept.set(row.app_id, versions);
  };
  const newestFirst = [...rows].sort((a, b) => b.version - a.version);
  const builtCount = new Map<string, number>();
  for (const r of newestFirst) {
    kept.set(r.app_id, kept.get(r.app_id) ?? new Set());
    if (r.rollback_of === null && r.state === 'succeeded') {
      const n = (builtCount.get(r.app_id) ?? 0) + 1;
      builtCount.set(r.app_id, n);
      if (n <= keep) keepVersion(r);
    }
    if (!['succeeded', 'failed', 'superseded'].includes(r.state)) keepVersion(builtOf(r.id));
    if (r.id === r.current_release_id) keepVersion(builtOf(r.id));
  }
  let removed = 0;
  for (const [appId, versions] of kept) {
    const folder = join(appDir(dataDir, appId), 'releases');
    if (!existsSync(folder)) continue;
    for (const name of await readdir(folder)) {
      const version = /^v(\d+)$/.exec(name)?.[1];
      if (version === undefined || versions.has(Number(version))) continue;
      await rm(join(folder, name), { recursive: true, force: true });
      removed += 1;
    }
  }
  return removed;
}

/**
 * Removes cached dependency trees (`cache/deps/<digest>`) that no release folder links to
 * and that no build touched within `maxAgeMs` (a build that reuses a tree touches it).
 */
async function pruneDependencyCache(dataDir: string, maxAgeMs: number): Promise<number> {
  const deps = join(packageCacheDir(dataDir), 'deps');
  if (!existsSync(deps)) return 0;
  const linked = await linkedTrees(dataDir);
  let removed = 0;
  for (const name of await readdir(deps)) {
    const tree = join(deps, name);
    if (linked.has(tree)) continue;
    const info = await stat(tree).catch(() => undefined);
    if (!info || Date.now() - info.mtimeMs < maxAgeMs) continue;
    await rm(tree, { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

/** The cached trees that some release folder's `node_modules` links to. */
async function linkedTrees(dataDir: string): Promise<Set<string>> {
  const linked = new Set<string>();
  const appsDir = join(dataDir, 'apps');
  if (!existsSync(appsDir)) return linked;
  for (const app of await readdir(appsDir)) {
    const releases = join(appsDir, app, 'releases');
    if (!existsSync(releases)) continue;
    for (const release of await readdir(releases)) {
      const target = await readlink(join(releases, release, 'node_modules')).catch(() => null);
      if (target) linked.add(dirname(target));
    }
  }
  return linked;
}
