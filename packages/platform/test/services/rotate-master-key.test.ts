import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Zhengwu } from '@zhengwu/sdk';
import { expect, it } from 'vitest';
import { rotateMasterKey } from '../../src/commands/rotate-master-key';
import { loadConfig } from '../../src/config';
import { startPlatform } from '../../src/platform';

/**
 * `zhengwu-platform rotate-master-key` on the embedded default: the credentials sealed under
 * the first master key read the same after the rotation and a restart, and every data key is
 * now wrapped by the new master key.
 */
it('re-wraps every data key with a new master key; credentials still open', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'zw-rotate-'));
  const config = loadConfig({
    ZW_PORT: '0',
    ZW_DATA_DIR: dataDir,
    ZW_LOG_LEVEL: 'silent',
    ZW_EMBEDDED_ENGINES: 'postgresql',
  });
  const fast = { operations: { pollMs: 50, backoff: { baseMs: 100, maxMs: 300, jitter: false } } };
  try {
    let platform = await startPlatform(config, fast);
    const admin = new Zhengwu({
      baseUrl: platform.url,
      token: platform.adminToken!,
      maxRetries: 0,
    });
    const tenant = await admin.tenants.create({
      parentId: null,
      name: 'rotate',
      displayName: { zh: '轮换', en: 'rotate' },
      level: 'province',
    });
    const created = await admin.instances.create({
      tenantId: tenant.id,
      name: 'db',
      service: 'postgresql',
      plan: 'dev',
    });
    await admin.instances.waitUntilReady(created.id, { minDelay: 50, maxWaitTime: 60_000 });
    const binding = await admin.bindings.create({ instanceId: created.id, name: 'app' });
    await admin.bindings.waitUntilReady(binding.id, { minDelay: 50, maxWaitTime: 60_000 });
    const before = await admin.bindings.credentials(binding.id);
    // While the platform holds the embedded database, the command refuses.
    expect(await rotateMasterKey(config)).toBe(1);
    await platform.stop();

    expect(await rotateMasterKey(config)).toBe(0);
    expect((await readFile(join(dataDir, 'master-key'), 'utf8')).match(/mk\d+/g)).toEqual([
      'mk2',
      'mk1',
    ]);

    platform = await startPlatform(config, fast);
    const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
    const again = new Zhengwu({ baseUrl: platform.url, token, maxRetries: 0 });
    expect((await again.bindings.credentials(binding.id)).credentials).toEqual(before.credentials);
    const wrapped = await platform.db
      .selectFrom('data_keys')
      .select('master_key_id')
      .distinct()
      .execute();
    expect(wrapped).toEqual([{ master_key_id: 'mk2' }]);
    await again.instances.delete(created.id, { force: true });
    await again.instances.waitUntilDeleted(created.id, { minDelay: 50, maxWaitTime: 60_000 });
    await platform.stop();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}, 180_000);
