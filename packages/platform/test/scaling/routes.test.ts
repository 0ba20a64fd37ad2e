import { APIError, type Zhengwu } from '@zhengwu/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordScalingEvent } from '../../src/scaling/events';
import { startTestPlatform, type TestPlatform } from '../harness';
import { insertToken } from '../tokens-fixture';
import { insertApp } from './state-db';

/**
 * The scaling routes through the SDK against a real platform: the autoscaling policy, the
 * schedules and the scaling history of an app, with validation, quota, roles, tenant
 * isolation, audit and idempotency. Apps and their processes are written straight into the
 * state database (the routes under test only need them to exist).
 */
let platform: TestPlatform;
let dev: Zhengwu;
let auditor: Zhengwu;
let stranger: Zhengwu;
let devToken: string;
let appId: string;
let tenantId: string;

async function refusal(call: PromiseLike<unknown>) {
  try {
    await call;
  } catch (error) {
    if (error instanceof APIError) {
      return { status: error.status, code: error.code, errors: error.problem?.errors ?? [] };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

async function usedReplicas(id: string) {
  const row = await platform.db
    .selectFrom('usage')
    .select('replicas')
    .where('tenant_id', '=', id)
    .executeTakeFirstOrThrow();
  return row.replicas;
}

describe('scaling routes', () => {
  beforeAll(async () => {
    platform = await startTestPlatform();
    ({ appId, tenantId } = await insertApp(
      platform.db,
      { web: 2, worker: 1 },
      { replicasLimit: 20 },
    ));
    const other = await insertApp(platform.db, { web: 1 });
    devToken = await insertToken(platform.db, tenantId, 'developer');
    dev = platform.clientWith(devToken);
    auditor = platform.clientWith(await insertToken(platform.db, tenantId, 'auditor'));
    stranger = platform.clientWith(await insertToken(platform.db, other.tenantId, 'developer'));
  }, 60_000);
  afterAll(async () => {
    await platform?.close();
  });

  describe('the autoscaling policy', () => {
    it('is 404 until set, then set with the contract defaults, read back and held in quota', async () => {
      expect(await refusal(dev.apps.scaling.getPolicy(appId))).toMatchObject({
        status: 404,
        code: 'not_found',
      });
      const set = await dev.apps.scaling.setPolicy(appId, {
        minReplicas: 2,
        maxReplicas: 8,
        target: { metric: 'cpu', value: 70 },
      });
      expect(set).toMatchObject({
        appId,
        enabled: true,
        process: 'web',
        minReplicas: 2,
        maxReplicas: 8,
        target: { metric: 'cpu', value: 70 },
        cooldown: { scaleUpSeconds: 60, scaleDownSeconds: 300 },
      });
      expect(await dev.apps.scaling.getPolicy(appId)).toEqual(set);
      // web holds its maximum 8, worker its 1 replica.
      expect(await usedReplicas(tenantId)).toBe(9);
      const auditor_view = await auditor.apps.scaling.getPolicy(appId);
      expect(auditor_view.maxReplicas).toBe(8);
    });

    it('refuses bad bounds, targets and processes with field errors', async () => {
      const bad = await refusal(
        dev.apps.scaling.setPolicy(appId, {
          process: 'cron',
          minReplicas: 5,
          maxReplicas: 3,
          target: { metric: 'memory', value: 150 },
        }),
      );
      expect(bad).toMatchObject({ status: 422, code: 'validation_failed' });
      expect(bad.errors.map((e) => [e.path, e.code]).sort()).toEqual([
        ['/body/minReplicas', 'minNotAboveMax'],
        ['/body/process', 'unknownProcess'],
        ['/body/target/value', 'maximum'],
      ]);
    });

    it('counts maxReplicas against the quota', async () => {
      const over = await refusal(
        dev.apps.scaling.setPolicy(appId, {
          minReplicas: 1,
          maxReplicas: 30,
          target: { metric: 'requestsPerSecond', value: 50 },
        }),
      );
      expect(over).toMatchObject({ status: 422, code: 'quota_exceeded' });
      expect((await dev.apps.scaling.getPolicy(appId)).maxReplicas).toBe(8);
      expect(await usedReplicas(tenantId)).toBe(9);
    });

    it('needs a writer role and hides other tenants’ apps', async () => {
      const body = {
        minReplicas: 1,
        maxReplicas: 2,
        target: { metric: 'cpu' as const, value: 50 },
      };
      expect(await refusal(auditor.apps.scaling.setPolicy(appId, body))).toMatchObject({
        status: 403,
        code: 'forbidden',
      });
      expect(await refusal(stranger.apps.scaling.getPolicy(appId))).toMatchObject({ status: 404 });
      expect(await refusal(stranger.apps.scaling.setPolicy(appId, body))).toMatchObject({
        status: 404,
      });
      expect(await refusal(stranger.apps.scaling.deletePolicy(appId))).toMatchObject({
        status: 404,
      });
      const events = await platform.db
        .selectFrom('audit_events')
        .select(['action', 'outcome', 'reason'])
        .where('action', '=', 'autoscaling.set')
        .orderBy('sequence')
        .execute();
      expect(events).toEqual(
        expect.arrayContaining([
          { action: 'autoscaling.set', outcome: 'success', reason: null },
          { action: 'autoscaling.set', outcome: 'failure', reason: 'quota_exceeded' },
          { action: 'autoscaling.set', outcome: 'denied', reason: 'forbidden' },
          { action: 'autoscaling.set', outcome: 'denied', reason: 'not_found' },
        ]),
      );
    });

    it('replays a repeated Idempotency-Key', async () => {
      const send = () =>
        fetch(`${platform.url}/v1/apps/${appId}/autoscaling`, {
          method: 'PUT',
          headers: {
            authorization: `Bearer ${devToken}`,
            'content-type': 'application/json',
            'idempotency-key': 'scaling-policy-once',
          },
          body: JSON.stringify({
            minReplicas: 2,
            maxReplicas: 6,
            target: { metric: 'cpu', value: 60 },
            cooldown: { scaleUpSeconds: 30, scaleDownSeconds: 120 },
          }),
        });
      const first = await send();
      const second = await send();
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.headers.get('idempotency-replayed')).toBe('true');
      expect(await second.json()).toEqual(await first.json());
      expect(await usedReplicas(tenantId)).toBe(7);
    });

    it('is deleted, giving the quota back', async () => {
      await dev.apps.scaling.deletePolicy(appId);
      expect(await refusal(dev.apps.scaling.getPolicy(appId))).toMatchObject({ status: 404 });
      expect(await refusal(dev.apps.scaling.deletePolicy(appId))).toMatchObject({ status: 404 });
      expect(await usedReplicas(tenantId)).toBe(3);
    });
  });

  describe('schedules', () => {
    it('are created with defaults, listed by name page by page, read and replaced', async () => {
      const office = await dev.apps.schedules.create(appId, {
        name: 'office-hours',
        kind: 'recurring',
        start: '0 8 * * 1-5',
        end: '0 18 * * 1-5',
        minReplicas: 4,
        maxReplicas: 12,
      });
      expect(office).toMatchObject({
        appId,
        kind: 'recurring',
        process: 'web',
        timezone: 'Asia/Shanghai',
        enabled: true,
      });
      expect(office.id).toMatch(/^sch_/);
      const peak = await dev.apps.schedules.create(appId, {
        name: 'may-filing-peak',
        kind: 'specificDate',
        timezone: 'Asia/Shanghai',
        startAt: '2027-05-01T00:00:00+08:00',
        endAt: '2027-06-01T00:00:00+08:00',
        minReplicas: 8,
        maxReplicas: 16,
        initialReplicas: 12,
      });
      expect(peak).toMatchObject({
        kind: 'specificDate',
        startAt: '2027-04-30T16:00:00.000Z',
        endAt: '2027-05-31T16:00:00.000Z',
        initialReplicas: 12,
      });
      // web holds the highest schedule maximum, 16; worker 1.
      expect(await usedReplicas(tenantId)).toBe(17);

      const names: string[] = [];
      for await (const s of dev.apps.schedules.list(appId, { limit: 1 })) names.push(s.name);
      expect(names).toEqual(['may-filing-peak', 'office-hours']);
      expect(await dev.apps.schedules.retrieve(appId, office.id)).toEqual(office);

      const replaced = await dev.apps.schedules.update(appId, office.id, {
        name: 'office-hours',
        kind: 'specificDate',
        startAt: '2027-01-04T00:00:00Z',
        endAt: '2027-01-05T00:00:00Z',
        minReplicas: 2,
        maxReplicas: 4,
      });
      expect(replaced).toMatchObject({
        id: office.id,
        kind: 'specificDate',
        createdAt: office.createdAt,
      });
      expect(replaced).not.toHaveProperty('start');
    });

    it('refuses bad cron, zones, dates, bounds and taken names', async () => {
      const bad = await refusal(
        dev.apps.schedules.create(appId, {
          name: 'broken',
          kind: 'recurring',
          timezone: 'Asia/Shanghai',
          start: '61 8 * * *',
          end: '0 0 30 2 *',
          minReplicas: 4,
          maxReplicas: 2,
        }),
      );
      expect(bad).toMatchObject({ status: 422, code: 'validation_failed' });
      expect(bad.errors.map((e) => [e.path, e.code]).sort()).toEqual([
        ['/body/end', 'cron'],
        ['/body/minReplicas', 'minNotAboveMax'],
        ['/body/start', 'cron'],
      ]);
      const zone = await refusal(
        dev.apps.schedules.create(appId, {
          name: 'mars',
          kind: 'recurring',
          timezone: 'Mars/Olympus_Mons',
          start: '0 8 * * *',
          end: '0 9 * * *',
          minReplicas: 1,
          maxReplicas: 2,
        }),
      );
      expect(zone.errors.map((e) => e.path)).toEqual(['/body/timezone']);
      const dates = await refusal(
        dev.apps.schedules.create(appId, {
          name: 'backwards',
          kind: 'specificDate',
          startAt: '2027-05-02T00:00:00Z',
          endAt: '2027-05-01T00:00:00Z',
          minReplicas: 1,
          maxReplicas: 4,
          initialReplicas: 9,
        }),
      );
      expect(dates.errors.map((e) => e.path).sort()).toEqual([
        '/body/endAt',
        '/body/initialReplicas',
      ]);
      expect(
        await refusal(
          dev.apps.schedules.create(appId, {
            name: 'may-filing-peak',
            kind: 'recurring',
            start: '0 8 * * *',
            end: '0 9 * * *',
            minReplicas: 1,
            maxReplicas: 2,
          }),
        ),
      ).toMatchObject({ status: 409, code: 'already_exists' });
      expect(
        await refusal(
          dev.apps.schedules.create(appId, {
            name: 'too-big',
            kind: 'recurring',
            start: '0 8 * * *',
            end: '0 9 * * *',
            minReplicas: 1,
            maxReplicas: 40,
          }),
        ),
      ).toMatchObject({ status: 422, code: 'quota_exceeded' });
    });

    it('are hidden from other tenants and deleted', async () => {
      const [first] = (await dev.apps.schedules.list(appId)).data;
      expect(await refusal(stranger.apps.schedules.retrieve(appId, first!.id))).toMatchObject({
        status: 404,
      });
      expect(await refusal(stranger.apps.schedules.delete(appId, first!.id))).toMatchObject({
        status: 404,
      });
      for (const s of (await dev.apps.schedules.list(appId)).data) {
        await dev.apps.schedules.delete(appId, s.id);
      }
      expect((await dev.apps.schedules.list(appId)).data).toEqual([]);
      expect(await refusal(dev.apps.schedules.retrieve(appId, first!.id))).toMatchObject({
        status: 404,
      });
      expect(await usedReplicas(tenantId)).toBe(3);
    });
  });

  describe('scaling events', () => {
    it('are listed newest first, by process, for readers of the app only', async () => {
      for (const [i, process] of ['web', 'worker', 'web'].entries()) {
        await recordScalingEvent(platform.db, {
          appId,
          tenantId,
          process,
          from: i,
          to: i + 1,
          reason: { kind: 'autoscaler', message: { zh: `第 ${i} 次`, en: `step ${i}` } },
          principalId: null,
          at: new Date(Date.now() - (3 - i) * 1000),
        });
      }
      const all = (await auditor.apps.scaling.events(appId)).data;
      expect(all.map((e) => [e.process, e.toReplicas])).toEqual([
        ['web', 3],
        ['worker', 2],
        ['web', 1],
      ]);
      const web = (await dev.apps.scaling.events(appId, { process: 'web' })).data;
      expect(web.map((e) => e.toReplicas)).toEqual([3, 1]);
      expect(await refusal(stranger.apps.scaling.events(appId))).toMatchObject({ status: 404 });
    });
  });
});
