import { readFile } from 'node:fs/promises';
import type { Zhengwu } from '@zhengwu/sdk';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../harness';
import { insertToken } from '../tokens-fixture';
import { until } from '../until';
import { fixtureTarball, manifestOf } from './fixture';

/**
 * The autoscaler on the local runtime: under an autocannon load above the policy's
 * requests-per-second target it adds replicas (up to the maximum), and once the load stops
 * it removes them again; every change is a scaling event with its reason.
 */
let platform: TestPlatform;
let dev: Zhengwu;
let appId: string;
let tenantName: string;
let tenantId: string;

describe('the autoscaler', () => {
  beforeAll(async () => {
    platform = await startTestPlatform(
      { ZW_AUTOSCALE_INTERVAL_MS: '500' },
      { operations: { pollMs: 50, backoff: { baseMs: 100, maxMs: 300, jitter: false } } },
    );
    tenantName = `scale-${Math.random().toString(36).slice(2, 8)}`;
    tenantId = (
      await platform.admin.tenants.create({
        parentId: null,
        name: tenantName,
        displayName: { zh: '伸缩', en: 'scaling' },
        level: 'province',
      })
    ).id;
    dev = platform.clientWith(await insertToken(platform.db, tenantId, 'developer'));
    appId = (await dev.apps.create({ tenantId, name: 'hello' })).id;
    const { env: _env, resources: _resources, ...manifest } = manifestOf();
    const release = await dev.apps.deploy(appId, {
      source: await readFile(await fixtureTarball('1')),
      manifest: manifest as never,
    });
    await dev.apps.releases.waitUntilDone(appId, release.id, { maxWaitTime: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
  });

  it('adds replicas under load and removes them after it', async () => {
    await dev.apps.scaling.setPolicy(appId, {
      process: 'web',
      minReplicas: 1,
      maxReplicas: 3,
      target: { metric: 'requestsPerSecond', value: 20 },
      cooldown: { scaleUpSeconds: 0, scaleDownSeconds: 0 },
    });
    const port = new URL(platform.url).port;
    const load = autocannon({
      url: `http://127.0.0.1:${port}/apps/${tenantName}/hello/`,
      connections: 4,
      duration: 12,
      overallRate: 200,
    });
    const up = await until(
      'scale up',
      () => dev.apps.retrieve(appId),
      (a) => a.processes[0]!.replicas === 3,
      20_000,
    );
    expect(up.processes[0]!.replicas).toBe(3);
    const result = await load;
    expect(result.non2xx).toBe(0);
    await until(
      'ready at 3',
      () => dev.apps.retrieve(appId),
      (a) => a.processes[0]!.ready === 3,
      20_000,
    );
    await until(
      'scale down',
      () => dev.apps.retrieve(appId),
      (a) => a.processes[0]!.replicas === 1,
      40_000,
    );
    const events = await dev.apps.scaling.events(appId);
    const reasons = events.data.map((e) => e.reason.kind);
    expect(reasons).toContain('autoscaler');
    const rise = events.data.find((e) => e.toReplicas > e.fromReplicas);
    const fall = events.data.find((e) => e.toReplicas < e.fromReplicas);
    expect(rise).toBeDefined();
    expect(fall).toBeDefined();
    const auditor = platform.clientWith(await insertToken(platform.db, tenantId, 'auditor'));
    const audit = await auditor.auditEvents.list({ action: 'app.scale' } as never);
    expect(audit.data.filter((e) => e.principal.type === 'system').length).toBeGreaterThanOrEqual(
      2,
    );
  }, 90_000);

  it('scales on memory: resident memory against the replica limit', async () => {
    await until(
      'back at 1',
      () => dev.apps.retrieve(appId),
      (a) => a.processes[0]!.replicas === 1 && a.processes[0]!.ready === 1,
      40_000,
    );
    await dev.apps.scaling.setPolicy(appId, {
      process: 'web',
      minReplicas: 1,
      maxReplicas: 2,
      target: { metric: 'memory', value: 50 },
      cooldown: { scaleUpSeconds: 0, scaleDownSeconds: 600 },
    });
    // About 45 MiB of Node plus 40 MiB held: two thirds of the 128 MiB limit.
    const port = new URL(platform.url).port;
    const held = await fetch(`http://127.0.0.1:${port}/apps/${tenantName}/hello/hog?mb=40`);
    expect(await held.text()).toBe('holding 40 MiB');
    await until(
      'scale up on memory',
      () => dev.apps.retrieve(appId),
      (a) => a.processes[0]!.replicas === 2,
      20_000,
    );
    const events = await dev.apps.scaling.events(appId);
    const rise = events.data.find((e) => e.reason.metric === 'memory');
    expect(rise, JSON.stringify(events.data.map((e) => e.reason))).toMatchObject({
      fromReplicas: 1,
      toReplicas: 2,
      reason: { kind: 'autoscaler', metric: 'memory', target: 50 },
    });
    expect(rise!.reason.observed).toBeGreaterThan(55);
    expect(rise!.reason.observed).toBeLessThan(100);
  }, 90_000);
});
