import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Zhengwu } from '@zhengwu/sdk';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVERS, serverAvailable } from '../brokers/servers';
import { startTestPlatform, type TestPlatform } from '../harness';
import { insertToken } from '../tokens-fixture';
import { until } from '../until';
import { escapingTarball, fixtureTarball, getVia, manifestOf } from './fixture';

/**
 * The local runtime end to end through the API: upload → build → provision + bind →
 * release command → rolling deploy → routes; scale, self-healing, zero-downtime redeploy,
 * rollback, failures that keep the previous release serving, logs and deletion.
 */
const available = await serverAvailable('PostgreSQL', SERVERS.postgresql, 5432);
let platform: TestPlatform;
let dev: Zhengwu;
let other: Zhengwu;
let tenantId: string;
let tenantName: string;
let appId: string;
const crashFlag = join(tmpdir(), `zw-crash-${process.pid}`);

const get = (path: string, host?: string) => getVia(platform.url, path, host);

const viaHost = (path: string) => get(path, `hello.${tenantName}.localhost`);
const viaPath = (path: string) => get(`/apps/${tenantName}/hello${path}`);

async function deploy(
  version: string,
  manifest = manifestOf(),
  extra: Record<string, string> = {},
) {
  const tarball = await readFile(await fixtureTarball(version, extra));
  return dev.apps.deploy(appId, { source: tarball, manifest: manifest as never });
}

async function waitRelease(releaseId: string) {
  for (let i = 0; i < 600; i++) {
    const r = await dev.apps.releases.retrieve(appId, releaseId);
    if (['succeeded', 'failed', 'superseded'].includes(r.state)) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('release did not finish');
}

describe.runIf(available)('apps on the local runtime', () => {
  beforeAll(async () => {
    platform = await startTestPlatform(
      { ZW_POSTGRES_URL: SERVERS.postgresql },
      { operations: { pollMs: 50, backoff: { baseMs: 100, maxMs: 300, jitter: false } } },
    );
    const text = { zh: '测试', en: 'test' };
    tenantName = `apps-${Math.random().toString(36).slice(2, 8)}`;
    tenantId = (
      await platform.admin.tenants.create({
        parentId: null,
        name: tenantName,
        displayName: text,
        level: 'province',
      })
    ).id;
    const otherTenant = (
      await platform.admin.tenants.create({
        parentId: null,
        name: `${tenantName}-b`,
        displayName: text,
        level: 'province',
      })
    ).id;
    dev = platform.clientWith(await insertToken(platform.db, tenantId, 'developer'));
    other = platform.clientWith(await insertToken(platform.db, otherTenant, 'developer'));
    appId = (await dev.apps.create({ tenantId, name: 'hello' })).id;
  }, 120_000);

  afterAll(async () => {
    await rm(crashFlag, { force: true });
    if (!platform) return;
    // The app's instance stays after the app: remove it so no engine object is left.
    const instances = await platform.admin.instances.list({ tenantId });
    for (const i of instances.data) {
      await dev.raw.DELETE('/v1/instances/{instanceId}', {
        params: { path: { instanceId: i.id }, query: { force: true } },
      });
      await dev.instances.waitUntilDeleted(i.id, { maxWaitTime: 60_000 }).catch(() => {});
    }
    await platform.close();
  }, 120_000);

  it('refuses unsafe or broken source archives', async () => {
    const token = await insertToken(platform.db, tenantId, 'developer');
    const send = (body: Buffer, headers: Record<string, string> = {}) =>
      fetch(`${platform.url}/v1/apps/${appId}/sources`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/gzip',
          ...headers,
        },
        body: new Uint8Array(body),
      });
    const escaping = await send(await escapingTarball());
    expect(escaping.status).toBe(400);
    expect(((await escaping.json()) as { detail: string }).detail).toMatch(/\.\./);
    const garbage = await send(Buffer.from('not a tarball at all'));
    expect(garbage.status).toBe(400);
    const good = await readFile(await fixtureTarball('1'));
    const mismatch = await send(good, { 'x-content-sha256': '0'.repeat(64) });
    expect(mismatch.status).toBe(400);
    const ok = await send(good);
    expect(ok.status).toBe(201);
    // A manifest that breaks the schema, or names a plan the catalog lacks: 422 with the field.
    const source = ((await ok.json()) as { id: string }).id;
    const invalid = manifestOf({
      processes: { web: { command: 'node server.js', port: 'eighty' } },
    });
    await expect(
      dev.apps.releases.create(appId, { sourceId: source, manifest: invalid as never }),
    ).rejects.toMatchObject({
      status: 422,
      code: 'validation_failed',
      problem: {
        errors: [expect.objectContaining({ path: '/body/manifest/processes/web/port' })],
      },
    });
    const unknownPlan = manifestOf({ resources: { db: { type: 'postgresql', class: 'xl' } } });
    await expect(
      dev.apps.releases.create(appId, { sourceId: source, manifest: unknownPlan as never }),
    ).rejects.toMatchObject({
      status: 422,
      code: 'plan_not_found',
      problem: {
        errors: [expect.objectContaining({ path: '/body/manifest/resources/db/class' })],
      },
    });
    // A service the live catalog lists as unavailable (this platform has no Redis pool): refused
    // with the catalog's reason before anything is built or provisioned.
    await expect(
      dev.apps.releases.create(appId, {
        sourceId: source,
        manifest: manifestOf({
          resources: {
            db: { type: 'postgresql', class: 'dev' },
            cache: { type: 'redis', class: 'dev' },
          },
        }) as never,
      }),
    ).rejects.toMatchObject({
      status: 422,
      code: 'service_unavailable',
      problem: {
        errors: [
          expect.objectContaining({
            path: '/body/manifest/resources/cache/type',
            code: 'service_unavailable',
            message: expect.stringContaining('service redis cannot be provisioned now: '),
          }),
        ],
      },
    });
    // A resource whose instance name (`hello-<resource>`) would pass 63 characters.
    const long = 'r'.repeat(60);
    await expect(
      dev.apps.releases.create(appId, {
        sourceId: source,
        manifest: manifestOf({
          resources: { [long]: { type: 'postgresql', class: 'dev' } },
        }) as never,
      }),
    ).rejects.toMatchObject({
      status: 422,
      code: 'validation_failed',
      problem: {
        errors: expect.arrayContaining([
          expect.objectContaining({
            path: `/body/manifest/resources/${long}`,
            code: 'instance_name_too_long',
          }),
        ]),
      },
    });
    expect((await dev.apps.releases.list(appId)).data).toEqual([]);
    // Another tenant sees nothing of the app.
    await expect(other.apps.retrieve(appId)).rejects.toMatchObject({ status: 404 });
  });

  it('deploys: build, provision and bind, release command, routes by host and by path', async () => {
    const release = await deploy('1');
    expect(release.state).toBe('pending');
    const done = await waitRelease(release.id);
    expect(done.failure).toBeNull();
    expect(done.state).toBe('succeeded');
    expect(done.artifactSha256).toMatch(/^[0-9a-f]{64}$/);
    const app = await dev.apps.retrieve(appId);
    expect(app.state).toBe('running');
    expect(app.currentReleaseId).toBe(release.id);
    expect(app.url).toBe(`http://hello.${tenantName}.localhost:${new URL(platform.url).port}/`);
    expect(app.processes).toEqual([{ type: 'web', replicas: 1, ready: 1, memoryMb: 128 }]);
    expect(await viaHost('/')).toEqual({ status: 200, body: 'hello v1' });
    const env = JSON.parse((await viaPath('/env')).body);
    expect(env).toMatchObject({ version: '1', bindingType: 'postgresql', secretLength: 43 });
    expect(env.prefix).toBe(`/apps/${tenantName}/hello`);
    // The database the app was given exists, and its binding's credentials work in psql's client.
    const bindings = await dev.bindings.list({ instanceId: undefined } as never);
    const mine = bindings.data.find((b) => b.appId === appId);
    expect(mine).toBeDefined();
    const { credentials } = await dev.bindings.credentials(mine!.id);
    const client = new pg.Client({ connectionString: (credentials as { uri: string }).uri });
    await client.connect();
    const { rows } = await client.query('SELECT current_database() AS db');
    await client.end();
    expect(`/${rows[0].db}`).toBe(env.database);
    // Unknown apps answer 404 at the router.
    expect((await get('/', `nope.${tenantName}.localhost`)).status).toBe(404);
  }, 120_000);

  it('streams the build, release and app logs', async () => {
    const entries = [];
    for await (const entry of dev.apps.logs.stream(appId, { tail: 1000 })) entries.push(entry);
    const sources = new Set(entries.map((e) => e.source));
    expect(sources).toContain('build');
    expect(sources).toContain('release');
    expect(
      entries.some((e) => e.source === 'release' && e.message.includes('release step ran')),
    ).toBe(true);
    expect(entries.some((e) => e.source === 'app' && e.message.startsWith('listening on'))).toBe(
      true,
    );
  }, 30_000);

  it('rotating its database binding restarts the app onto the new credentials, serving throughout', async () => {
    const binding = (await dev.bindings.list({ instanceId: undefined } as never)).data.find(
      (b) => b.appId === appId,
    )!;
    const before = JSON.parse((await viaHost('/env')).body);
    const old = (await dev.bindings.credentials(binding.id)).credentials as { uri: string };
    expect(before.dbUser).toBe(new URL(old.uri).username);
    let stop = false;
    const failures: string[] = [];
    const load = (async () => {
      while (!stop) {
        const r = await viaHost('/').catch((e) => ({ status: 0, body: String(e) }));
        if (r.status !== 200) failures.push(`${r.status} ${r.body}`);
      }
    })();
    const rotating = await dev.bindings.rotate(binding.id, { gracePeriodSeconds: 0 });
    await dev.operations.waitUntilDone(rotating.lastOperation!.id, {
      minDelay: 100,
      maxWaitTime: 60_000,
    });
    stop = true;
    await load;
    expect(failures).toEqual([]);
    // The rotation ended only once the replicas ran on the new credentials: the old are revoked.
    const now = (await dev.bindings.credentials(binding.id)).credentials as { uri: string };
    const after = JSON.parse((await viaHost('/env')).body);
    expect(after.pid).not.toBe(before.pid);
    expect(after.dbUser).toBe(new URL(now.uri).username);
    expect(after.dbUser).not.toBe(before.dbUser);
    await expect(new pg.Client({ connectionString: old.uri }).connect()).rejects.toThrow();
    const auditor = platform.clientWith(await insertToken(platform.db, tenantId, 'auditor'));
    const events = [];
    for await (const e of auditor.auditEvents.list({ action: 'app.restart' })) {
      if (e.target?.id === appId) events.push(e);
    }
    expect(events.map((e) => e.reason)).toContain(
      `binding ${binding.id} rotated to version ${binding.credentialsVersion + 1}`,
    );
  }, 90_000);

  it('a binding made for the app through the API reaches it as files, and leaves with its deletion', async () => {
    const db = (await dev.instances.list({ tenantId })).data[0]!;
    const before = JSON.parse((await viaHost('/env')).body);
    expect(before.bindings).toEqual(['db']);
    const made = await dev.bindings.create({ instanceId: db.id, name: 'reports', appId });
    await dev.operations.waitUntilDone(made.lastOperation!.id, {
      minDelay: 100,
      maxWaitTime: 30_000,
    });
    const withIt = await until(
      'restarted with the new binding',
      async () => JSON.parse((await viaHost('/env')).body),
      (env) => env.bindings.includes('reports'),
    );
    expect(withIt.bindings).toEqual(['db', 'reports']);
    expect(withIt.pid).not.toBe(before.pid);
    // The manifest's own resources keep their env variables; the new one is files only.
    expect(withIt.database).toBe(before.database);

    const deleting = await dev.bindings.delete(made.id);
    await dev.operations.waitUntilDone(deleting.lastOperation!.id, {
      minDelay: 100,
      maxWaitTime: 30_000,
    });
    const without = await until(
      'restarted without it',
      async () => JSON.parse((await viaHost('/env')).body),
      (env) => !env.bindings.includes('reports'),
    );
    expect(without.bindings).toEqual(['db']);
  }, 90_000);

  it('scaled to 0 the app is stopped and its URL answers 503; back to 1 it runs', async () => {
    await dev.apps.scaling.scale(appId, { processes: [{ type: 'web', replicas: 0 }] });
    await until(
      'stopped',
      () => dev.apps.retrieve(appId),
      (a) => a.state === 'stopped' && a.processes[0]?.ready === 0,
    );
    expect((await viaHost('/')).status).toBe(503);
    expect((await dev.apps.list({ tenantId, state: 'stopped' })).data.map((a) => a.id)).toEqual([
      appId,
    ]);
    await dev.apps.scaling.scale(appId, { processes: [{ type: 'web', replicas: 1 }] });
    await until(
      'running again',
      () => dev.apps.retrieve(appId),
      (a) => a.state === 'running' && a.processes[0]?.ready === 1,
    );
    expect((await viaHost('/')).body).toBe('hello v1');
  }, 60_000);

  it('scales to 3 and heals a killed replica', async () => {
    const scale = await dev.apps.scaling.scale(appId, {
      processes: [{ type: 'web', replicas: 3 }],
    });
    expect(scale.processes[0]).toMatchObject({ type: 'web', replicas: 3 });
    await until(
      '3 ready',
      () => dev.apps.retrieve(appId),
      (a) => a.processes[0]?.ready === 3,
    );
    const pids = new Set<number>();
    for (let i = 0; i < 9; i++) pids.add(JSON.parse((await viaHost('/env')).body).pid);
    expect(pids.size).toBe(3);
    const victim = [...pids][0]!;
    process.kill(victim, 'SIGKILL');
    await until(
      'a replica down',
      () => dev.apps.retrieve(appId),
      (a) => a.processes[0]!.ready < 3,
      5_000,
    );
    await until(
      '3 ready again',
      () => dev.apps.retrieve(appId),
      (a) => a.processes[0]?.ready === 3,
    );
  }, 60_000);

  it('refuses an app whose address another department of the same name holds', async () => {
    const text = { zh: '测试', en: 'test' };
    // Names are unique among siblings only: a city named like our province, elsewhere.
    const province = await platform.admin.tenants.create({
      parentId: null,
      name: `${tenantName}-p`,
      displayName: text,
      level: 'province',
    });
    const namesake = await platform.admin.tenants.create({
      parentId: province.id,
      name: tenantName,
      displayName: text,
      level: 'city',
    });
    const neighbour = platform.clientWith(await insertToken(platform.db, namesake.id, 'developer'));
    const refused = neighbour.apps.create({ tenantId: namesake.id, name: 'hello' });
    await expect(refused).rejects.toMatchObject({
      status: 409,
      code: 'already_exists',
      problem: { detail: expect.stringContaining(`hello.${tenantName}`) },
    });
    // Which department holds the address is not told.
    await expect(refused).rejects.toMatchObject({
      problem: { detail: expect.not.stringContaining(tenantId) },
    });
    const elsewhere = await neighbour.apps.create({ tenantId: namesake.id, name: 'hello-2' });
    await neighbour.apps.delete(elsewhere.id);
    expect((await viaHost('/')).body).toBe('hello v1');
  });

  it('refuses a rollback to a release that no longer fits the quota; what runs stays', async () => {
    // A tenant of its own, 300 MiB: one (256 MiB, then 128 MiB) and two (128 MiB).
    const tenant = await platform.admin.tenants.create({
      parentId: null,
      name: `${tenantName}-rq`,
      displayName: { zh: '回滚配额', en: 'rollback quota' },
      level: 'province',
    });
    await platform.admin.tenants.setQuota(tenant.id, {
      instances: null,
      apps: null,
      storageMb: null,
      replicas: null,
      memoryMb: 300,
    });
    const owner = platform.clientWith(await insertToken(platform.db, tenant.id, 'developer'));
    // No resources or release command: only the memory matters here.
    const sized = (name: string, memoryMb: number) => {
      const m = manifestOf({ metadata: { name }, release: undefined, resources: undefined });
      return {
        ...m,
        env: { SESSION_SECRET: { generate: 'secret' } },
        processes: { web: { ...m.processes.web, memoryMb } },
      };
    };
    const deployed = async (appId: string, version: string, name: string, memoryMb: number) => {
      const source = await readFile(await fixtureTarball(version));
      const release = await owner.apps.deploy(appId, {
        source,
        manifest: sized(name, memoryMb) as never,
      });
      return until(
        `release ${version}`,
        () => owner.apps.releases.retrieve(appId, release.id),
        (r) => ['succeeded', 'failed', 'superseded'].includes(r.state),
      );
    };
    const one = await owner.apps.create({ tenantId: tenant.id, name: 'one' });
    const big = await deployed(one.id, '1-big', 'one', 256);
    expect(big.state).toBe('succeeded');
    expect((await deployed(one.id, '2-small', 'one', 128)).state).toBe('succeeded');
    const two = await owner.apps.create({ tenantId: tenant.id, name: 'two' });
    expect((await deployed(two.id, 'two', 'two', 128)).state).toBe('succeeded');

    // 256 + 128 MiB > 300 MiB: refused before a release exists.
    await expect(owner.apps.rollback(one.id, { releaseId: big.id })).rejects.toMatchObject({
      status: 422,
      code: 'quota_exceeded',
    });
    expect((await owner.apps.retrieve(one.id)).processes.map((p) => p.memoryMb)).toEqual([128]);
    expect((await get('/', `one.${tenantName}-rq.localhost`)).body).toBe('hello v2-small');
    expect(await owner.tenants.getUsage(tenant.id)).toMatchObject({ used: { memoryMb: 256 } });
    for (const app of [one, two]) await owner.apps.delete(app.id);
  }, 120_000);

  it('keeps apps and replicas within the quota', async () => {
    await platform.admin.tenants.setQuota(tenantId, {
      instances: null,
      apps: 1,
      memoryMb: null,
      storageMb: null,
      replicas: 3,
    });
    try {
      await expect(dev.apps.create({ tenantId, name: 'second' })).rejects.toMatchObject({
        status: 422,
        code: 'quota_exceeded',
      });
      await expect(
        dev.apps.scaling.scale(appId, { processes: [{ type: 'web', replicas: 4 }] }),
      ).rejects.toMatchObject({ status: 422, code: 'quota_exceeded' });
      const usage = await dev.tenants.getUsage(tenantId);
      expect(usage).toMatchObject({ used: { apps: 1, replicas: 3, memoryMb: 384 } });
    } finally {
      await platform.admin.tenants.setQuota(tenantId, {
        instances: null,
        apps: null,
        memoryMb: null,
        storageMb: null,
        replicas: null,
      });
    }
  });

  it('redeploys with zero failed requests under load, then rolls back', async () => {
    const first = (await dev.apps.retrieve(appId)).currentReleaseId!;
    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    const load = (async () => {
      while (!stop) {
        const r = await viaHost('/').catch((e) => ({ status: 0, body: String(e) }));
        if (r.status === 200) ok++;
        else failures.push(`${r.status} ${r.body}`);
      }
    })();
    const release = await deploy('2');
    const done = await waitRelease(release.id);
    stop = true;
    await load;
    expect(done.state).toBe('succeeded');
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(20);
    expect((await viaHost('/')).body).toBe('hello v2');
    // The scale survives the redeploy.
    const after = await dev.apps.retrieve(appId);
    expect(after.processes[0], JSON.stringify(after)).toMatchObject({ replicas: 3, ready: 3 });

    const back = await dev.apps.rollback(appId, { releaseId: first });
    expect(back.rollbackOf).toBe(first);
    const rolled = await waitRelease(back.id);
    expect(rolled.state).toBe('succeeded');
    expect((await viaHost('/')).body).toBe('hello v1');
  }, 120_000);

  it('keeps the previous release serving when a build, a release command or readiness fails', async () => {
    const failing = async (manifest: ReturnType<typeof manifestOf>, version: string) => {
      const r = await waitRelease((await deploy(version, manifest)).id);
      expect(r.state).toBe('failed');
      expect((await viaHost('/')).body).toBe('hello v1');
      return r.failure!;
    };
    expect(
      (await failing(manifestOf({ build: { command: 'echo compiling; exit 3' } }), '3')).code,
    ).toBe('build_failed');
    const releaseFailure = await failing(
      manifestOf({
        release: {
          command: 'echo "migration broke on $DATABASE_URL with $SESSION_SECRET" >&2; exit 4',
        },
      }),
      '4',
    );
    expect(releaseFailure.code).toBe('release_failed');
    // The output's tail is in the failure (read by auditors too): secrets masked as in the log.
    expect(releaseFailure.detail).toContain('migration broke on **** with ****');
    expect(releaseFailure.detail).not.toContain('postgres');
    const neverReady = manifestOf({
      deploy: { strategy: 'rolling', maxInFlight: 1, autoRollback: true, healthTimeout: '3s' },
    });
    (neverReady.processes.web.health.readiness.httpGet as { path: string }).path = '/never';
    const unhealthy = await failing(neverReady, '5');
    expect(unhealthy.code).toBe('unhealthy');
    expect((await dev.apps.retrieve(appId)).state).toBe('running');
  }, 180_000);

  it('reports a crash loop as degraded', async () => {
    await dev.apps.scaling.scale(appId, { processes: [{ type: 'web', replicas: 1 }] });
    await dev.apps.update(appId, { env: { CRASH_FLAG: crashFlag } });
    await dev.apps.restart(appId);
    await until(
      'restarted',
      () => dev.apps.retrieve(appId),
      (a) => a.lastOperation?.state === 'succeeded',
    );
    await writeFile(crashFlag, '1');
    await viaHost('/crash');
    await until(
      'degraded',
      () => dev.apps.retrieve(appId),
      (a) => a.state === 'degraded',
      30_000,
    );
    const entries = [];
    for await (const entry of dev.apps.logs.stream(appId, { tail: 200, source: 'platform' }))
      entries.push(entry);
    expect(
      entries.some((e) => /exited \(exit code 1\).*restarting in/.test(e.message)),
      JSON.stringify(entries.map((e) => e.message)),
    ).toBe(true);
    await rm(crashFlag, { force: true });
  }, 90_000);

  it('brings the running apps back after a platform restart', async () => {
    await dev.apps.update(appId, { env: { CRASH_FLAG: null, GREETING: 'back' } });
    const tokenOf = await insertToken(platform.db, tenantId, 'developer');
    platform = await platform.restart();
    dev = platform.clientWith(tokenOf);
    await until(
      'ready again',
      () => dev.apps.retrieve(appId),
      (a) => a.processes[0]?.ready === 1,
      30_000,
    );
    expect(JSON.parse((await viaHost('/env')).body)).toMatchObject({
      version: '1',
      greeting: 'back',
    });
  }, 60_000);

  it('deletes the app: replicas stop, routes go, its bindings are revoked, instances stay', async () => {
    // Its database cannot go first without force: the refusal names the app that uses it.
    const [database] = (await dev.instances.list({ tenantId })).data;
    await expect(dev.instances.delete(database!.id)).rejects.toMatchObject({
      status: 409,
      code: 'not_empty',
      problem: { detail: expect.stringContaining('used by app "hello"') },
    });
    const deleting = await dev.apps.delete(appId);
    expect(deleting.state).toBe('deleting');
    await until(
      'deleted',
      () => dev.apps.retrieve(appId).catch(() => null),
      (a) => a?.state === 'deleted' || a === null,
    );
    expect((await viaHost('/')).status).toBe(404);
    const instances = await dev.instances.list({ tenantId });
    expect(instances.data.length).toBe(1);
  }, 60_000);
});
