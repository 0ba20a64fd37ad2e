import { describe, expect, it, vi } from 'vitest';
import { MOCK_TENANT_ID } from '../src/index';
import { brisk, setup } from './helpers';

const { client, platform } = setup();

describe('instance and binding lifecycle through the SDK', () => {
  it('create → ready → bind → credentials → rotate → v2 → delete → deleted', async () => {
    const created = await client.instances.create({
      name: 'approval-db',
      service: 'postgresql',
      plan: 's',
      parameters: { extensions: ['pg_trgm'] },
    });
    expect(created).toMatchObject({ state: 'provisioning', tenantId: MOCK_TENANT_ID, pool: null });
    expect(created.id).toMatch(/^ins_[0-9A-Za-z]{20}$/);
    expect(created.lastOperation).toMatchObject({ type: 'instance.provision', state: 'pending' });
    expect(created.parameters).toEqual({ extensions: ['pg_trgm'] });

    const ready = await client.instances.waitUntilReady(created.id, brisk);
    expect(ready).toMatchObject({ state: 'ready', pool: 'postgresql-mock' });
    expect(ready.lastOperation?.state).toBe('succeeded');

    const binding = await client.bindings.create({ instanceId: created.id, name: 'approval-web' });
    expect(binding).toMatchObject({ state: 'creating', credentialsVersion: 1, appId: null });
    await client.bindings.waitUntilReady(binding.id, brisk);

    const first = await client.bindings.credentials(binding.id);
    expect(first.version).toBe(1);
    expect(first.credentials).toMatchObject({
      host: 'postgresql.mock.zhengwu.invalid',
      port: 5432,
      database: 'approval_db',
    });
    expect(String(first.credentials.uri)).toMatch(
      /^postgresql:\/\/u_approval_web_\w{4}:mock_\w+@postgresql\.mock\.zhengwu\.invalid:5432\/approval_db/,
    );

    const rotating = await client.bindings.rotate(binding.id, { gracePeriodSeconds: 60 });
    expect(rotating.state).toBe('rotating');
    const rotated = await client.bindings.waitUntilReady(binding.id, brisk);
    expect(rotated).toMatchObject({ credentialsVersion: 2 });
    expect(rotated.rotatedAt).not.toBeNull();
    const second = await client.bindings.credentials(binding.id);
    expect(second.version).toBe(2);
    expect(second.credentials.password).not.toBe(first.credentials.password);

    await expect(client.instances.delete(created.id)).rejects.toMatchObject({
      status: 409,
      code: 'not_empty',
    });
    await client.bindings.delete(binding.id);
    const deleting = await client.instances.delete(created.id);
    expect(deleting.state).toBe('deprovisioning');
    await client.instances.waitUntilDeleted(created.id, brisk);
    expect((await client.instances.retrieve(created.id)).state).toBe('deleted');
    await expect(client.bindings.credentials(binding.id)).rejects.toMatchObject({ status: 404 });
    expect(platform.state.bindings.get(binding.id)?.state).toBe('deleted');
    expect((await client.instances.list()).data).toHaveLength(0);
    expect((await client.instances.list({ state: 'deleted' })).data).toHaveLength(1);

    // Deleted instances stay readable for 7 days, then they are gone.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 8 * 86_400_000);
      await expect(client.instances.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
      expect((await client.instances.list({ state: 'deleted' })).data).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
