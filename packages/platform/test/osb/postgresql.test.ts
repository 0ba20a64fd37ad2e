import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName } from '../../src/brokers/broker';
import { PostgresBroker } from '../../src/brokers/postgresql';
import { SERVERS, serverAvailable } from '../brokers/servers';
import { startTestPlatform, type TestPlatform } from '../harness';
import {
  fetchCatalog,
  OSB_PASSWORD,
  OSB_USER,
  type Osb,
  originatingIdentity,
  osbClient,
  pick,
  pollLastOperation,
} from './client';
import { GatedBroker } from './gated-broker';

/**
 * The Open Service Broker API end to end, as Cloud Foundry drives it, on this machine's
 * PostgreSQL: provision → last_operation → fetch → update → bind → connect with `pg` →
 * unbind → deprovision, with the idempotency and refusal rules of the spec on the way.
 */
const available = await serverAvailable('PostgreSQL', SERVERS.postgresql, 5432);
const adminUrl = new URL(SERVERS.postgresql);

const ORG = '1113aa0-124e-4af2-1526-6bfacf61b111';
const CF_USER = originatingIdentity('cloudfoundry', {
  user_id: '683ea748-3092-4ff4-b656-39cacc4d5360',
});
const Q = { accepts_incomplete: 'true' };

let platform: TestPlatform;
let osb: Osb;
let gate: GatedBroker;
let tenantId: string;
let serviceId: string;
let plans: Record<string, string>;

const hints = (plan = 'dev') => ({ service_id: serviceId, plan_id: plans[plan]! });
const provisionBody = (extra: Record<string, unknown> = {}) => ({
  ...hints(),
  organization_guid: ORG,
  space_guid: 'space-guid-1',
  context: { platform: 'cloudfoundry', organization_guid: ORG, space_guid: 'space-guid-1' },
  ...extra,
});

async function engine<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVERS.postgresql });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function connectError(uri: string): Promise<string> {
  const client = new pg.Client({ connectionString: uri, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the connection to be refused');
}

/** Provisions through OSB and waits until it succeeded; returns our instance row. */
async function provisioned(osbId: string, extra: Record<string, unknown> = {}) {
  const res = await osb('PUT', `/service_instances/${osbId}`, {
    body: provisionBody(extra),
    query: Q,
    identity: CF_USER,
  });
  expect(res.status).toBe(202);
  const done = await pollLastOperation(osb, `/service_instances/${osbId}`, {
    operation: res.body.operation,
  });
  expect(done.body.state).toBe('succeeded');
  return instanceOf(osbId);
}

async function instanceOf(osbId: string) {
  return platform.db
    .selectFrom('osb_instances as o')
    .innerJoin('instances as i', 'i.id', 'o.instance_id')
    .selectAll('i')
    .where('o.osb_id', '=', osbId)
    .executeTakeFirstOrThrow();
}

async function deprovisioned(osbId: string, plan = 'dev') {
  const res = await osb('DELETE', `/service_instances/${osbId}`, {
    query: { ...hints(plan), ...Q },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const done = await pollLastOperation(osb, `/service_instances/${osbId}`, {
    operation: res.body.operation,
  });
  expect(done.status, JSON.stringify(done.body)).toBe(410);
}

describe.runIf(available)('Open Service Broker API on PostgreSQL', () => {
  beforeAll(async () => {
    gate = new GatedBroker(
      new PostgresBroker({
        adminUrl: SERVERS.postgresql,
        pool: 'postgresql-osb',
        publicHost: adminUrl.hostname,
        publicPort: Number(adminUrl.port || 5432),
      }),
    );
    platform = await startTestPlatform(
      { ZW_OSB_USERNAME: OSB_USER, ZW_OSB_PASSWORD: OSB_PASSWORD },
      {
        brokers: [gate],
        operations: { pollMs: 50, backoff: { baseMs: 100, maxMs: 300, jitter: false } },
      },
    );
    osb = osbClient(platform.url);
    tenantId = (
      await platform.admin.tenants.create({
        parentId: null,
        name: 'osb-pg',
        displayName: { zh: 'OSB 测试', en: 'OSB test' },
        level: 'province',
        labels: { 'osb/organization-guid': ORG },
      })
    ).id;
    const { service } = pick(await fetchCatalog(osb), 'postgresql');
    expect(service.metadata.available).toBe(true);
    serviceId = service.id;
    plans = Object.fromEntries(service.plans.map((p) => [p.name, p.id]));
  }, 60_000);

  afterAll(async () => {
    if (!platform) return;
    // Nothing of this suite is left in the engine, whatever a failed test left behind: held
    // operations are let through, then every instance of every tenant is removed.
    gate.openAll();
    const settled = async (id: string) => {
      for (let i = 0; i < 300; i++) {
        const { state } = await platform.admin.instances.retrieve(id);
        if (!['provisioning', 'updating'].includes(state)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const { data } = await platform.admin.instances.list({ limit: 100 });
    for (const instance of data) {
      await settled(instance.id);
      await platform.admin.raw.DELETE('/v1/instances/{instanceId}', {
        params: { path: { instanceId: instance.id }, query: { force: true } },
      });
      await platform.admin.instances
        .waitUntilDeleted(instance.id, { maxWaitTime: 30_000 })
        .catch(() => {});
    }
    await platform.close();
  }, 90_000);

  it('provisions asynchronously: 202 + operation, in progress, idempotent repeats, then succeeded', async () => {
    const release = gate.hold('provision');
    const put = () =>
      osb('PUT', '/service_instances/cf-1', { body: provisionBody(), query: Q, identity: CF_USER });
    const first = await put();
    expect(first.status).toBe(202);
    expect(first.body.operation).toMatch(/^op_/);
    expect(first.body.metadata.labels['zhengwu.gov.cn/tenant-id']).toBe(tenantId);

    const polling = await osb('GET', '/service_instances/cf-1/last_operation', {
      query: { ...hints(), operation: first.body.operation },
    });
    expect(polling.status).toBe(200);
    expect(polling.body).toMatchObject({
      state: 'in progress',
      description: expect.stringMatching(/·/),
    });
    expect(polling.headers.get('retry-after')).toBe('2');
    // Still being provisioned: fetching it is 404, a re-sent PUT is 202 with the same operation,
    // other attributes are 409, and a DELETE is refused as a concurrent operation.
    expect((await osb('GET', '/service_instances/cf-1')).status).toBe(404);
    const again = await put();
    expect(again.status).toBe(202);
    expect(again.body.operation).toBe(first.body.operation);
    const withoutAsync = await osb('PUT', '/service_instances/cf-1', { body: provisionBody() });
    expect(withoutAsync.status).toBe(422);
    expect(withoutAsync.body.error).toBe('AsyncRequired');
    const other = await osb('PUT', '/service_instances/cf-1', {
      body: provisionBody({ parameters: { extensions: ['pg_trgm'] } }),
      query: Q,
    });
    expect(other.status).toBe(409);
    const deleting = await osb('DELETE', '/service_instances/cf-1', {
      query: { ...hints(), ...Q },
    });
    expect(deleting.status).toBe(422);
    expect(deleting.body.error).toBe('ConcurrencyError');

    release();
    const done = await pollLastOperation(osb, '/service_instances/cf-1', {
      operation: first.body.operation,
    });
    expect(done.body).toEqual({
      state: 'succeeded',
      description: expect.stringMatching(/已开通 · .*provisioned/),
    });

    const instance = await instanceOf('cf-1');
    expect(instance).toMatchObject({
      state: 'ready',
      tenant_id: tenantId,
      plan: 'dev',
      pool: 'postgresql-osb',
    });
    const exists = await engine((c) =>
      c.query('SELECT 1 FROM pg_database WHERE datname = $1', [engineName(instance.id)]),
    );
    expect(exists.rowCount).toBe(1);

    // Done: the same PUT is 200; different attributes still 409.
    const repeat = await put();
    expect(repeat.status).toBe(200);
    const otherPlan = await osb('PUT', '/service_instances/cf-1', {
      body: provisionBody(hints('s')),
      query: Q,
    });
    expect(otherPlan.status).toBe(409);
    expect(otherPlan.body.error).toBe('Conflict');

    // The provisioning is audited as osb.provision, by the platform's user.
    const event = await platform.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'osb.provision')
      .where('outcome', '=', 'success')
      .where('target', '=', JSON.stringify({ type: 'instance', id: instance.id }) as never)
      .orderBy('sequence')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      tenant_id: tenantId,
      principal: {
        type: 'system',
        id: `osb:${OSB_USER}`,
        name: 'cloudfoundry user_id=683ea748-3092-4ff4-b656-39cacc4d5360',
      },
    });
  }, 60_000);

  it('fetches the instance with fields limited to the requested version', async () => {
    const v14 = await osb('GET', '/service_instances/cf-1', { version: '2.14' });
    expect(v14.status).toBe(200);
    expect(v14.body).toEqual({ service_id: serviceId, plan_id: plans.dev, parameters: {} });
    const v17 = await osb('GET', '/service_instances/cf-1', { version: '2.17' });
    expect(v17.body).toMatchObject({
      service_id: serviceId,
      plan_id: plans.dev,
      maintenance_info: { version: expect.any(String) },
      metadata: { labels: { 'zhengwu.gov.cn/tenant-id': tenantId } },
    });
    // Provision responses carry metadata from 2.16 only.
    const v15 = await osb('PUT', '/service_instances/cf-1', {
      body: provisionBody(),
      query: Q,
      version: '2.15',
    });
    expect(v15.status).toBe(200);
    expect(v15.body).toEqual({});
  });

  it('updates the plan asynchronously and the engine applies the new limits', async () => {
    const patch = (query: Record<string, string> = Q) =>
      osb('PATCH', '/service_instances/cf-1', {
        body: { service_id: serviceId, plan_id: plans.s, previous_values: { plan_id: plans.dev } },
        query,
        identity: CF_USER,
      });
    expect((await patch({})).body.error).toBe('AsyncRequired');
    const release = gate.hold('update');
    const res = await patch();
    expect(res.status).toBe(202);
    // While it runs: a re-sent PATCH is 202 with the same operation, another change and a
    // fetch are refused as concurrent (422 ConcurrencyError).
    const resent = await patch();
    expect(resent.status).toBe(202);
    expect(resent.body.operation).toBe(res.body.operation);
    const another = await osb('PATCH', '/service_instances/cf-1', {
      body: { service_id: serviceId, plan_id: plans.m },
      query: Q,
    });
    expect(another.status).toBe(422);
    expect(another.body.error).toBe('ConcurrencyError');
    const fetching = await osb('GET', '/service_instances/cf-1');
    expect(fetching.status).toBe(422);
    expect(fetching.body.error).toBe('ConcurrencyError');
    const running = await osb('GET', '/service_instances/cf-1/last_operation', {
      query: { operation: res.body.operation },
    });
    expect(running.body.state).toBe('in progress');
    release();
    const done = await pollLastOperation(osb, '/service_instances/cf-1', {
      operation: res.body.operation,
      plan_id: plans.dev!,
    });
    expect(done.body.state).toBe('succeeded');
    const fetched = await osb('GET', '/service_instances/cf-1');
    expect(fetched.body.plan_id).toBe(plans.s);
    const instance = await instanceOf('cf-1');
    const limit = await engine((c) =>
      c.query('SELECT datconnlimit FROM pg_database WHERE datname = $1', [engineName(instance.id)]),
    );
    expect(limit.rows[0].datconnlimit).toBe(100);
    // Nothing to change: 200 {} at once, also without accepts_incomplete.
    const noop = await osb('PATCH', '/service_instances/cf-1', {
      body: { service_id: serviceId, plan_id: plans.s },
      version: '2.15',
    });
    expect(noop.status).toBe(200);
    expect(noop.body).toEqual({});
    // Bad parameters: 400 and nothing changes.
    const bad = await osb('PATCH', '/service_instances/cf-1', {
      body: { service_id: serviceId, parameters: { extensions: ['no_such_ext'] } },
      query: Q,
    });
    expect(bad.status).toBe(400);
    expect((await instanceOf('cf-1')).state).toBe('ready');
  }, 60_000);

  it('binds asynchronously: 202, last_operation, then GET returns credentials that connect', async () => {
    const path = '/service_instances/cf-1/service_bindings/app-binding-1';
    const body = { ...hints('s'), bind_resource: { app_guid: 'app-guid-1' } };
    const res = await osb('PUT', path, { body, query: Q, identity: CF_USER });
    expect(res.status).toBe(202);
    expect(res.body).not.toHaveProperty('credentials');
    const done = await pollLastOperation(osb, path, { operation: res.body.operation });
    expect(done.body).toMatchObject({ state: 'succeeded' });
    const fetched = await osb('GET', path);
    expect(fetched.status).toBe(200);
    const { credentials, endpoints, parameters } = fetched.body;
    expect(parameters).toEqual({ readOnly: false });
    expect(endpoints).toEqual([
      { host: credentials.host, ports: [String(credentials.port)], protocol: 'tcp' },
    ]);

    const client = new pg.Client({ connectionString: credentials.uri });
    await client.connect();
    await client.query('CREATE TABLE permits (id serial PRIMARY KEY, holder text)');
    await client.query("INSERT INTO permits (holder) VALUES ('张三')");
    expect((await client.query('SELECT holder FROM permits')).rows).toEqual([{ holder: '张三' }]);
    await client.end();

    // Repeats: same → 200 with the credentials; different parameters → 409.
    const repeat = await osb('PUT', path, { body, query: Q });
    expect(repeat.status).toBe(200);
    expect(repeat.body.credentials.username).toBe(credentials.username);
    const other = await osb('PUT', path, {
      body: { ...body, parameters: { readOnly: true } },
      query: Q,
    });
    expect(other.status).toBe(409);

    // Reading credentials is audited, never with the secret in it.
    const reads = await platform.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'binding.credentials.read')
      .execute();
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(reads)).not.toContain(credentials.password);

    // Deprovisioning with a binding left: refused, the instance untouched.
    const refused = await osb('DELETE', '/service_instances/cf-1', {
      query: { ...hints('s'), ...Q },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toBe('BindingsExist');
    expect((await instanceOf('cf-1')).state).toBe('ready');

    // Unbind asynchronously: 202, then last_operation says 410 Gone; the login no longer works.
    const unbind = await osb('DELETE', path, { query: { ...hints('s'), ...Q } });
    expect(unbind.status).toBe(202);
    const unbound = await pollLastOperation(osb, path, { operation: unbind.body.operation });
    expect(unbound.status).toBe(410);
    expect(await connectError(credentials.uri)).toMatch(
      /password authentication failed|does not exist/,
    );
    expect((await osb('DELETE', path, { query: hints('s') })).status).toBe(410);
    expect((await osb('GET', path)).status).toBe(404);
  }, 60_000);

  it('binds synchronously without accepts_incomplete (and always on 2.13), and rotates on 2.17', async () => {
    const sync = await osb('PUT', '/service_instances/cf-1/service_bindings/key-1', {
      body: hints('s'),
    });
    expect(sync.status).toBe(201);
    const c1 = new pg.Client({ connectionString: sync.body.credentials.uri });
    await c1.connect();
    expect((await c1.query('SELECT count(*)::int AS n FROM permits')).rows[0].n).toBe(1);
    await c1.end();
    // 2.13 has no asynchronous bindings: 201 even with accepts_incomplete, and no endpoints (2.15+).
    const old = await osb('PUT', '/service_instances/cf-1/service_bindings/key-213', {
      body: hints('s'),
      query: Q,
      version: '2.13',
    });
    expect(old.status).toBe(201);
    expect(old.body).not.toHaveProperty('endpoints');
    expect(old.body.credentials.username).not.toBe(sync.body.credentials.username);

    // Rotation: a successor binding with the predecessor's parameters; both work until unbound.
    const rotated = await osb('PUT', '/service_instances/cf-1/service_bindings/key-1-next', {
      body: { predecessor_binding_id: 'key-1' },
    });
    expect(rotated.status).toBe(201);
    const unknownPredecessor = await osb('PUT', '/service_instances/cf-1/service_bindings/key-x', {
      body: { predecessor_binding_id: 'nope' },
    });
    expect(unknownPredecessor.status).toBe(400);
    for (const uri of [sync.body.credentials.uri, rotated.body.credentials.uri]) {
      const c = new pg.Client({ connectionString: uri });
      await c.connect();
      await c.query('SELECT 1');
      await c.end();
    }
    // Synchronous unbinds: 200 {}.
    for (const id of ['key-1', 'key-213', 'key-1-next']) {
      const res = await osb('DELETE', `/service_instances/cf-1/service_bindings/${id}`, {
        query: hints('s'),
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({});
    }
    expect(await connectError(rotated.body.credentials.uri)).toMatch(
      /password authentication failed|does not exist/,
    );
  }, 60_000);

  it('deprovisions: 202, last_operation 410 Gone, engine objects removed, repeats 410', async () => {
    const instance = await instanceOf('cf-1');
    await deprovisioned('cf-1', 's');
    expect(
      (await osb('DELETE', '/service_instances/cf-1', { query: { ...hints('s'), ...Q } })).status,
    ).toBe(410);
    expect((await osb('GET', '/service_instances/cf-1')).status).toBe(404);
    const left = await engine((c) =>
      c.query(
        'SELECT datname FROM pg_database WHERE datname = $1 UNION ALL SELECT rolname FROM pg_roles WHERE rolname LIKE $2',
        [engineName(instance.id), `${engineName(instance.id)}%`],
      ),
    );
    expect(left.rows).toEqual([]);
    const events = await platform.db
      .selectFrom('audit_events')
      .select(['action', 'outcome'])
      .where('action', 'in', ['osb.bind', 'osb.unbind', 'osb.update', 'osb.deprovision'])
      .where('outcome', '=', 'success')
      .execute();
    expect(new Set(events.map((e) => e.action))).toEqual(
      new Set(['osb.bind', 'osb.unbind', 'osb.update', 'osb.deprovision']),
    );
  }, 60_000);

  it('concurrent PUTs of one id make one instance and share its operation', async () => {
    const puts = await Promise.all(
      Array.from({ length: 6 }, () =>
        osb('PUT', '/service_instances/cf-race', { body: provisionBody(), query: Q }),
      ),
    );
    // While the first one's provisioning runs, each answers 202 with its operation; a PUT
    // that arrives once it has finished gets 200 (OSB: identical, fully provisioned).
    const accepted = puts.filter((r) => r.status === 202);
    expect(puts.filter((r) => r.status !== 202).map((r) => r.status)).toEqual(
      Array(6 - accepted.length).fill(200),
    );
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(new Set(accepted.map((r) => r.body.operation)).size).toBe(1);
    const made = await platform.db
      .selectFrom('instances')
      .select('id')
      .where('name', 'like', 'osb-cf-race-%')
      .execute();
    expect(made.length).toBe(1);
    const provisioned = await pollLastOperation(osb, '/service_instances/cf-race', {
      operation: accepted[0]!.body.operation,
    });
    expect(provisioned.body.state, JSON.stringify(provisioned.body)).toBe('succeeded');
    await deprovisioned('cf-race');
  }, 60_000);

  it('concurrent PUTs of one id for two tenants: one instance, the others 409', async () => {
    const otherOrg = '2224bb1-124e-4af2-1526-6bfacf61b222';
    await platform.admin.tenants.create({
      parentId: null,
      name: 'osb-pg-other',
      displayName: { zh: '另一租户', en: 'other tenant' },
      level: 'province',
      labels: { 'osb/organization-guid': otherOrg },
    });
    const puts = await Promise.all(
      [ORG, otherOrg, ORG, otherOrg, ORG, otherOrg].map((org) =>
        osb('PUT', '/service_instances/cf-race-2', {
          body: provisionBody({ organization_guid: org, context: undefined }),
          query: Q,
        }),
      ),
    );
    const won = puts.filter((r) => r.status === 202);
    expect(won.length).toBe(3);
    expect(new Set(won.map((r) => r.body.operation)).size).toBe(1);
    expect(puts.filter((r) => r.status === 409).length).toBe(3);
    const made = await platform.db
      .selectFrom('instances')
      .select('id')
      .where('name', 'like', 'osb-cf-race-2-%')
      .execute();
    expect(made.length).toBe(1);
    await pollLastOperation(osb, '/service_instances/cf-race-2', {
      operation: won[0]!.body.operation,
    });
    await deprovisioned('cf-race-2');
  }, 60_000);

  it('a platform may reuse the id of a deleted instance: it names a new instance', async () => {
    const before = await instanceOf('cf-1');
    const again = await provisioned('cf-1');
    expect(again.id).not.toBe(before.id);
    await deprovisioned('cf-1');
  }, 60_000);
});
