import { createMockPlatform } from '@zhengwu/mock';
import { Zhengwu } from '@zhengwu/sdk';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { provisionDatabase } from '../src/provision-database';

// The whole platform, simulated in memory: no server, no network.
const platform = createMockPlatform();
const server = setupServer(...platform.handlers);
const client = new Zhengwu({ baseUrl: 'http://127.0.0.1:7070', token: platform.token });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  platform.reset();
});
afterAll(() => server.close());

describe('provisionDatabase', () => {
  it('creates an instance, waits for it and returns bound credentials', async () => {
    const access = await provisionDatabase(client, 'approval');
    expect(access.uri).toMatch(/^postgres(ql)?:\/\//);
    const instance = await client.instances.retrieve(access.instanceId);
    expect(instance).toMatchObject({ name: 'approval-db', service: 'postgresql', state: 'ready' });
    const binding = await client.bindings.retrieve(access.bindingId);
    expect(binding).toMatchObject({ instanceId: access.instanceId, state: 'ready' });
  });

  it('is idempotent: a second call reuses the instance and the binding', async () => {
    const first = await provisionDatabase(client, 'hotline');
    const second = await provisionDatabase(client, 'hotline');
    expect(second).toEqual(first);
    expect(platform.state.instances.size).toBe(1);
  });

  it('explains a failed provision', async () => {
    platform.failNextOperation('instance.provision', {
      code: 'quota_exceeded',
      detail: 'instances 10/10',
    });
    await expect(provisionDatabase(client, 'oa')).rejects.toThrow(/Provisioning oa-db failed/);
  });

  it('rides out a flaky platform: the SDK retries a 503 with the same idempotency key', async () => {
    platform.faults.inject({
      operationId: 'createInstance',
      status: 503,
      code: 'unavailable',
      times: 1,
    });
    const access = await provisionDatabase(client, 'portal');
    expect(access.instanceId).toMatch(/^ins_/);
    // The retried create made exactly one instance.
    const all = await client.instances.list().toArray({ max: 100 });
    expect(all.filter((i) => i.name === 'portal-db')).toHaveLength(1);
  });
});
