import { existsSync } from 'node:fs';
import { readdir, readlink, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import type { AuditLog } from '../audit/log';
import type { Db } from '../db/database';
import { auditPurged, DELETED_RETENTION_DAYS } from '../services/purge-deleted';
import { appDir, packageCacheDir, sourceFile } from './paths';

const DAY_MS = 86_400_000;

/**
 * What the local runtime keeps on disk and in the state database beyond its use, removed
 * after `days` (7 by default, as the contract says):
 * - apps deleted that long ago (their releases, sources, scaling state go by cascade);
 * - uploaded sources no release was made from;
 * - installed dependency trees of the package cache that no release links to and no
 *   build used for that long, and staging folders of installs that never finished.
 * A release's own folder stays while the app lives: any release can be rolled back to.
 */
export async function purgeAppsStorage(
  db: Db,
  audit: AuditLog,
  dataDir: string,
  days = DELETED_RETENTION_DAYS,
): Promise<{ apps: number; sources: number; packageTrees: number }> {
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

  const packageTrees = await pruneDependencyCache(dataDir, days * DAY_MS);
  return { apps: apps.length, sources: sources.length, packageTrees };
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
