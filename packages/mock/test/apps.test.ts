import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MOCK_ADMIN_ID, MOCK_TENANT_ID } from '../src/index';
import { tarGz } from './archive';
import { validateSchema } from './contract-check';
import { brisk, setup } from './helpers';

const { client, platform } = setup();

const manifest = {
  apiVersion: 'zhengwu.gov.cn/v1',
  kind: 'App',
  metadata: { name: 'etax-portal' },
  runtime: 'node@22',
  processes: {
    web: { command: 'node dist/server.js', port: 8080 },
    worker: { command: 'node dist/worker.js' },
  },
  resources: { db: { type: 'postgresql', class: 'm' } },
};
const source = tarGz({
  'package.json': '{"name":"etax-portal"}',
  'dist/server.js': 'console.log("hi")',
});

async function deployed() {
  const app = await client.apps.create({ name: 'etax-portal', labels: { system: 'etax' } });
  const release = await client.apps.deploy(app.id, {
    source,
    manifest,
    description: '申报表单校验规则更新',
  });
  const running = await client.apps.waitUntilRunning(app.id, brisk);
  return { app, release, running };
}

describe('apps, releases and scaling', () => {
  it('uploads a tar.gz and computes its SHA-256', async () => {
    const app = await client.apps.create({ name: 'portal' });
    const sha256 = createHash('sha256').update(source).digest('hex');
    const uploaded = await client.apps.releases.uploadSource(app.id, source, {
      headers: { 'x-content-sha256': sha256 },
    });
    expect(uploaded).toMatchObject({ appId: app.id, sha256, sizeBytes: source.length });
    expect(uploaded.id).toMatch(/^src_/);
    await expect(
      client.apps.releases.uploadSource(app.id, source, {
        headers: { 'x-content-sha256': '0'.repeat(64) },
      }),
    ).rejects.toMatchObject({ status: 400, code: 'bad_request' });
    await expect(
      client.apps.releases.uploadSource(app.id, new TextEncoder().encode('not a tarball')),
    ).rejects.toMatchObject({
      status: 400,
      problem: { errors: [{ path: '/body' }] },
    });
    const notJson = await fetch(`${platform.baseUrl}/v1/apps/${app.id}/sources`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(notJson.status).toBe(415);
  });

  it('deploys: build → release → rollout, with a URL, routes and processes', async () => {
    const { app, release, running } = await deployed();
    expect(release).toMatchObject({
      version: 1,
      state: 'pending',
      artifactSha256: null,
      rollbackOf: null,
    });
    expect(release.lastOperation?.type).toBe('release.build');
    expect(running).toMatchObject({
      state: 'running',
      currentReleaseId: release.id,
      url: 'http://etax-portal.zhejiang.localhost:7070',
      routes: [{ host: 'etax-portal.zhejiang.localhost', path: '/' }],
      processes: [
        { type: 'web', replicas: 1, ready: 1, memoryMb: 512 },
        { type: 'worker', replicas: 1, ready: 1, memoryMb: 512 },
      ],
    });
    const done = await client.apps.releases.retrieve(app.id, release.id);
    expect(done).toMatchObject({
      state: 'succeeded',
      description: '申报表单校验规则更新',
      lastOperation: { type: 'release.deploy', state: 'succeeded' },
    });
    expect(done.artifactSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(done.finishedAt).not.toBeNull();
    const events = await client.apps.scaling.events(app.id).toArray({ max: 10 });
    expect(events.map((e) => [e.process, e.reason.kind, e.fromReplicas, e.toReplicas])).toEqual(
      expect.arrayContaining([
        ['web', 'rollout', 0, 1],
        ['worker', 'rollout', 0, 1],
      ]),
    );
  });

  it('rolls back to an earlier release, numbering versions per app', async () => {
    const { app, release } = await deployed();
    const second = await client.apps.releases.create(app.id, {
      sourceId: release.sourceId!,
      manifest: { ...manifest, processes: { web: { command: 'node v2.js' } } },
    });
    await client.apps.releases.waitUntilDone(app.id, second.id, brisk);
    expect(second.version).toBe(2);
    const back = await client.apps.rollback(app.id, { releaseId: release.id });
    expect(back).toMatchObject({
      version: 3,
      rollbackOf: release.id,
      sourceId: null,
      lastOperation: { type: 'app.rollback' },
    });
    expect(back.artifactSha256).toBe(
      (await client.apps.releases.retrieve(app.id, release.id)).artifactSha256,
    );
    await client.apps.releases.waitUntilDone(app.id, back.id, brisk);
    expect((await client.apps.retrieve(app.id)).currentReleaseId).toBe(back.id);
    expect((await client.apps.releases.list(app.id)).data.map((r) => r.version)).toEqual([3, 2, 1]);
    await expect(
      client.apps.rollback(app.id, { releaseId: 'rel_00000000000000000000' }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      problem: { errors: [{ path: '/body/releaseId' }] },
    });
  });

  it('refuses a manifest resource that isn’t in the catalog (422 plan_not_found)', async () => {
    const app = await client.apps.create({ name: 'portal' });
    await expect(
      client.apps.deploy(app.id, {
        source,
        manifest: { ...manifest, resources: { db: { type: 'postgresql', class: 'xxl' } } },
      }),
    ).rejects.toMatchObject({
      code: 'plan_not_found',
      problem: { errors: [{ path: '/body/manifest/resources/db/class' }] },
    });
  });

  it('refuses a resource whose instance name would pass 63 characters (as the platform does)', async () => {
    const app = await client.apps.create({ name: 'portal' });
    const long = 'x'.repeat(60);
    await expect(
      client.apps.deploy(app.id, {
        source,
        manifest: { ...manifest, resources: { [long]: { type: 'postgresql', class: 'dev' } } },
      }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      problem: { errors: [{ path: `/body/manifest/resources/${long}` }] },
    });
  });

  it('a failed build fails the release and the first deploy of the app', async () => {
    platform.failNextOperation('release.build', {
      code: 'validation_failed',
      detail: 'npm ci failed: lockfile out of date',
    });
    const app = await client.apps.create({ name: 'portal' });
    const release = await client.apps.deploy(app.id, { source, manifest });
    await expect(client.apps.releases.waitUntilDone(app.id, release.id, brisk)).rejects.toThrow(
      /lockfile out of date/,
    );
    expect((await client.apps.retrieve(app.id)).state).toBe('failed');
  });

  it('scales by hand and records a manual scaling event', async () => {
    const { app } = await deployed();
    const scale = await client.apps.scaling.scale(app.id, {
      processes: [{ type: 'web', replicas: 4, memoryMb: 1024 }],
    });
    expect(scale.processes).toEqual([
      { type: 'web', replicas: 4, memoryMb: 1024 },
      { type: 'worker', replicas: 1, memoryMb: 512 },
    ]);
    expect(await client.apps.scaling.retrieve(app.id)).toEqual(scale);
    const [latest] = (await client.apps.scaling.events(app.id, { process: 'web' })).data;
    expect(latest).toMatchObject({
      fromReplicas: 1,
      toReplicas: 4,
      reason: { kind: 'manual' },
      principalId: MOCK_ADMIN_ID,
    });
    await expect(
      client.apps.scaling.scale(app.id, { processes: [{ type: 'cron', replicas: 1 }] }),
    ).rejects.toMatchObject({
      problem: { errors: [{ path: '/body/processes/0/type' }] },
    });
    await client.tenants.setQuota(MOCK_TENANT_ID, {
      instances: null,
      apps: null,
      memoryMb: null,
      storageMb: null,
      replicas: 10,
    });
    await expect(
      client.apps.scaling.scale(app.id, { processes: [{ type: 'web', replicas: 9 }] }),
    ).resolves.toBeDefined();
    await expect(
      client.apps.scaling.scale(app.id, { processes: [{ type: 'worker', replicas: 2 }] }),
    ).rejects.toMatchObject({
      code: 'quota_exceeded',
    });
    // Refused changes leave the scale as it was.
    expect((await client.apps.scaling.retrieve(app.id)).processes.map((p) => p.replicas)).toEqual([
      9, 1,
    ]);
  });

  it('keeps an autoscaling policy and scaling schedules', async () => {
    const { app } = await deployed();
    await expect(client.apps.scaling.getPolicy(app.id)).rejects.toMatchObject({ status: 404 });
    const policy = await client.apps.scaling.setPolicy(app.id, {
      minReplicas: 2,
      maxReplicas: 10,
      target: { metric: 'cpu', value: 70 },
    });
    expect(policy).toMatchObject({
      enabled: true,
      process: 'web',
      cooldown: { scaleUpSeconds: 60, scaleDownSeconds: 300 },
    });
    expect(await client.apps.scaling.getPolicy(app.id)).toEqual(policy);
    await expect(
      client.apps.scaling.scale(app.id, { processes: [{ type: 'web', replicas: 12 }] }),
    ).rejects.toMatchObject({
      problem: { errors: [{ path: '/body/processes/0/replicas' }] },
    });
    await expect(
      client.apps.scaling.setPolicy(app.id, {
        minReplicas: 5,
        maxReplicas: 3,
        target: { metric: 'cpu', value: 70 },
      }),
    ).rejects.toMatchObject({ status: 422, problem: { errors: [{ path: '/body/minReplicas' }] } });
    await client.apps.scaling.deletePolicy(app.id);
    await expect(client.apps.scaling.getPolicy(app.id)).rejects.toMatchObject({ status: 404 });

    const peak = await client.apps.schedules.create(app.id, {
      name: 'may-filing-peak',
      kind: 'specificDate',
      startAt: '2027-04-30T16:00:00Z',
      endAt: '2027-05-31T16:00:00Z',
      minReplicas: 8,
      maxReplicas: 40,
      initialReplicas: 12,
    });
    expect(peak).toMatchObject({
      kind: 'specificDate',
      process: 'web',
      timezone: 'Asia/Shanghai',
      enabled: true,
    });
    const office = await client.apps.schedules.create(app.id, {
      name: 'office-hours',
      kind: 'recurring',
      start: '0 8 * * 1-5',
      end: '0 18 * * 1-5',
      minReplicas: 4,
      maxReplicas: 12,
    });
    expect((await client.apps.schedules.list(app.id)).data.map((s) => s.name)).toEqual([
      'may-filing-peak',
      'office-hours',
    ]);
    await expect(
      client.apps.schedules.create(app.id, {
        name: 'bad',
        kind: 'recurring',
        start: '0 8 * * *',
        end: '0 9 * * *',
        minReplicas: 9,
        maxReplicas: 2,
      }),
    ).rejects.toMatchObject({ status: 422, problem: { errors: [{ path: '/body/minReplicas' }] } });
    await expect(
      client.apps.schedules.create(app.id, {
        name: 'office-hours',
        kind: 'recurring',
        start: '0 8 * * *',
        end: '0 9 * * *',
        minReplicas: 1,
        maxReplicas: 2,
      }),
    ).rejects.toMatchObject({ status: 409, code: 'already_exists' });
    const replaced = await client.apps.schedules.update(app.id, office.id, {
      name: 'office-hours',
      kind: 'specificDate',
      startAt: '2027-01-01T00:00:00Z',
      endAt: '2027-01-02T00:00:00Z',
      minReplicas: 1,
      maxReplicas: 2,
    });
    expect(replaced).toMatchObject({
      id: office.id,
      kind: 'specificDate',
      createdAt: office.createdAt,
    });
    expect(await client.apps.schedules.retrieve(app.id, office.id)).toEqual(replaced);
    await client.apps.schedules.delete(app.id, peak.id);
    await expect(client.apps.schedules.retrieve(app.id, peak.id)).rejects.toMatchObject({
      status: 404,
    });
  });

  it('streams the app’s logs (follow=false): build, release, router and app lines, then end', async () => {
    const { app, release } = await deployed();
    await client.apps.scaling.scale(app.id, { processes: [{ type: 'web', replicas: 2 }] });
    const entries = [];
    for await (const entry of client.apps.logs.stream(app.id)) entries.push(entry);
    expect(new Set(entries.map((e) => e.source))).toEqual(
      new Set(['build', 'release', 'router', 'app', 'platform']),
    );
    for (const entry of entries) expect(validateSchema('LogEntry', entry)).toBeNull();
    expect(entries.find((e) => e.source === 'router')).toMatchObject({
      releaseId: release.id,
      process: 'router',
      replica: null,
    });
    expect(entries.find((e) => e.source === 'app')).toMatchObject({
      process: 'web',
      replica: 0,
      stream: 'stdout',
    });
    expect(entries.at(-1)).toMatchObject({
      source: 'platform',
      message: 'Scaled web from 1 to 2 replicas',
    });
    const appOnly = [];
    for await (const entry of client.apps.logs.stream(app.id, { source: 'app', tail: 1 }))
      appOnly.push(entry);
    expect(appOnly).toHaveLength(1);

    const raw = await fetch(`${platform.baseUrl}/v1/apps/${app.id}/logs?tail=2`, {
      headers: { authorization: `Bearer ${platform.token}` },
    });
    expect(raw.headers.get('content-type')).toBe('text/event-stream');
    const text = await raw.text();
    expect(text).toMatch(/^event: log\nid: c_\d+\ndata: \{/);
    expect(text.match(/event: log/g)).toHaveLength(2);
    expect(text.endsWith('event: end\ndata: {}\n\n')).toBe(true);
    const lastId = /id: (c_\d+)/.exec(text)![1]!;
    const resumed = await fetch(`${platform.baseUrl}/v1/apps/${app.id}/logs`, {
      headers: { authorization: `Bearer ${platform.token}`, 'last-event-id': lastId },
    });
    expect((await resumed.text()).match(/event: log/g)).toHaveLength(1);
  });

  it('restarts and deletes an app; its bindings go with it', async () => {
    const { app } = await deployed();
    const db = await client.instances.create({
      name: 'portal-db',
      service: 'postgresql',
      plan: 'dev',
    });
    await client.instances.waitUntilReady(db.id, brisk);
    const binding = await client.bindings.create({ instanceId: db.id, name: 'db', appId: app.id });
    await client.bindings.waitUntilReady(binding.id, brisk);
    const restarting = await client.apps.restart(app.id, { process: 'web' });
    expect(restarting.lastOperation).toMatchObject({ type: 'app.restart', state: 'pending' });
    await client.operations.waitUntilDone(restarting.lastOperation!.id, brisk);
    expect((await client.apps.update(app.id, { env: { LOG_LEVEL: 'debug' } })).env).toEqual({
      LOG_LEVEL: 'debug',
    });
    await expect(client.apps.update(app.id, { env: { PORT: '80' } })).rejects.toMatchObject({
      problem: { errors: [{ path: '/body/env/PORT' }] },
    });
    const deleting = await client.apps.delete(app.id);
    expect(deleting.state).toBe('deleting');
    await client.operations.waitUntilDone(deleting.lastOperation!.id, brisk);
    expect(await client.apps.retrieve(app.id)).toMatchObject({
      state: 'deleted',
      url: null,
      routes: [],
    });
    await expect(client.bindings.retrieve(binding.id)).rejects.toMatchObject({ status: 404 });
    await expect(client.apps.restart(app.id)).rejects.toMatchObject({
      status: 409,
      code: 'invalid_state',
    });
  });
});
