import { APIConnectionError, InternalServerError, WaiterFailureError, Zhengwu } from '@zhengwu/sdk';
import { describe, expect, it } from 'vitest';
import { createMockPlatform } from '../src/index';
import { brisk, setup } from './helpers';

const { client, clientWith, platform, server } = setup({ operationSteps: 3 });

describe('operations', () => {
  it('go pending → running → running → succeeded, one step per poll', async () => {
    const ins = await client.instances.create({ name: 'db', service: 'postgresql', plan: 'dev' });
    const opId = ins.lastOperation!.id;
    const states = [];
    for (let i = 0; i < 3; i++) {
      const op = await client.operations.retrieve(opId);
      states.push([op.state, op.progress.percent]);
    }
    expect(states).toEqual([
      ['running', 33],
      ['running', 66],
      ['succeeded', 100],
    ]);
    const op = await client.operations.retrieve(opId);
    expect(op).toMatchObject({
      type: 'instance.provision',
      target: { type: 'instance', id: ins.id },
      attempts: 1,
      error: null,
    });
    expect(op.finishedAt).not.toBeNull();
    expect((await client.instances.retrieve(ins.id)).lastOperation).toEqual({
      id: opId,
      type: 'instance.provision',
      state: 'succeeded',
    });
    expect((await client.operations.list({ targetId: ins.id })).data.map((o) => o.id)).toEqual([
      opId,
    ]);
  });

  it('polling the resource advances its operation too', async () => {
    const ins = await client.instances.create({ name: 'db', service: 'postgresql', plan: 'dev' });
    expect((await client.instances.retrieve(ins.id)).state).toBe('provisioning');
    expect((await client.instances.retrieve(ins.id)).state).toBe('provisioning');
    expect((await client.instances.retrieve(ins.id)).state).toBe('ready');
  });

  it('cancels an unfinished operation and refuses to cancel a finished one (409)', async () => {
    const ins = await client.instances.create({ name: 'db', service: 'postgresql', plan: 'dev' });
    const canceled = await client.operations.cancel(ins.lastOperation!.id);
    expect(canceled.state).toBe('canceled');
    expect((await client.instances.retrieve(ins.id)).state).toBe('deleted');
    await expect(client.operations.cancel(ins.lastOperation!.id)).rejects.toMatchObject({
      status: 409,
      code: 'invalid_state',
    });
    await expect(
      client.operations.waitUntilDone(ins.lastOperation!.id, brisk),
    ).rejects.toBeInstanceOf(WaiterFailureError);
  });

  it('finish before the call answers with operationSteps: 0', async () => {
    const instant = createMockPlatform({ operationSteps: 0, baseUrl: 'http://instant.test' });
    server.use(...instant.handlers);
    const c = new Zhengwu({ baseUrl: instant.baseUrl, token: instant.token });
    const ins = await c.instances.create({ name: 'db', service: 'mqtt', plan: 'dev' });
    expect(ins).toMatchObject({ state: 'ready', lastOperation: { state: 'succeeded' } });
  });

  it('failNextOperation ends the next such operation failed: WaiterFailureError', async () => {
    platform.failNextOperation('instance.provision', {
      code: 'quota_exceeded',
      detail: 'Engine pool postgresql-mock is full.',
    });
    const ins = await client.instances.create({ name: 'db', service: 'postgresql', plan: 's' });
    const error = await client.instances.waitUntilReady(ins.id, brisk).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaiterFailureError);
    expect((error as WaiterFailureError<{ state: string }>).state.state).toBe('failed');
    const op = await client.operations.retrieve(ins.lastOperation!.id);
    expect(op).toMatchObject({
      state: 'failed',
      error: {
        code: 'quota_exceeded',
        status: 422,
        detail: 'Engine pool postgresql-mock is full.',
        type: 'https://zhengwu.gov.cn/problems/quota_exceeded',
      },
    });
    // Only the next one.
    const again = await client.instances.create({ name: 'db2', service: 'postgresql', plan: 's' });
    expect((await client.instances.waitUntilReady(again.id, brisk)).state).toBe('ready');
  });
});

describe('setServiceAvailability', () => {
  it('lists a service unavailable with its reason and refuses to provision it, until undone', async () => {
    const reason = { zh: 'Redis 引擎池已停止', en: 'the Redis pool is down' };
    platform.setServiceAvailability('redis', reason);
    expect(await client.catalog.services.retrieve('redis')).toMatchObject({
      available: false,
      unavailableReason: reason,
    });
    const off = await client.catalog.services.list({ available: false });
    expect(off.data.map((s) => s.id)).toEqual(['redis']);
    await expect(
      client.instances.create({ name: 'cache', service: 'redis', plan: 'dev' }),
    ).rejects.toMatchObject({
      status: 422,
      code: 'service_unavailable',
      message: expect.stringContaining('the Redis pool is down'),
    });
    platform.setServiceAvailability('redis', null);
    const cache = await client.instances.create({ name: 'cache', service: 'redis', plan: 'dev' });
    expect(cache.service).toBe('redis');
    expect(() => platform.setServiceAvailability('nosuch', null)).toThrow(TypeError);
  });
});

describe('fault injection', () => {
  it('the SDK rides out a 503 with Retry-After and applies the create once', async () => {
    platform.faults.inject({
      operationId: 'createInstance',
      status: 503,
      code: 'unavailable',
      times: 1,
      retryAfter: 0,
    });
    const retrying = clientWith(platform.token, { maxRetries: 2 });
    const seen: number[] = [];
    retrying.use({ onResponse: ({ response }) => void seen.push(response.status) });
    const ins = await retrying.instances.create({
      name: 'portal-db',
      service: 'postgresql',
      plan: 's',
    });
    expect(ins.name).toBe('portal-db');
    expect(platform.state.instances.size).toBe(1);
    expect(seen).toEqual([202]);
  });

  it('fails the call with the problem once retries run out', async () => {
    platform.faults.inject({ operationId: 'listApps', status: 503, times: 5 });
    const error = await Promise.resolve(
      clientWith(platform.token, { maxRetries: 1 }).apps.list(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 503, code: 'unavailable' });
    expect((error as InternalServerError).headers?.get('retry-after')).toBe('0');
    platform.faults.clear();
    expect((await client.apps.list()).data).toEqual([]);
  });

  it('drops the connection, rate-limits, and reports not-ready', async () => {
    platform.faults.inject({ operationId: 'getApp', networkError: true });
    await expect(client.apps.retrieve('app_00000000000000000000')).rejects.toBeInstanceOf(
      APIConnectionError,
    );
    platform.faults.inject({ status: 429, retryAfter: 7 });
    await expect(client.tokens.whoami()).rejects.toMatchObject({
      status: 429,
      code: 'rate_limited',
    });
    platform.faults.inject({ operationId: 'getReadiness', status: 503 });
    expect(await client.health.ready()).toMatchObject({ status: 'not_ready' });
  });
});
