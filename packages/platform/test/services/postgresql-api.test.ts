import { APIError, type Zhengwu } from '@zhengwu/sdk';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName } from '../../src/brokers/broker';
import { PostgresBroker } from '../../src/brokers/postgresql';
import { SERVERS, serverAvailable } from '../brokers/servers';
import { startTestPlatform, type TestPlatform } from '../harness';
import { insertToken } from '../tokens-fixture';
import { TcpProxy } from './tcp-proxy';

/**
 * Instances and bindings end to end through the API, on this machine's PostgreSQL behind a
 * proxy (to take the engine down mid-way): two tenants, real credentials, `pg` as the client.
 */
const available = await serverAvailable('PostgreSQL', SERVERS.postgresql, 5432);
const admin_url = new URL(SERVERS.postgresql);

let platform: TestPlatform;
let proxy: TcpProxy;
let admin: Zhengwu;
let devA: Zhengwu;
let devB: Zhengwu;
let tenantA: string;
let tenantB: string;
/** The proxied admin URL the platform's broker uses. */
let poolUrl: string;

async function refusal(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    if (error instanceof APIError) return { status: error.status, code: error.code };
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Connects with nothing but the binding's URI, as an app would. */
async function connectWith(uri: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: uri, connectionTimeoutMillis: 5000 });
  await client.connect();
  return client;
}

async function connectError(uri: string): Promise<string> {
  try {
    const c = await connectWith(uri);
    await c.end();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the connection to be refused');
}

async function provision(client: Zhengwu, tenantId: string, name: string) {
  const created = await client.instances.create({
    tenantId,
    name,
    service: 'postgresql',
    plan: 'dev',
  });
  return client.instances.waitUntilReady(created.id, { maxWaitTime: 30_000 });
}

async function bind(client: Zhengwu, instanceId: string, name: string) {
  const binding = await client.bindings.create({ instanceId, name });
  await client.bindings.waitUntilReady(binding.id, { maxWaitTime: 30_000 });
  const { credentials } = await client.bindings.credentials<'postgresql'>(binding.id);
  return { binding, credentials };
}

describe.runIf(available)('PostgreSQL instances through the API', () => {
  beforeAll(async () => {
    proxy = await new TcpProxy(admin_url.hostname, Number(admin_url.port || 5432)).start();
    const url = new URL(SERVERS.postgresql);
    url.port = String(proxy.port);
    poolUrl = url.href;
    platform = await startTestPlatform(
      {},
      {
        brokers: [
          new PostgresBroker({
            adminUrl: poolUrl,
            pool: 'postgresql-test',
            // Apps reach the server directly, not through the test's proxy.
            publicHost: admin_url.hostname,
            publicPort: Number(admin_url.port || 5432),
          }),
        ],
        operations: { pollMs: 50, backoff: { baseMs: 100, maxMs: 300, jitter: false } },
      },
    );
    admin = platform.admin;
    const text = { zh: '测试', en: 'test' };
    tenantA = (
      await admin.tenants.create({
        parentId: null,
        name: 'svc-a',
        displayName: text,
        level: 'province',
      })
    ).id;
    tenantB = (
      await admin.tenants.create({
        parentId: null,
        name: 'svc-b',
        displayName: text,
        level: 'province',
      })
    ).id;
    devA = platform.clientWith(await insertToken(platform.db, tenantA, 'developer'));
    devB = platform.clientWith(await insertToken(platform.db, tenantB, 'developer'));
  }, 60_000);

  afterAll(async () => {
    await platform?.close();
    await proxy?.close();
  });

  it('provisions, binds, isolates tenants, rotates and deprovisions with real credentials', async () => {
    const a = await provision(devA, tenantA, 'orders');
    expect(a).toMatchObject({ state: 'ready', pool: 'postgresql-test', tenantId: tenantA });
    const b = await provision(devB, tenantB, 'orders');

    const { binding: bindingA, credentials: credsA } = await bind(devA, a.id, 'app');
    const { credentials: credsB } = await bind(devB, b.id, 'app');
    expect(credsA.database).toBe(engineName(a.id));

    // A writes and reads its own data with nothing but the URI.
    const clientA = await connectWith(credsA.uri);
    await clientA.query('CREATE TABLE cases (id serial PRIMARY KEY, title text)');
    await clientA.query("INSERT INTO cases (title) VALUES ('营业执照申请')");
    expect((await clientA.query('SELECT title FROM cases')).rows).toEqual([
      { title: '营业执照申请' },
    ]);
    await clientA.end();

    // B's credentials do not open A's database.
    const foreign = new URL(credsB.uri);
    foreign.pathname = `/${credsA.database}`;
    expect(await connectError(foreign.href)).toMatch(
      /permission denied|not permitted|does not exist/i,
    );
    // And B cannot even see A's instance or binding: 404, and absent from lists.
    expect(await refusal(devB.instances.retrieve(a.id))).toEqual({
      status: 404,
      code: 'not_found',
    });
    expect(await refusal(devB.bindings.credentials(bindingA.id))).toEqual({
      status: 404,
      code: 'not_found',
    });
    // Every read of secrets is audited, the refused one too.
    const reads = await platform.db
      .selectFrom('audit_events')
      .select(['outcome', 'reason'])
      .where('action', '=', 'binding.credentials.read')
      .where(sql<boolean>`target->>'id' = ${bindingA.id}`)
      .orderBy('sequence')
      .execute();
    expect(reads).toEqual([
      { outcome: 'success', reason: null },
      { outcome: 'denied', reason: 'not_found' },
    ]);
    const listedByB = await devB.instances.list();
    expect(listedByB.data.map((i) => i.id)).toEqual([b.id]);

    // Rotation: v2 works and sees v1's data; v1 stops working.
    await devA.bindings.rotate(bindingA.id, { gracePeriodSeconds: 0 });
    const rotated = await devA.bindings.waitUntilReady(bindingA.id, { maxWaitTime: 30_000 });
    expect(rotated.credentialsVersion).toBe(2);
    const op = await devA.operations.waitUntilDone(rotated.lastOperation!.id, {
      maxWaitTime: 30_000,
    });
    expect(op.state).toBe('succeeded');
    const { credentials: credsA2, version } = await devA.bindings.credentials<'postgresql'>(
      bindingA.id,
    );
    expect(version).toBe(2);
    expect(credsA2.username).not.toBe(credsA.username);
    expect(await connectError(credsA.uri)).toMatch(
      /password authentication failed|does not exist/i,
    );
    const clientA2 = await connectWith(credsA2.uri);
    expect((await clientA2.query('SELECT count(*)::int AS n FROM cases')).rows[0].n).toBe(1);
    await clientA2.end();

    // Usage comes from the engine.
    const usage = await devA.instances.usage(a.id);
    expect(usage.storageMb).toBeGreaterThan(0);

    // Bindings keep an instance: 409, unless forced.
    expect(await refusal(devA.instances.delete(a.id))).toEqual({ status: 409, code: 'not_empty' });
    const { data: deleting } = await devA.raw.DELETE('/v1/instances/{instanceId}', {
      params: { path: { instanceId: a.id }, query: { force: true } },
    });
    expect(deleting?.state).toBe('deprovisioning');
    await devA.instances.waitUntilDeleted(a.id, { maxWaitTime: 30_000 });
    expect(await connectError(credsA2.uri)).toMatch(
      /does not exist|password authentication failed/i,
    );
    const engine = new pg.Client({ connectionString: SERVERS.postgresql });
    await engine.connect();
    const left = await engine.query(
      'SELECT datname FROM pg_database WHERE datname = $1 UNION ALL SELECT rolname FROM pg_roles WHERE rolname LIKE $2',
      [engineName(a.id), `${engineName(bindingA.id)}%`],
    );
    await engine.end();
    expect(left.rows).toEqual([]);
    // Deleting again is harmless: the same answer, no new operation.
    const again = await devA.instances.delete(a.id, { force: true });
    expect(again.state).toBe('deleted');
    expect(again.lastOperation?.id).toBe(deleting?.lastOperation?.id);

    await devB.instances.delete(b.id).catch(() => undefined);
    const { data: bForced } = await devB.raw.DELETE('/v1/instances/{instanceId}', {
      params: { path: { instanceId: b.id }, query: { force: true } },
    });
    expect(bForced?.state).toBe('deprovisioning');
    await devB.instances.waitUntilDeleted(b.id, { maxWaitTime: 30_000 });
  }, 120_000);

  it('lists a service without a configured pool as unavailable, with the reason', async () => {
    const { data } = await devA.catalog.services.list();
    const byId = new Map(data.map((s) => [s.id, s]));
    expect(byId.get('postgresql')).toMatchObject({ available: true, unavailableReason: null });
    expect(byId.get('mysql')).toMatchObject({
      available: false,
      unavailableReason: { en: expect.stringMatching(/No engine pool is configured for mysql/) },
    });
    expect(
      await refusal(
        devA.instances.create({
          tenantId: tenantA,
          name: 'no-pool',
          service: 'mysql',
          plan: 'dev',
        }),
      ),
    ).toEqual({ status: 422, code: 'service_unavailable' });
  });

  it('refuses bad input with a clear problem and creates nothing', async () => {
    const before = (await admin.instances.list({ tenantId: tenantA })).data.length;
    expect(
      await refusal(
        devA.instances.create({
          tenantId: tenantA,
          name: 'bad-input',
          service: 'postgresql',
          plan: 'huge',
        } as never),
      ),
    ).toEqual({ status: 422, code: 'plan_not_found' });
    expect(
      await refusal(
        devA.instances.create({
          tenantId: tenantA,
          name: 'bad-input',
          service: 'oracle',
          plan: 'dev',
        } as never),
      ),
    ).toEqual({ status: 422, code: 'plan_not_found' });
    expect(
      await refusal(
        devA.instances.create({
          tenantId: tenantA,
          name: 'bad-input',
          service: 'postgresql',
          plan: 'dev',
          parameters: { extensions: ['not_an_extension'] },
        } as never),
      ),
    ).toEqual({ status: 422, code: 'validation_failed' });
    // Another tenant's id as the owner: the same answer as a tenant that does not exist.
    expect(
      await refusal(
        devA.instances.create({
          tenantId: tenantB,
          name: 'bad-input',
          service: 'postgresql',
          plan: 'dev',
        }),
      ),
    ).toEqual({ status: 422, code: 'validation_failed' });
    expect(
      await refusal(
        devA.instances.create({
          tenantId: 'ten_00000000000000000000',
          name: 'bad-input',
          service: 'postgresql',
          plan: 'dev',
        }),
      ),
    ).toEqual({ status: 422, code: 'validation_failed' });
    // Auditors read, never write.
    const auditor = platform.clientWith(await insertToken(platform.db, tenantA, 'auditor'));
    expect(
      await refusal(
        auditor.instances.create({
          tenantId: tenantA,
          name: 'bad-input',
          service: 'postgresql',
          plan: 'dev',
        }),
      ),
    ).toEqual({ status: 403, code: 'forbidden' });
    expect((await admin.instances.list({ tenantId: tenantA })).data.length).toBe(before);
  });

  it('enforces the quota and unique names', async () => {
    await admin.tenants.setQuota(tenantB, {
      instances: 1,
      apps: null,
      memoryMb: null,
      storageMb: null,
      replicas: null,
    });
    const one = await provision(devB, tenantB, 'only');
    expect(
      await refusal(
        devB.instances.create({
          tenantId: tenantB,
          name: 'only',
          service: 'postgresql',
          plan: 'dev',
        }),
      ),
    ).toEqual({ status: 422, code: 'quota_exceeded' });
    await admin.tenants.setQuota(tenantB, {
      instances: 5,
      apps: null,
      memoryMb: null,
      storageMb: null,
      replicas: null,
    });
    expect(
      await refusal(
        devB.instances.create({
          tenantId: tenantB,
          name: 'only',
          service: 'postgresql',
          plan: 'dev',
        }),
      ),
    ).toEqual({ status: 409, code: 'already_exists' });
    await devB.instances.delete(one.id);
    await devB.instances.waitUntilDeleted(one.id, { maxWaitTime: 30_000 });
    const usage = await admin.tenants.getUsage(tenantB);
    expect(usage.used.instances).toBe(0);
  }, 60_000);

  it('fails cleanly while the engine is down, and a retry succeeds once it is back', async () => {
    // Warm the health cache as "available", then take the engine away.
    const warm = await provision(devA, tenantA, 'warm');
    await devA.instances.delete(warm.id);
    await devA.instances.waitUntilDeleted(warm.id, { maxWaitTime: 30_000 });
    // The platform last saw the pool healthy; the engine goes away after the request is taken.
    const pools = platform.context.services.pools;
    pools.forgetHealth('postgresql-test');
    expect(await pools.serviceHealth('postgresql')).toEqual({ available: true });
    proxy.down();
    const created = await devA.instances.create({
      tenantId: tenantA,
      name: 'during-outage',
      service: 'postgresql',
      plan: 'dev',
    });
    await expect(
      devA.instances.waitUntilReady(created.id, { maxWaitTime: 30_000 }),
    ).rejects.toThrow(/failure state: failed/);
    const instance = await devA.instances.retrieve(created.id);
    expect(instance.state).toBe('failed');
    const op = await devA.operations.retrieve(instance.lastOperation!.id);
    expect(op.state).toBe('failed');
    expect(op.error?.code).toBe('unavailable');
    // Placement or the engine itself says so, depending on when the outage is noticed.
    expect(op.error?.detail).toMatch(/PostgreSQL pool 127.0.0.1:\d+ is (unavailable|unreachable)/);
    expect(op.error?.detail).not.toMatch(/@127\.0\.0\.1/);
    // Its quota is back.
    const usage = await admin.tenants.getUsage(tenantA);
    expect(usage.used.instances).toBe(0);

    // Once the platform knows the pool is down, a create is refused at once, creating nothing.
    pools.forgetHealth('postgresql-test');
    const refused = await refusal(
      devA.instances.create({
        tenantId: tenantA,
        name: 'refused',
        service: 'postgresql',
        plan: 'dev',
      }),
    );
    expect(refused).toEqual({ status: 422, code: 'service_unavailable' });

    proxy.up();
    pools.forgetHealth('postgresql-test');
    const retried = await provision(devA, tenantA, 'during-outage');
    expect(retried.state).toBe('ready');
    await devA.instances.delete(retried.id);
    await devA.instances.waitUntilDeleted(retried.id, { maxWaitTime: 30_000 });
    // Nothing of the failed one is left in the engine (its cleanup ran once the engine was back).
    const engine = new pg.Client({ connectionString: SERVERS.postgresql });
    await engine.connect();
    for (let i = 0; i < 100; i++) {
      const { rowCount } = await engine.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        engineName(created.id),
      ]);
      if (!rowCount) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const { rowCount } = await engine.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      engineName(created.id),
    ]);
    await engine.end();
    expect(rowCount).toBe(0);
  }, 90_000);
});
