import { existsSync } from 'node:fs';
import { mkdir, readFile, readlink, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NotFoundError, type Zhengwu } from '@zhengwu/sdk';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageCacheDir, releaseDir, sourceFile } from '../src/apps/paths';
import { purgeAppsStorage } from '../src/apps/purge';
import { purgeDeletedServices } from '../src/services/purge-deleted';
import { fixtureTarball, getVia, manifestOf } from './apps/fixture';
import { SERVERS, serverAvailable } from './brokers/servers';
import { startTestPlatform, type TestPlatform } from './harness';
import { insertToken } from './tokens-fixture';
import { until } from './until';

/**
 * Deleted instances, bindings and apps stay readable for 7 days and then go; so do uploaded
 * sources no release was made from, and cached dependency trees nothing uses.
 */
const available = await serverAvailable('PostgreSQL', SERVERS.postgresql, 5432);
let platform: TestPlatform;
let dev: Zhengwu;
let tenantId: string;
let dataDir: string;
let tenantName: string;

const DAY = "interval '1 day'";
/** Moves a row's timestamp `days` into the past, as if that much time had gone by. */
const age = (
  table: 'instances' | 'bindings' | 'apps' | 'sources',
  column: string,
  id: string,
  days: number,
) =>
  sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = now() - ${sql.raw(DAY)} * ${days} WHERE id = ${id}`.execute(
    platform.db,
  );
/** The audit events retention appended (each purged row is one, in its tenant). */
const purgeEvents = () =>
  platform.db
    .selectFrom('audit_events')
    .select(['action', 'target', 'tenant_id'])
    .where('action', 'like', '%.purge')
    .execute();
const gone = (read: Promise<unknown>) =>
  read.then(
    () => false,
    (error) => error instanceof NotFoundError,
  );

describe.runIf(available)('purging what was deleted a week ago', () => {
  beforeAll(async () => {
    platform = await startTestPlatform(
      { ZW_POSTGRES_URL: SERVERS.postgresql },
      { operations: { pollMs: 50, backoff: { baseMs: 100, maxMs: 300, jitter: false } } },
    );
    dataDir = platform.context.config.dataDir;
    tenantName = `purge-${Math.random().toString(36).slice(2, 8)}`;
    tenantId = (
      await platform.admin.tenants.create({
        parentId: null,
        name: tenantName,
        displayName: { zh: '清理', en: 'purge' },
        level: 'province',
      })
    ).id;
    dev = platform.clientWith(await insertToken(platform.db, tenantId, 'developer'));
  }, 120_000);
  afterAll(() => platform?.close(), 60_000);

  it('removes instances and bindings deleted over 7 days ago, keeps the recent ones readable', async () => {
    const make = async (name: string) => {
      const instance = await dev.instances.create({
        tenantId,
        name,
        service: 'postgresql',
        plan: 'dev',
      } as never);
      await dev.instances.waitUntilReady(instance.id, { maxWaitTime: 60_000 });
      return instance.id;
    };
    const [old, recent] = [await make('purge-old'), await make('purge-recent')];
    const binding = await dev.bindings.create({ instanceId: old, name: 'purge-old-app' });
    await dev.bindings.waitUntilReady(binding.id, { maxWaitTime: 60_000 });
    await dev.bindings.delete(binding.id);
    // A deleted binding answers 404 at once; its row stays (state `deleted`) for a week.
    const bindingRow = () =>
      platform.db
        .selectFrom('bindings')
        .select('state')
        .where('id', '=', binding.id)
        .executeTakeFirst();
    await until('the binding to be deleted', bindingRow, (b) => b?.state === 'deleted', 60_000);
    for (const id of [old, recent]) {
      await dev.instances.delete(id);
      await dev.instances.waitUntilDeleted(id, { maxWaitTime: 60_000 });
    }

    // Six days on, everything is still there.
    await age('instances', 'deleted_at', old, 6);
    await age('bindings', 'deleted_at', binding.id, 6);
    expect(await purgeDeletedServices(platform.db, platform.context.audit)).toEqual({
      instances: 0,
      bindings: 0,
    });
    expect((await dev.instances.retrieve(old)).state).toBe('deleted');

    await age('instances', 'deleted_at', old, 8);
    await age('bindings', 'deleted_at', binding.id, 8);
    expect(await purgeDeletedServices(platform.db, platform.context.audit)).toEqual({
      instances: 1,
      bindings: 1,
    });
    expect(await gone(dev.instances.retrieve(old))).toBe(true);
    expect(await bindingRow()).toBeUndefined();
    const listed = await dev.instances.list({ tenantId, state: 'deleted' });
    expect(listed.data.map((i) => i.id)).toEqual([recent]);
    const credentials = await platform.db
      .selectFrom('binding_credentials')
      .select('binding_id')
      .where('binding_id', '=', binding.id)
      .execute();
    expect(credentials).toEqual([]);
    expect(await purgeEvents()).toEqual(
      expect.arrayContaining([
        { action: 'instance.purge', target: { type: 'instance', id: old }, tenant_id: tenantId },
        {
          action: 'binding.purge',
          target: { type: 'binding', id: binding.id },
          tenant_id: tenantId,
        },
      ]),
    );
  }, 180_000);

  it('removes apps deleted over 7 days ago, unused sources and unused dependency trees', async () => {
    const manifest = manifestOf({ resources: undefined, env: {}, release: undefined });
    const appOf = async (name: string) => (await dev.apps.create({ tenantId, name })).id;
    const kept = await appOf('purge-kept');
    const deployed = await dev.apps.deploy(kept, {
      source: await readFile(await fixtureTarball('1')),
      manifest: { ...manifest, metadata: { name: 'purge-kept' } } as never,
    });
    const release = await dev.apps.releases.waitUntilDone(kept, deployed.id, {
      maxWaitTime: 120_000,
    });
    expect(release.state).toBe('succeeded');
    const deployedSource = release.sourceId as string;
    const unused = await dev.apps.releases.uploadSource(
      kept,
      await readFile(await fixtureTarball('2')),
    );
    const fresh = await dev.apps.releases.uploadSource(
      kept,
      await readFile(await fixtureTarball('3')),
    );
    for (const id of [deployedSource, unused.id]) await age('sources', 'created_at', id, 8);

    const removed = await appOf('purge-removed');
    await dev.apps.delete(removed);
    await dev.apps.waitUntilDeleted(removed, { maxWaitTime: 60_000 });
    await age('apps', 'deleted_at', removed, 8);

    // The tree the release links to, made to look a month unused, and one nothing links to.
    const linked = dirname(
      await readlink(join(releaseDir(dataDir, kept, release.version), 'node_modules')),
    );
    const orphan = join(packageCacheDir(dataDir), 'deps', 'orphaned-digest');
    await mkdir(join(orphan, 'node_modules'), { recursive: true });
    const monthAgo = new Date(Date.now() - 30 * 86_400_000);
    for (const tree of [linked, orphan]) await utimes(tree, monthAgo, monthAgo);

    expect(await purgeAppsStorage(platform.db, platform.context.audit, dataDir)).toEqual({
      apps: 1,
      sources: 1,
      releaseFolders: 0,
      packageTrees: 1,
    });
    expect(await gone(dev.apps.retrieve(removed))).toBe(true);
    expect((await dev.apps.retrieve(kept)).state).toBe('running');
    expect(existsSync(sourceFile(dataDir, kept, unused.id))).toBe(false);
    expect(existsSync(sourceFile(dataDir, kept, deployedSource))).toBe(true);
    expect(existsSync(sourceFile(dataDir, kept, fresh.id))).toBe(true);
    expect(existsSync(linked)).toBe(true);
    expect(existsSync(orphan)).toBe(false);
    const sources = await platform.db
      .selectFrom('sources')
      .select('id')
      .where('app_id', '=', kept)
      .orderBy('id')
      .execute();
    expect(sources.map((s) => s.id).sort()).toEqual([deployedSource, fresh.id].sort());
    expect(await purgeEvents()).toEqual(
      expect.arrayContaining([
        { action: 'app.purge', target: { type: 'app', id: removed }, tenant_id: tenantId },
        { action: 'source.purge', target: { type: 'source', id: unused.id }, tenant_id: tenantId },
      ]),
    );
    await dev.apps.delete(kept);
  }, 180_000);
  it('keeps the newest builds; a rollback to a pruned one builds it again from its source', async () => {
    const appId = (await dev.apps.create({ tenantId, name: 'purge-builds' })).id;
    const manifest = {
      ...manifestOf({ resources: undefined, env: {}, release: undefined }),
      metadata: { name: 'purge-builds' },
    };
    const releases = [];
    for (const version of ['1', '2', '3']) {
      const release = await dev.apps.deploy(appId, {
        source: await readFile(await fixtureTarball(version)),
        manifest: manifest as never,
      });
      releases.push(
        await dev.apps.releases.waitUntilDone(appId, release.id, { maxWaitTime: 120_000 }),
      );
    }
    const folder = (v: number) => releaseDir(dataDir, appId, v);
    expect(releases.map((r) => existsSync(folder(r.version)))).toEqual([true, true, true]);

    const purged = await purgeAppsStorage(platform.db, platform.context.audit, dataDir, {
      keepBuilt: 1,
    });
    expect(purged.releaseFolders).toBe(2);
    expect(releases.map((r) => existsSync(folder(r.version)))).toEqual([false, false, true]);
    const page = () => getVia(platform.url, '/', `purge-builds.${tenantName}.localhost`);
    expect((await page()).body).toBe('hello v3');

    // Rolling back to v1 builds it again from its source, then serves it.
    const back = await dev.apps.rollback(appId, { releaseId: releases[0]!.id });
    expect(
      (await dev.apps.releases.waitUntilDone(appId, back.id, { maxWaitTime: 120_000 })).state,
    ).toBe('succeeded');
    expect(existsSync(folder(releases[0]!.version))).toBe(true);
    expect((await page()).body).toBe('hello v1');
    const said: string[] = [];
    for await (const e of dev.apps.logs.stream(appId, { follow: false, tail: 200 })) {
      said.push(e.message);
    }
    expect(said.join('\n')).toContain(
      'The build of v1 was pruned; building it again from its source',
    );
    expect(said.join('\n')).not.toContain('not reproducible');
    await dev.apps.delete(appId);
  }, 240_000);
});
