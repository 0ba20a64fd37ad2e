import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addMasterKeyToFile,
  type CryptoMode,
  Keyring,
  loadOrCreateMasterKey,
  type MasterKeyring,
  parseMasterKeys,
} from '../../src/secrets';
import { freshStateDb, postgresAvailable, type StateDb } from './state-db';

const available = await postgresAvailable();

const hexKey = () => randomBytes(32).toString('hex');

interface Stored {
  tenant: string;
  context: string;
  sealed: string;
  value: string;
}

describe.skipIf(!available)('master key rotation', () => {
  let state: StateDb;
  const mk1 = `mk1:${hexKey()}`;
  const mk2 = `mk2:${hexKey()}`;
  const keyring = (keys: MasterKeyring, mode: CryptoMode = 'aes', cacheSize?: number) =>
    new Keyring(state.db, {
      masterKeys: keys,
      mode,
      ...(cacheSize !== undefined && { cacheSize }),
    });

  beforeEach(async () => {
    state = await freshStateDb();
  });
  afterEach(async () => {
    await state?.close();
  });

  async function seed(keys: MasterKeyring, tenants: string[]): Promise<Stored[]> {
    const records: Stored[] = [];
    for (const mode of ['aes', 'gm'] as const) {
      const k = keyring(keys, mode);
      for (const tenant of tenants) {
        const value = `${mode}-${tenant}-${randomBytes(4).toString('hex')}`;
        const context = `binding:${value}`;
        records.push({
          tenant,
          context,
          value,
          sealed: await k.encrypt(tenant, Buffer.from(value), context),
        });
      }
    }
    return records;
  }

  async function expectReadable(k: Keyring, records: Stored[]) {
    for (const r of records)
      expect((await k.decrypt(r.tenant, r.sealed, r.context)).toString()).toBe(r.value);
  }

  it('re-wraps every data key with the new master key; old data still decrypts', async () => {
    const tenants = await state.tenants(5);
    const records = await seed(parseMasterKeys(mk1), tenants);
    const before = await state.db
      .selectFrom('data_keys')
      .select(['id', 'wrapped'])
      .orderBy('id')
      .execute();
    expect(before).toHaveLength(10);

    const rotating = keyring(parseMasterKeys(`${mk2},${mk1}`));
    expect(await rotating.masterKeysInUse()).toEqual({ mk1: 10 });
    const result = await rotating.rotateMasterKey({ batchSize: 3 });
    expect(result).toEqual({ masterKeyId: 'mk2', rewrapped: 10, remaining: 0 });

    const after = await state.db.selectFrom('data_keys').selectAll().orderBy('id').execute();
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));
    for (const [i, row] of after.entries()) {
      expect(row.master_key_id).toBe('mk2');
      expect(row.rewrapped_at).toBeInstanceOf(Date);
      expect(row.wrapped).not.toEqual(before[i]!.wrapped);
    }
    expect(await rotating.masterKeysInUse()).toEqual({ mk2: 10 });

    // mk1 can leave the configuration: a replica that knows only mk2 reads everything.
    await expectReadable(keyring(parseMasterKeys(mk2), 'gm', 0), records);
    // One that knows only mk1 no longer can.
    await expect(
      keyring(parseMasterKeys(mk1), 'aes', 0).decrypt(
        records[0]!.tenant,
        records[0]!.sealed,
        records[0]!.context,
      ),
    ).rejects.toMatchObject({
      code: 'unknown_master_key',
    });
    // Nothing left to do on a second run.
    expect(await rotating.rotateMasterKey()).toEqual({
      masterKeyId: 'mk2',
      rewrapped: 0,
      remaining: 0,
    });
  });

  it('loses nothing while replicas encrypt and decrypt and two rotations run at once', async () => {
    const tenants = await state.tenants(25);
    const records = await seed(parseMasterKeys(mk1), tenants);
    const rolled = () => parseMasterKeys(`${mk2},${mk1}`);
    // Replicas after the configuration roll; no cache, so every call reads and unwraps its row.
    const replicas = [
      keyring(rolled(), 'aes', 0),
      keyring(rolled(), 'gm', 0),
      keyring(rolled(), 'gm'),
    ];
    let rotating = true;
    const errors: unknown[] = [];
    let operationsDuringRotation = 0;
    const seen = new Set<string>();

    async function work(k: Keyring, seed: number) {
      let n = seed;
      while (rotating) {
        n = (n * 1103515245 + 12345) % 2 ** 31;
        try {
          const r = records[n % records.length]!;
          expect((await k.decrypt(r.tenant, r.sealed, r.context)).toString()).toBe(r.value);
          const tenant = tenants[n % tenants.length]!;
          const value = `during-${seed}-${n}`;
          const context = `binding:${value}`;
          records.push({
            tenant,
            context,
            value,
            sealed: await k.encrypt(tenant, Buffer.from(value), context),
          });
          if (rotating) operationsDuringRotation++;
        } catch (error) {
          errors.push(error);
        }
        // With its cache warm a replica never waits on I/O: let the rotation's queries run.
        await new Promise((r) => setImmediate(r));
      }
    }
    async function watch() {
      while (rotating) {
        const inUse = await replicas[0]!.masterKeysInUse();
        if (inUse.mk1 && inUse.mk2) seen.add('both');
        await new Promise((r) => setTimeout(r, 1));
      }
    }

    const loops = [...replicas.map((k, i) => work(k, i + 1)), watch()];
    const [first, second] = await Promise.all([
      keyring(rolled()).rotateMasterKey({ batchSize: 2 }),
      keyring(rolled(), 'gm').rotateMasterKey({ batchSize: 3 }),
    ]);
    rotating = false;
    await Promise.all(loops);

    expect(errors).toEqual([]);
    expect(first!.rewrapped + second!.rewrapped).toBe(50);
    expect(first!.rewrapped).toBeGreaterThan(0);
    expect(second!.rewrapped).toBeGreaterThan(0);
    expect(operationsDuringRotation).toBeGreaterThan(10);
    // The loops really ran while some keys were re-wrapped and others not yet.
    expect(seen.has('both')).toBe(true);
    expect(await replicas[0]!.masterKeysInUse()).toEqual({ mk2: 50 });
    // Cached per data key: each is unwrapped once, with mk2 alone.
    await expectReadable(keyring(parseMasterKeys(mk2)), records);
  }, 60_000);

  it('file-based: a new key in the file, rotation elsewhere, the running process reloads', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'zw-mk-'));
    try {
      const [tenant] = (await state.tenants(1)) as [string];
      const running = new Keyring(state.db, {
        masterKeys: await loadOrCreateMasterKey(dataDir),
        cacheSize: 0,
        reloadMasterKeys: () => loadOrCreateMasterKey(dataDir),
      });
      const sealed = await running.encrypt(tenant, Buffer.from('v1'), 'c');

      // `zhengwu-platform rotate-master-key`, as another process.
      const command = new Keyring(state.db, { masterKeys: await addMasterKeyToFile(dataDir) });
      expect(await command.rotateMasterKey()).toEqual({
        masterKeyId: 'mk2',
        rewrapped: 1,
        remaining: 0,
      });
      expect((await readFile(join(dataDir, 'master-key'), 'utf8')).split('\n')[0]).toMatch(/^mk2:/);

      expect((await running.decrypt(tenant, sealed, 'c')).toString()).toBe('v1');
      const without = new Keyring(state.db, { masterKeys: parseMasterKeys(mk1), cacheSize: 0 });
      await expect(without.decrypt(tenant, sealed, 'c')).rejects.toMatchObject({
        code: 'unknown_master_key',
      });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('a data key wrapped with an unconfigured master key stops the rotation with a clear error', async () => {
    const tenants = await state.tenants(2);
    await seed(parseMasterKeys(mk1), tenants);
    const error = await keyring(parseMasterKeys(mk2))
      .rotateMasterKey()
      .catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'unknown_master_key' });
    expect((error as Error).message).toMatch(
      /^未配置主密钥 mk1.* · Master key mk1 is not configured/,
    );
    // The batch rolled back: nothing half-done.
    expect(await keyring(parseMasterKeys(mk1)).masterKeysInUse()).toEqual({ mk1: 4 });
  });
});
