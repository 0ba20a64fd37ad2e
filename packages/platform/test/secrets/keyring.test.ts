import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CryptoMode,
  Keyring,
  type MasterKeyring,
  parseMasterKeys,
  SecretsError,
} from '../../src/secrets';
import { associatedData, CIPHERS } from '../../src/secrets/ciphers';
import { FORMAT_VERSION, parseEnvelope } from '../../src/secrets/envelope';
import { unwrapDataKey } from '../../src/secrets/wrapping';
import { freshStateDb, postgresAvailable, type StateDb } from './state-db';

const available = await postgresAvailable();

/** A 300-byte-ish credentials object, like a binding's. */
const credentials = {
  host: 'pg-1.zw.internal',
  port: 5432,
  database: 'ins_7Hq2kP9xLm3N4rT6vW8y',
  username: 'bnd_Q1w2E3r4T5y6U7i8O9p0',
  password: 'Zx9!kP2@mN4#qR6$tV8%wY0^aB3&cD5*',
  uri: 'postgresql://bnd_Q1w2E3r4T5y6U7i8O9p0@pg-1.zw.internal:5432/ins_7Hq2kP9xLm3N4rT6vW8y',
};

const ring = (text: string) => parseMasterKeys(text);
const hexKey = () => randomBytes(32).toString('hex');

async function failure(promise: Promise<unknown>): Promise<SecretsError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SecretsError);
    return error as SecretsError;
  }
  throw new Error('expected a SecretsError, but the call succeeded');
}

/** Replaces one `:`-separated part of a ciphertext, re-encoded as base64url. */
function alter(ciphertext: string, part: number, change: (bytes: Buffer) => Buffer): string {
  const parts = ciphertext.split(':');
  parts[part] = change(Buffer.from(parts[part]!, 'base64url')).toString('base64url');
  return parts.join(':');
}
const flipByte = (i: number) => (b: Buffer) =>
  Buffer.from(b.map((x, j) => (j === i ? x ^ 0x80 : x)));

describe.skipIf(!available)('Keyring (envelope encryption against PostgreSQL)', () => {
  let state: StateDb;
  let masterKeys: MasterKeyring;
  let masterText: string;
  let tenantA: string;
  let tenantB: string;
  const keyring = (mode: CryptoMode, options: { cacheSize?: number; keys?: MasterKeyring } = {}) =>
    new Keyring(state.db, { masterKeys: options.keys ?? masterKeys, mode, ...options });

  beforeAll(async () => {
    state = await freshStateDb();
    [tenantA, tenantB] = (await state.tenants(2)) as [string, string];
    masterText = `mk1:${hexKey()}`;
    masterKeys = ring(masterText);
  });
  afterAll(async () => {
    await state?.close();
  });

  describe.each(['aes', 'gm'] as const)('mode %s', (mode) => {
    const algorithm = mode === 'aes' ? 'a256gcm' : 'sm4ctr-hsm3';

    it('round-trips buffers and JSON, with a fresh ciphertext every time', async () => {
      const k = keyring(mode);
      const first = await k.encryptJson(tenantA, credentials, 'binding:bnd_1');
      const second = await k.encryptJson(tenantA, credentials, 'binding:bnd_1');
      expect(first).toMatch(new RegExp(`^zw1:${algorithm}:dk_[A-Za-z0-9_-]{16}:`));
      expect(first).not.toBe(second);
      expect(parseEnvelope(first).sealed.nonce).not.toEqual(parseEnvelope(second).sealed.nonce);
      expect(first).not.toContain('Zx9');
      expect(await k.decryptJson(tenantA, first, 'binding:bnd_1')).toEqual(credentials);
      // Another process (no cache) reads it from the table.
      expect(
        await keyring(mode, { cacheSize: 0 }).decryptJson(tenantA, second, 'binding:bnd_1'),
      ).toEqual(credentials);
      const bytes = randomBytes(1000);
      const sealed = await k.encrypt(tenantA, bytes, 'object:1');
      expect(await k.decrypt(tenantA, sealed, 'object:1')).toEqual(bytes);
      expect(await k.decrypt(tenantA, await k.encrypt(tenantA, Buffer.alloc(0), 'e'), 'e')).toEqual(
        Buffer.alloc(0),
      );
    });

    it('refuses any change to nonce, ciphertext, tag, context or tenant', async () => {
      const k = keyring(mode, { cacheSize: 0 });
      const good = await k.encryptJson(tenantA, credentials, 'binding:bnd_2');
      const tampered = [
        alter(good, 3, flipByte(0)), // nonce
        alter(good, 4, flipByte(17)), // ciphertext
        alter(good, 5, flipByte(3)), // tag
      ];
      for (const bad of tampered) {
        const error = await failure(k.decrypt(tenantA, bad, 'binding:bnd_2'));
        expect(error.code).toBe('tampered');
        expect(error.message).toMatch(/^密文校验失败.* · Ciphertext failed authentication/);
      }
      // Moved to another row: same tenant, another context.
      expect((await failure(k.decrypt(tenantA, good, 'binding:bnd_3'))).code).toBe('tampered');
      // Moved to another tenant.
      expect((await failure(k.decrypt(tenantB, good, 'binding:bnd_2'))).code).toBe('wrong_tenant');
      // Cut short, or not ours at all.
      expect(
        (
          await failure(
            k.decrypt(
              tenantA,
              alter(good, 5, (t) => t.subarray(0, 8)),
              'binding:bnd_2',
            ),
          )
        ).code,
      ).toBe('malformed');
      for (const junk of [
        '',
        'hello',
        good.replace('zw1', 'zw2'),
        `${good}:x`,
        good.replace(algorithm, 'rot13'),
      ]) {
        const error = await failure(k.decrypt(tenantA, junk, 'binding:bnd_2'));
        expect(error.code).toBe('malformed');
        expect(error.message).toMatch(/^密文格式无效 · Malformed ciphertext/);
      }
      expect(await k.decryptJson(tenantA, good, 'binding:bnd_2')).toEqual(credentials);
    });

    it("keeps tenants apart: B's key cannot open A's data", async () => {
      const k = keyring(mode);
      const forA = await k.encryptJson(tenantA, credentials, 'binding:bnd_4');
      const forB = await k.encryptJson(tenantB, credentials, 'binding:bnd_4');
      const keyA = parseEnvelope(forA).dataKeyId;
      const keyB = parseEnvelope(forB).dataKeyId;
      expect(keyA).not.toBe(keyB);
      expect((await failure(k.decrypt(tenantB, forA, 'binding:bnd_4'))).code).toBe('wrong_tenant');
      // A's ciphertext relabelled with B's data key: B's key does not open it.
      const relabelled = forA.replace(keyA, keyB);
      expect((await failure(k.decrypt(tenantB, relabelled, 'binding:bnd_4'))).code).toBe(
        'tampered',
      );
      const rows = await state.db
        .selectFrom('data_keys')
        .select(['tenant_id', 'algorithm'])
        .where('algorithm', '=', algorithm)
        .orderBy('tenant_id')
        .execute();
      expect(rows.map((r) => r.tenant_id).sort()).toEqual([tenantA, tenantB].sort());
    });

    it('data_keys holds no plaintext key', async () => {
      const k = keyring(mode);
      const sealed = await k.encryptJson(tenantA, credentials, 'binding:bnd_5');
      const { dataKeyId, sealed: parts } = parseEnvelope(sealed);
      const row = await state.db
        .selectFrom('data_keys')
        .selectAll()
        .where('id', '=', dataKeyId)
        .executeTakeFirstOrThrow();
      expect(row.master_key_id).toBe('mk1');
      // The real data key, unwrapped by hand, and proof that it is the one that sealed the data.
      const dek = unwrapDataKey(masterKeys.current, row, row.wrapped);
      const opened = CIPHERS[algorithm].open(
        CIPHERS[algorithm].deriveKeys(dek, 'data-key'),
        parts,
        associatedData(FORMAT_VERSION, algorithm, dataKeyId, tenantA, 'binding:bnd_5'),
      );
      expect(JSON.parse(opened.toString())).toEqual(credentials);

      const master = Buffer.from(masterText.slice(4), 'hex');
      const { rows: dump } = await sql<{
        text: string;
      }>`SELECT d::text AS text FROM data_keys d`.execute(state.db);
      const all = await state.db.selectFrom('data_keys').select('wrapped').execute();
      for (const secret of [dek, master]) {
        for (const { text } of dump) {
          expect(text).not.toContain(secret.toString('hex'));
          expect(text).not.toContain(secret.toString('base64'));
        }
        for (const { wrapped } of all) expect(wrapped.indexOf(secret.subarray(0, 8))).toBe(-1);
      }
    });
  });

  it('after switching to gm, data written in aes mode still decrypts', async () => {
    const aes = keyring('aes');
    const old = await aes.encryptJson(tenantA, credentials, 'binding:bnd_6');
    const gm = keyring('gm', { cacheSize: 0 });
    const fresh = await gm.encryptJson(tenantA, credentials, 'binding:bnd_7');
    expect(fresh.startsWith('zw1:sm4ctr-hsm3:')).toBe(true);
    expect(await gm.decryptJson(tenantA, old, 'binding:bnd_6')).toEqual(credentials);
    // And back.
    expect(
      await keyring('aes', { cacheSize: 0 }).decryptJson(tenantA, fresh, 'binding:bnd_7'),
    ).toEqual(credentials);
    const algorithms = await state.db
      .selectFrom('data_keys')
      .select('algorithm')
      .where('tenant_id', '=', tenantA)
      .execute();
    expect(algorithms.map((r) => r.algorithm).sort()).toEqual(['a256gcm', 'sm4ctr-hsm3']);
  });

  it('a wrong master key fails clearly at the first unwrap', async () => {
    const sealed = await keyring('gm').encryptJson(tenantA, credentials, 'binding:bnd_8');
    const wrong = keyring('gm', { keys: ring(`mk1:${hexKey()}`) });
    const error = await failure(wrong.decrypt(tenantA, sealed, 'binding:bnd_8'));
    expect(error.code).toBe('unwrap_failed');
    expect(error.message).toMatch(
      /^主密钥 mk1 无法解开数据密钥 dk_.* · Master key mk1 cannot unwrap/,
    );
    expect((await failure(wrong.encrypt(tenantA, Buffer.from('x'), 'c'))).code).toBe(
      'unwrap_failed',
    );
    const missing = keyring('gm', { keys: ring(`mk9:${hexKey()}`) });
    const unknown = await failure(missing.decrypt(tenantA, sealed, 'binding:bnd_8'));
    expect(unknown.code).toBe('unknown_master_key');
    expect(unknown.message).toContain('mk1');
  });

  it('two replicas creating a tenant key at once agree on one', async () => {
    const [tenant] = (await state.tenants(1)) as [string];
    const replicas = Array.from({ length: 6 }, () => keyring('aes'));
    const sealed = await Promise.all(
      replicas.flatMap((k, i) =>
        [0, 1, 2].map((j) => k.encrypt(tenant, Buffer.from(`${i}.${j}`), 'c')),
      ),
    );
    expect(new Set(sealed.map((s) => parseEnvelope(s).dataKeyId)).size).toBe(1);
    for (const [n, s] of sealed.entries()) {
      const text = `${Math.floor(n / 3)}.${n % 3}`;
      expect((await replicas[(n + 1) % 6]!.decrypt(tenant, s, 'c')).toString()).toBe(text);
    }
  });

  it('an unknown tenant gets a clear error; deleting a tenant shreds its keys', async () => {
    const k = keyring('aes', { cacheSize: 0 });
    expect((await failure(k.encrypt('ten_nobody', Buffer.from('x'), 'c'))).code).toBe(
      'unknown_tenant',
    );
    const [tenant] = (await state.tenants(1)) as [string];
    const sealed = await k.encryptJson(tenant, credentials, 'binding:bnd_9');
    await state.db.deleteFrom('tenants').where('id', '=', tenant).execute();
    expect((await failure(k.decrypt(tenant, sealed, 'binding:bnd_9'))).code).toBe(
      'unknown_data_key',
    );
  });
});
