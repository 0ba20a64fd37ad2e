import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPlan } from '@zhengwu/catalog';
import { afterAll, describe, expect, it } from 'vitest';
import type { InstanceSpec } from '../../src/brokers/broker';
import { startEngines } from '../../src/brokers/engines';
import { findRedisServer, RedisServerMissing } from '../../src/brokers/redis/embedded';
import { createEmbeddedRedisBroker } from '../../src/brokers/redis/embedded-broker';
import { loadConfig } from '../../src/config';
import { newId } from '../../src/ids';
import { login } from './redis-login';
import { redisServerAvailable } from './redis-server';

/**
 * The embedded Redis pool's life: a server of its own under the data dir that keeps binding
 * users (ACL file) and data (append-only file) across restarts, replaces a server left
 * running by a killed platform, and — without a redis-server on the machine — is listed
 * unavailable with what to do instead of failing the platform's start.
 */
const binary = await redisServerAvailable();
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zw-redis-embedded-'));
  dirs.push(dir);
  return dir;
}

const instance = (): InstanceSpec => ({
  id: newId('ins'),
  tenantId: newId('ten'),
  plan: 'dev',
  limits: findPlan('redis', 'dev')?.limits ?? {},
  parameters: {},
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.runIf(binary)('the embedded Redis pool', () => {
  it('keeps binding users and data across a restart, on the same port', async () => {
    const dir = await dataDir();
    let broker = await createEmbeddedRedisBroker(dir, { binary: binary as string });
    const spec = instance();
    await broker.provision(spec);
    const credentials = await broker.bind(spec, { id: newId('bnd'), version: 1, parameters: {} });
    const client = await login(credentials);
    await client.set(`${credentials.keyPrefix}matter`, '户籍迁移');
    client.disconnect();
    expect(await readFile(join(dir, 'engines/redis/admin-password'), 'utf8')).not.toContain(
      'zw-admin',
    );
    await broker.close();
    await expect(login(credentials)).rejects.toThrow(/ECONNREFUSED/);

    broker = await createEmbeddedRedisBroker(dir, { binary: binary as string });
    try {
      const again = await login(credentials);
      expect(await again.get(`${credentials.keyPrefix}matter`)).toBe('户籍迁移');
      again.disconnect();
      expect((await broker.inventory()).instances).toContain(
        `zw_i_${spec.id.split('_')[1]!.toLowerCase()}`,
      );
      await broker.deprovision(spec);
    } finally {
      await broker.close();
    }
  }, 60_000);

  it('replaces a server left running by a platform that was killed', async () => {
    const dir = await dataDir();
    const first = await createEmbeddedRedisBroker(dir, { binary: binary as string });
    const pidFile = join(dir, 'engines/redis/redis.pid');
    const stale = Number(await readFile(pidFile, 'utf8'));
    expect(alive(stale)).toBe(true);
    // The platform dies without closing it: a second start must take over the data dir.
    void first;
    const second = await createEmbeddedRedisBroker(dir, { binary: binary as string });
    let fresh = 0;
    try {
      expect(alive(stale)).toBe(false);
      fresh = Number(await readFile(pidFile, 'utf8'));
      expect(fresh).not.toBe(stale);
      expect(await second.health()).toEqual({ available: true });
    } finally {
      await second.close();
    }
    expect(fresh > 0 && alive(fresh)).toBe(false);
  }, 60_000);

  it('without redis-server the platform starts and lists Redis as unavailable, saying why', async () => {
    await expect(findRedisServer('/nonexistent/redis-server')).rejects.toBeInstanceOf(
      RedisServerMissing,
    );
    const config = loadConfig({
      ZW_DATA_DIR: await dataDir(),
      ZW_EMBEDDED_ENGINES: 'redis',
      ZW_REDIS_SERVER: '/nonexistent/redis-server',
    });
    const { brokers, unavailable } = await startEngines(config);
    expect(brokers).toEqual([]);
    expect(unavailable.get('redis')).toMatch(/ZW_REDIS_SERVER .*not an executable file/);
  });
});
