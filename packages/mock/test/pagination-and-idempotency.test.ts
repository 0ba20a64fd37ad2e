import { BadRequestError } from '@zhengwu/sdk';
import { describe, expect, it } from 'vitest';
import { setup } from './helpers';

const { client, platform } = setup({ operationSteps: 0 });

describe('pagination', () => {
  it('walks three pages newest first, with nextCursor null on the last', async () => {
    for (let i = 1; i <= 7; i++) await client.apps.create({ name: `app-${i}` });
    const sizes: number[] = [];
    const cursors: (string | null)[] = [];
    const names: string[] = [];
    for await (const page of client.apps.list({ limit: 3 }).pages()) {
      sizes.push(page.data.length);
      cursors.push(page.nextCursor);
      names.push(...page.data.map((a) => a.name));
    }
    expect(sizes).toEqual([3, 3, 1]);
    expect(cursors[2]).toBeNull();
    expect(cursors.slice(0, 2).every((c) => typeof c === 'string')).toBe(true);
    expect(names).toEqual(['app-7', 'app-6', 'app-5', 'app-4', 'app-3', 'app-2', 'app-1']);
    expect((await client.apps.list()).nextCursor).toBeNull();
  });

  it('binds a cursor to its filters and refuses a forged one', async () => {
    for (let i = 1; i <= 3; i++) await client.apps.create({ name: `app-${i}` });
    const first = await client.apps.list({ limit: 1 });
    await expect(
      client.apps.list({ limit: 1, state: 'created', cursor: first.nextCursor! }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'bad_request',
      problem: { errors: [{ path: '/query/cursor' }] },
    });
    await expect(client.apps.list({ cursor: 'forged' })).rejects.toBeInstanceOf(BadRequestError);
    // Same filters, a new limit: fine.
    expect(
      (await client.apps.list({ limit: 2, cursor: first.nextCursor! })).data.map((a) => a.name),
    ).toEqual(['app-2', 'app-1']);
  });

  it('lists the catalog in ascending id order, plans smallest first', async () => {
    const services = await client.catalog.services.list().toArray({ max: 50 });
    expect(services.map((s) => s.id)).toEqual([
      'mqtt',
      'mysql',
      'object-storage',
      'postgresql',
      'rabbitmq',
      'redis',
    ]);
    const plans = await client.catalog.plans.list('postgresql', { limit: 2 });
    expect(plans.data.map((p) => p.id)).toEqual(['dev', 's']);
    expect(plans.nextCursor).not.toBeNull();
    const plan = await client.catalog.plans.retrieve('postgresql', 'm');
    expect(plan).toMatchObject({
      price: { currency: 'CNY', unit: 'hour' },
      compliance: { dengbaoLevel: 3, gmCrypto: true },
    });
    expect(
      (await client.catalog.services.list({ category: 'storage' })).data.map((s) => s.id),
    ).toEqual(['object-storage']);
  });

  it('leaves the JSON Schemas out of service lists unless expand=schemas', async () => {
    const [summary] = (await client.catalog.services.list({ limit: 1 })).data;
    expect(summary).not.toHaveProperty('credentialsSchema');
    expect(summary!.plans[0]).not.toHaveProperty('schemas');
    const [full] = (await client.catalog.services.list({ limit: 1, expand: 'schemas' })).data;
    expect(full).toEqual(await client.catalog.services.retrieve(summary!.id));
    expect(full!.plans[0]!.schemas.instanceCreate).toMatchObject({ type: 'object' });
  });
});

describe('idempotency', () => {
  it('replays the first response for the same key and body', async () => {
    const key = 'a6f0c5c2-3a9e-4a41-9d0f-6e0f2c3b9b11';
    const first = await client.raw.POST('/v1/instances', {
      body: { name: 'db', service: 'redis', plan: 'dev' },
      idempotencyKey: key,
    });
    const again = await client.raw.POST('/v1/instances', {
      body: { name: 'db', service: 'redis', plan: 'dev' },
      idempotencyKey: key,
    });
    expect(again.response.headers.get('idempotency-replayed')).toBe('true');
    expect(first.response.headers.get('idempotency-replayed')).toBeNull();
    expect(again.data.id).toBe(first.data.id);
    expect(again.response.status).toBe(202);
    expect(again.response.headers.get('location')).toBe(`/v1/instances/${first.data.id}`);
    expect(again.response.headers.get('x-request-id')).not.toBe(
      first.response.headers.get('x-request-id'),
    );
    expect([...platform.state.instances.values()].filter((i) => i.name === 'db')).toHaveLength(1);
  });

  it('refuses the same key with another body (422 idempotency_key_reused)', async () => {
    const key = 'b6f0c5c2-3a9e-4a41-9d0f-6e0f2c3b9b12';
    await client.apps.create({ name: 'one' }, { idempotencyKey: key });
    await expect(
      client.apps.create({ name: 'two' }, { idempotencyKey: key }),
    ).rejects.toMatchObject({
      status: 422,
      code: 'idempotency_key_reused',
    });
  });

  it('scopes keys to the principal and replays errors too', async () => {
    const key = 'c6f0c5c2-3a9e-4a41-9d0f-6e0f2c3b9b13';
    await client.apps.create({ name: 'dup' });
    const a = await client.apps
      .create({ name: 'dup' }, { idempotencyKey: key })
      .catch((e: unknown) => e);
    const b = await client.apps
      .create({ name: 'dup' }, { idempotencyKey: key })
      .catch((e: unknown) => e);
    expect(a).toMatchObject({ status: 409 });
    expect(b).toMatchObject({ status: 409, headers: expect.any(Headers) });
    expect((b as { headers: Headers }).headers.get('idempotency-replayed')).toBe('true');
  });
});
