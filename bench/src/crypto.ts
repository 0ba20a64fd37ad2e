/**
 * Credentials encryption at rest: encrypt + decrypt of a ~300-byte credentials object
 * through the keyring (data key cached, the steady state), in both modes, against the bare
 * cipher it wraps (same construction, no envelope, no key look-up) as the yardstick. Also
 * the cold paths that touch the state database: a tenant's first secret (new data key) and a
 * decrypt with no cached key (row read + unwrap), and master key rotation in keys/s.
 * The state database is embedded PostgreSQL in a temporary dir.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Db, migrate } from '../../packages/platform/src/db/database';
import { startEmbeddedDatabase } from '../../packages/platform/src/db/embedded';
import { Keyring, parseMasterKeys } from '../../packages/platform/src/secrets';
import {
  associatedData,
  CIPHERS,
  MODE_ALGORITHM,
} from '../../packages/platform/src/secrets/ciphers';

const OPS = Number(process.env.BENCH_CRYPTO_OPS ?? 20_000);
const ROUNDS = 7;

/** A binding's credentials, about 300 bytes of JSON. */
const credentials = {
  host: 'pg-1.pool.zw.gov.internal',
  port: 5432,
  database: 'ins_7Hq2kP9xLm3N4rT6vW8y',
  username: 'bnd_Q1w2E3r4T5y6U7i8O9p0',
  password: 'Zx9kP2mN4qR6tV8wY0aB3cD5',
  uri: 'postgresql://bnd_Q1w2E3r4T5y6U7i8O9p0:Zx9kP2mN4qR6tV8wY0aB3cD5@pg-1.pool.zw.gov.internal:5432/ins_7Hq2kP9xLm3N4rT6vW8y',
};

async function stateDatabase(): Promise<{ db: Db; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'zw-bench-crypto-'));
  const embedded = await startEmbeddedDatabase(dir);
  const db = connect(embedded.url);
  return {
    db,
    close: async () => {
      await db.destroy();
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function insertTenants(db: Db, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `ten_bench${String(i).padStart(15, '0')}`);
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .insertInto('tenants')
      .values(
        ids.slice(i, i + 500).map((id) => ({
          id,
          name: id,
          display_name: JSON.stringify({ zh: id, en: id }),
          parent_id: null,
          path: [id],
          level: 'province' as const,
          region_code: null,
          labels: JSON.stringify({}),
        })),
      )
      .execute();
  }
  return ids;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * µs per operation of each task, median over rounds; the tasks alternate round by round so
 * that drift in the machine's load hits them alike.
 */
async function perOp(tasks: (() => unknown)[], ops = OPS): Promise<number[]> {
  for (const task of tasks) for (let i = 0; i < Math.min(ops, 2000); i++) await task();
  const rounds: number[][] = tasks.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [t, task] of tasks.entries()) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < ops; i++) await task();
      rounds[t]!.push(Number(process.hrtime.bigint() - start) / 1000 / ops);
    }
  }
  return rounds.map(median);
}

const { db, close } = await stateDatabase();
try {
  await migrate(db);
  const mk1 = `mk1:${randomBytes(32).toString('hex')}`;
  const masterKeys = parseMasterKeys(mk1);
  const plaintextBytes = Buffer.byteLength(JSON.stringify(credentials));
  console.log(
    `credentials object: ${plaintextBytes} bytes of JSON; ${OPS} ops × ${ROUNDS} rounds\n`,
  );
  const tenants = await insertTenants(db, 1001);
  const [tenant] = tenants as [string];

  const rows: string[][] = [];
  for (const mode of ['aes', 'gm'] as const) {
    const algorithm = MODE_ALGORITHM[mode];
    const cipher = CIPHERS[algorithm];
    const keys = cipher.deriveKeys(randomBytes(32), 'bench');
    const aad = associatedData('zw1', algorithm, 'dk_bench', tenant, 'binding:bnd_1');
    const keyring = new Keyring(db, { masterKeys, mode });
    const [bare, enveloped] = (await perOp([
      () => {
        const sealed = cipher.seal(keys, Buffer.from(JSON.stringify(credentials)), aad);
        return JSON.parse(cipher.open(keys, sealed, aad).toString());
      },
      async () => {
        const sealed = await keyring.encryptJson(tenant, credentials, 'binding:bnd_1');
        return keyring.decryptJson(tenant, sealed, 'binding:bnd_1');
      },
    ])) as [number, number];
    const sealedLength = (await keyring.encryptJson(tenant, credentials, 'c')).length;
    rows.push([
      `${mode} (${algorithm})`,
      bare.toFixed(1),
      enveloped.toFixed(1),
      `${(enveloped / bare).toFixed(2)}×`,
      String(sealedLength),
    ]);
  }
  console.log('encrypt + decrypt, data key cached (µs/op, median of rounds)');
  console.table(
    rows.map(([mode, bare, keyring, ratio, length]) => ({
      mode,
      'bare cipher': bare,
      keyring,
      ratio,
      'stored chars': length,
    })),
  );

  // Cold paths: every call reads `data_keys` (no cache).
  const cold: Record<string, string> = {};
  for (const mode of ['aes', 'gm'] as const) {
    const first = new Keyring(db, { masterKeys, mode, cacheSize: 0 });
    const fresh = tenants.slice(1, 201);
    const start = performance.now();
    const sealed = [];
    for (const t of fresh) sealed.push(await first.encryptJson(t, credentials, 'c'));
    cold[`${mode}: first secret of a tenant (new data key), ms`] = (
      (performance.now() - start) /
      fresh.length
    ).toFixed(2);
    const t0 = performance.now();
    for (const [i, t] of fresh.entries()) await first.decryptJson(t, sealed[i]!, 'c');
    cold[`${mode}: decrypt, key not cached (row read + unwrap), ms`] = (
      (performance.now() - t0) /
      fresh.length
    ).toFixed(2);
  }
  // 1000 tenants × 2 algorithms of data keys, then rotate them all.
  for (const mode of ['aes', 'gm'] as const) {
    const k = new Keyring(db, { masterKeys, mode });
    for (const t of tenants.slice(201)) await k.encrypt(t, Buffer.from('x'), 'c');
  }
  const rotator = new Keyring(db, {
    masterKeys: parseMasterKeys(`mk2:${randomBytes(32).toString('hex')},${mk1}`),
  });
  const t0 = performance.now();
  const result = await rotator.rotateMasterKey();
  const seconds = (performance.now() - t0) / 1000;
  cold[`rotation: ${result.rewrapped} data keys re-wrapped, keys/s`] = (
    result.rewrapped / seconds
  ).toFixed(0);
  console.log('\ncold paths and rotation');
  console.table(cold);
} finally {
  await close();
}
