import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { uuidV5 } from '../../src/osb/ids';
import { startTestPlatform, type TestPlatform } from '../harness';
import {
  fetchCatalog,
  OSB_PASSWORD,
  OSB_USER,
  type Osb,
  originatingIdentity,
  osbClient,
  pick,
} from './client';

/**
 * Open Service Broker API rules that need no engine: authentication, the version header,
 * the catalog, the originating identity, and the refusals that come before any engine work.
 * One test per rule of the spec (v2.17, answering 2.13–2.17).
 */

const FAILURES_PER_MINUTE = 6;
const POSTGRESQL_SERVICE_ID = '8f7b036e-1faa-5587-a47f-3845c1dd9965';
const POSTGRESQL_DEV_PLAN_ID = '1af21e18-b23a-5c3b-93ee-5296eeda73ec';
const GUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let platform: TestPlatform;
let osb: Osb;
let tenantId: string;
const ORG = 'c1a2b3c4-0000-4000-8000-00000000a0a0';

const provisionBody = (extra: Record<string, unknown> = {}) => ({
  service_id: POSTGRESQL_SERVICE_ID,
  plan_id: POSTGRESQL_DEV_PLAN_ID,
  organization_guid: ORG,
  space_guid: 'space-1',
  ...extra,
});

async function auditEvents(action: string) {
  return platform.db
    .selectFrom('audit_events')
    .selectAll()
    .where('action', '=', action)
    .orderBy('sequence')
    .execute();
}

beforeAll(async () => {
  platform = await startTestPlatform({
    ZW_OSB_USERNAME: OSB_USER,
    ZW_OSB_PASSWORD: OSB_PASSWORD,
    ZW_AUTH_FAILURES_PER_MINUTE: String(FAILURES_PER_MINUTE),
  });
  osb = osbClient(platform.url);
  const tenant = await platform.admin.tenants.create({
    parentId: null,
    name: 'osb-protocol',
    displayName: { zh: '协议', en: 'protocol' },
    level: 'province',
    labels: { 'osb/organization-guid': ORG },
  });
  tenantId = tenant.id;
}, 60_000);

afterAll(async () => {
  await platform?.close();
});

describe('catalog ids', () => {
  it('are RFC 9562 version-5 UUIDs (checked against a published vector)', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
  });
});

describe('configuration', () => {
  it('takes both OSB variables or neither, a Basic-safe username and a long password', () => {
    expect(loadConfig({}).osb).toBeUndefined();
    expect(loadConfig({ ZW_OSB_USERNAME: 'cf', ZW_OSB_PASSWORD: 'x'.repeat(16) }).osb).toEqual({
      username: 'cf',
      password: 'x'.repeat(16),
    });
    expect(() => loadConfig({ ZW_OSB_USERNAME: 'cf' })).toThrow(ConfigError);
    expect(() => loadConfig({ ZW_OSB_PASSWORD: 'x'.repeat(16) })).toThrow(ConfigError);
    expect(() => loadConfig({ ZW_OSB_USERNAME: 'c:f', ZW_OSB_PASSWORD: 'x'.repeat(16) })).toThrow(
      /ZW_OSB_USERNAME/,
    );
    expect(() => loadConfig({ ZW_OSB_USERNAME: 'cf', ZW_OSB_PASSWORD: 'short' })).toThrow(
      /at least 16/,
    );
  });
});

describe('authentication (HTTP Basic)', () => {
  it('answers 401 with WWW-Authenticate: Basic without credentials, and audits it', async () => {
    const before = (await auditEvents('auth.failure')).length;
    const res = await osb('GET', '/catalog', { auth: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="zhengwu"');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      error: 'Unauthorized',
      description: expect.stringMatching(/·.*Basic/),
    });
    const events = await auditEvents('auth.failure');
    expect(events.length).toBe(before + 1);
    expect(events.at(-1)).toMatchObject({
      outcome: 'denied',
      reason: 'osb_unauthenticated',
      principal: { type: 'anonymous', id: null, name: null },
      request_id: res.headers.get('x-request-id'),
    });
  });

  it('answers 401 for a wrong password or a wrong username', async () => {
    expect(
      (await osb('GET', '/catalog', { auth: { user: OSB_USER, password: `${OSB_PASSWORD}x` } }))
        .status,
    ).toBe(401);
    expect(
      (await osb('GET', '/catalog', { auth: { user: 'someone', password: OSB_PASSWORD } })).status,
    ).toBe(401);
    // A platform token is not a broker credential.
    const bearer = await osb('GET', '/catalog', {
      auth: null,
      headers: { authorization: `Bearer ${platform.adminToken}` },
    });
    expect(bearer.status).toBe(401);
  });

  it('checks authentication before the version header', async () => {
    const res = await osb('GET', '/catalog', { auth: null, version: null });
    expect(res.status).toBe(401);
  });
});

describe('X-Broker-API-Version', () => {
  it('answers 412 when it is missing', async () => {
    const res = await osb('GET', '/catalog', { version: null });
    expect(res.status).toBe(412);
    expect(res.body.error).toBe('PreconditionFailed');
    expect(res.body.description).toMatch(/2\.13.*2\.17/);
  });

  it.each(['2.12', '2.18', '3.0', '1.17', 'two', ''])('answers 412 for %j', async (version) => {
    expect((await osb('GET', '/catalog', { version })).status).toBe(412);
  });

  it.each(['2.13', '2.14', '2.15', '2.16', '2.17'])('accepts %s', async (version) => {
    expect((await osb('GET', '/catalog', { version })).status).toBe(200);
  });

  it('refuses a mutating call before reading its body, and audits the refusal', async () => {
    const res = await osb('PUT', '/service_instances/v412', { version: '2.12', body: 'not json' });
    expect(res.status).toBe(412);
    const event = (await auditEvents('osb.provision')).at(-1);
    expect(event).toMatchObject({
      outcome: 'failure',
      reason: 'PreconditionFailed',
      target: { type: 'osb-instance', id: 'v412' },
      principal: { type: 'system', id: `osb:${OSB_USER}` },
    });
  });

  it('echoes X-Broker-API-Request-Identity', async () => {
    const res = await osb('GET', '/catalog', {
      headers: { 'x-broker-api-request-identity': 'req-42' },
    });
    expect(res.headers.get('x-broker-api-request-identity')).toBe('req-42');
  });
});

describe('GET /v2/catalog', () => {
  it('lists every catalog service with stable GUIDs, unique CLI-friendly names and plans', async () => {
    const services = await fetchCatalog(osb);
    const second = await fetchCatalog(osb);
    expect(services.map((s) => s.name).sort()).toEqual([
      'mqtt',
      'mysql',
      'object-storage',
      'postgresql',
      'rabbitmq',
      'redis',
    ]);
    // Ids never change across fetches (nor releases: pinned here).
    expect(second.map((s) => s.id)).toEqual(services.map((s) => s.id));
    const { service: pg, plan: dev } = pick(services, 'postgresql', 'dev');
    expect(pg.id).toBe(POSTGRESQL_SERVICE_ID);
    expect(dev.id).toBe(POSTGRESQL_DEV_PLAN_ID);
    const planIds = new Set<string>();
    for (const s of services) {
      expect(s.id).toMatch(GUID_V5);
      expect(s.name).toMatch(/^[a-zA-Z0-9.-]+$/);
      expect(s.description.length).toBeGreaterThan(0);
      expect(s.description.length).toBeLessThanOrEqual(255);
      expect(typeof s.bindable).toBe('boolean');
      expect(s.plans.length).toBeGreaterThan(0);
      expect(new Set(s.plans.map((p) => p.name)).size).toBe(s.plans.length);
      for (const p of s.plans) {
        expect(p.id).toMatch(GUID_V5);
        expect(planIds.has(p.id)).toBe(false);
        planIds.add(p.id);
        expect(p.description.length).toBeGreaterThan(0);
        expect(typeof p.free).toBe('boolean');
        const schemas = [
          p.schemas.service_instance.create.parameters,
          p.schemas.service_instance.update.parameters,
          ...(s.bindable ? [p.schemas.service_binding?.create.parameters] : []),
        ];
        for (const schema of schemas) {
          expect(typeof schema?.$schema).toBe('string');
          expect(JSON.stringify(schema).length).toBeLessThan(64 * 1024);
          expect(JSON.stringify(schema)).not.toMatch(/"\$ref":"(?!#)/);
        }
      }
    }
    expect(dev.free).toBe(true);
    expect(pick(services, 'postgresql', 's').plan.metadata.costs).toEqual([
      { amount: { cny: 0.35 }, unit: 'HOURLY' },
    ]);
  });

  it('lists services without an engine pool as unavailable, with the reason', async () => {
    const pg = pick(await fetchCatalog(osb), 'postgresql').service;
    expect(pg.metadata.available).toBe(false);
    expect(pg.metadata.unavailableReason).toMatch(
      /未配置引擎池 · No engine pool is configured for postgresql/,
    );
  });

  it('limits fields to what the requested version defines', async () => {
    const at = async (version: string) =>
      pick(await fetchCatalog(osb, version), 'postgresql').service;
    const v13 = await at('2.13');
    expect(v13).not.toHaveProperty('instances_retrievable');
    expect(v13).not.toHaveProperty('bindings_retrievable');
    expect(v13.plans[0]).not.toHaveProperty('maintenance_info');
    expect(v13.plans[0]).not.toHaveProperty('plan_updateable');
    expect(v13.plans[0]).not.toHaveProperty('maximum_polling_duration');
    expect(v13.plans[0]).not.toHaveProperty('binding_rotatable');
    const v14 = await at('2.14');
    expect(v14).toMatchObject({ instances_retrievable: true, bindings_retrievable: true });
    expect(v14.plans[0]).not.toHaveProperty('maintenance_info');
    const v15 = await at('2.15');
    expect(v15.plans[0]).toMatchObject({
      plan_updateable: true,
      maintenance_info: { version: expect.stringMatching(/^\d+\.\d+\.\d+/) },
      maximum_polling_duration: expect.any(Number),
    });
    expect(v15.plans[0]).not.toHaveProperty('binding_rotatable');
    const v17 = await at('2.17');
    expect(v17.plans[0]?.binding_rotatable).toBe(true);
  });
});

describe('provisioning refusals (nothing is created)', () => {
  const instancesNow = async () =>
    (await platform.db.selectFrom('instances').select('id').execute()).length;

  it('answers 422 AsyncRequired without accepts_incomplete=true', async () => {
    const res = await osb('PUT', '/service_instances/async-1', { body: provisionBody() });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('AsyncRequired');
    const refused = await osb('PUT', '/service_instances/async-1', {
      body: provisionBody(),
      query: { accepts_incomplete: 'false' },
    });
    expect(refused.body.error).toBe('AsyncRequired');
  });

  it('answers 400 for missing required fields, naming them', async () => {
    for (const field of ['service_id', 'plan_id', 'organization_guid', 'space_guid']) {
      const body: Record<string, unknown> = provisionBody();
      delete body[field];
      const res = await osb('PUT', '/service_instances/missing', {
        body,
        query: { accepts_incomplete: 'true' },
      });
      expect(res.status).toBe(400);
      expect(res.body.description).toContain(field);
    }
  });

  it('answers 400 for an unknown service or plan, or a plan of another service', async () => {
    const q = { accepts_incomplete: 'true' };
    const unknownPlan = await osb('PUT', '/service_instances/p1', {
      body: provisionBody({ plan_id: 'no-such-plan' }),
      query: q,
    });
    expect(unknownPlan.status).toBe(400);
    expect(unknownPlan.body).toMatchObject({
      error: 'BadRequest',
      description: expect.stringMatching(/no-such-plan/),
    });
    expect(
      (
        await osb('PUT', '/service_instances/p1', {
          body: provisionBody({ service_id: 'nope' }),
          query: q,
        })
      ).status,
    ).toBe(400);
    const redisPlan = pick(await fetchCatalog(osb), 'redis').plan.id;
    expect(
      (
        await osb('PUT', '/service_instances/p1', {
          body: provisionBody({ plan_id: redisPlan }),
          query: q,
        })
      ).status,
    ).toBe(400);
  });

  it('answers 400 for a body that is not a JSON object', async () => {
    const q = { accepts_incomplete: 'true' };
    const broken = await osb('PUT', '/service_instances/p2', {
      body: '{"service_id":',
      query: q,
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error).toBe('BadRequest');
    const array = await osb('PUT', '/service_instances/p2', { body: [1, 2], query: q });
    expect(array.status).toBe(400);
  });

  it('answers 400 when the organization maps to no tenant', async () => {
    const res = await osb('PUT', '/service_instances/p3', {
      body: provisionBody({ organization_guid: 'unmapped-org' }),
      query: { accepts_incomplete: 'true' },
    });
    expect(res.status).toBe(400);
    expect(res.body.description).toMatch(/osb\/organization-guid/);
    const zw = await osb('PUT', '/service_instances/p3', {
      body: provisionBody({
        context: { platform: 'zhengwu', tenant_id: 'ten_00000000000000000000' },
      }),
      query: { accepts_incomplete: 'true' },
    });
    expect(zw.status).toBe(400);
    expect(zw.body.description).toMatch(/ten_00000000000000000000/);
  });

  it('answers 422 with the reason when no engine pool serves the service', async () => {
    const before = await instancesNow();
    // The tenant resolves (by label here, by context.tenant_id on a Zhengwu platform) …
    for (const body of [
      provisionBody(),
      provisionBody({ context: { platform: 'zhengwu', tenant_id: tenantId } }),
    ]) {
      const res = await osb('PUT', '/service_instances/p4', {
        body,
        query: { accepts_incomplete: 'true' },
      });
      // … and the service cannot take instances here.
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        error: 'ServiceUnavailable',
        description: expect.stringMatching(/No engine pool is configured for postgresql/),
      });
    }
    expect(await instancesNow()).toBe(before);
    const mapped = await platform.db.selectFrom('osb_instances').select('osb_id').execute();
    expect(mapped).toEqual([]);
  });

  it('answers 422 MaintenanceInfoConflict for a maintenance_info.version the plan no longer has', async () => {
    const res = await osb('PUT', '/service_instances/p5', {
      body: provisionBody({ maintenance_info: { version: '0.9.0' } }),
      query: { accepts_incomplete: 'true' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('MaintenanceInfoConflict');
  });
});

describe('X-Broker-API-Originating-Identity', () => {
  it('answers 400 when it is not "<platform> <base64 JSON object>"', async () => {
    for (const identity of [
      'cloudfoundry',
      'cloudfoundry !!!',
      `cloudfoundry ${Buffer.from('[1]').toString('base64')}`,
    ]) {
      const res = await osb('GET', '/catalog', { identity });
      expect(res.status).toBe(400);
      expect(res.body.description).toMatch(/Originating-Identity/);
    }
  });

  it('answers 400 when context.platform differs from its platform', async () => {
    const res = await osb('PUT', '/service_instances/p6', {
      body: provisionBody({ context: { platform: 'kubernetes' } }),
      query: { accepts_incomplete: 'true' },
      identity: originatingIdentity('cloudfoundry', { user_id: 'u-1' }),
    });
    expect(res.status).toBe(400);
    expect(res.body.description).toMatch(/context\.platform/);
  });

  it('is recorded as the audit principal of a mutating call', async () => {
    await osb('PUT', '/service_instances/p7', {
      body: provisionBody(),
      identity: originatingIdentity('cloudfoundry', {
        user_id: '683ea748-3092-4ff4-b656-39cacc4d5360',
      }),
    });
    const event = (await auditEvents('osb.provision')).at(-1);
    expect(event).toMatchObject({
      outcome: 'failure',
      reason: 'AsyncRequired',
      tenant_id: tenantId,
      principal: {
        type: 'system',
        id: `osb:${OSB_USER}`,
        name: 'cloudfoundry user_id=683ea748-3092-4ff4-b656-39cacc4d5360',
      },
    });
  });
});

describe('unknown resources', () => {
  const hints = { service_id: POSTGRESQL_SERVICE_ID, plan_id: POSTGRESQL_DEV_PLAN_ID };

  it('deprovision: 400 without service_id and plan_id, 410 Gone when it does not exist', async () => {
    const missing = await osb('DELETE', '/service_instances/nope', {
      query: { plan_id: POSTGRESQL_DEV_PLAN_ID },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.description).toContain('service_id');
    expect(
      (
        await osb('DELETE', '/service_instances/nope', {
          query: { service_id: POSTGRESQL_SERVICE_ID },
        })
      ).status,
    ).toBe(400);
    const gone = await osb('DELETE', '/service_instances/nope', {
      query: { ...hints, accepts_incomplete: 'true' },
    });
    expect(gone.status).toBe(410);
  });

  it('last_operation, fetch and update of an unknown instance: 404', async () => {
    expect((await osb('GET', '/service_instances/nope/last_operation')).status).toBe(404);
    expect((await osb('GET', '/service_instances/nope')).status).toBe(404);
    const patch = await osb('PATCH', '/service_instances/nope', {
      body: { service_id: POSTGRESQL_SERVICE_ID },
      query: { accepts_incomplete: 'true' },
    });
    expect(patch.status).toBe(404);
  });

  it('fetching is 2.14+: 412 on 2.13', async () => {
    const res = await osb('GET', '/service_instances/nope', { version: '2.13' });
    expect(res.status).toBe(412);
    expect(res.body.description).toMatch(/2\.14/);
    expect(
      (await osb('GET', '/service_instances/a/service_bindings/b', { version: '2.13' })).status,
    ).toBe(412);
    expect(
      (
        await osb('GET', '/service_instances/a/service_bindings/b/last_operation', {
          version: '2.13',
        })
      ).status,
    ).toBe(412);
  });

  it('bindings: bind to an unknown instance 404, unbind 410, fetch and last_operation 404', async () => {
    const bind = await osb('PUT', '/service_instances/nope/service_bindings/b1', { body: hints });
    expect(bind.status).toBe(404);
    expect(
      (await osb('DELETE', '/service_instances/nope/service_bindings/b1', { query: hints })).status,
    ).toBe(410);
    expect(
      (await osb('DELETE', '/service_instances/nope/service_bindings/b1', { query: {} })).status,
    ).toBe(400);
    expect((await osb('GET', '/service_instances/nope/service_bindings/b1')).status).toBe(404);
    expect(
      (await osb('GET', '/service_instances/nope/service_bindings/b1/last_operation')).status,
    ).toBe(404);
  });

  it('an unknown path answers an OSB error body', async () => {
    const res = await osb('GET', '/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'NotFound', description: expect.any(String) });
  });
});

describe('with the API switched off', () => {
  it('answers 404 on every /v2 path, saying how to switch it on', async () => {
    const off = await startTestPlatform();
    try {
      const res = await osbClient(off.url)('GET', '/catalog');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        error: 'NotEnabled',
        description: expect.stringMatching(/未启用.*ZW_OSB_USERNAME/),
      });
      expect((await osbClient(off.url)('PUT', '/service_instances/x', { body: {} })).status).toBe(
        404,
      );
    } finally {
      await off.close();
    }
  }, 60_000);
});

// Last: it locks this test's address out for a minute.
describe('failed-authentication lockout', () => {
  it('locks an address out after the limit (auth.lockout audited), then 429 even with good credentials', async () => {
    const failures = (await auditEvents('auth.failure')).filter(
      (e) => e.reason === 'osb_unauthenticated',
    );
    const left = FAILURES_PER_MINUTE - failures.length;
    expect(left).toBeGreaterThan(0);
    for (let i = 0; i < left; i++) {
      expect(
        (await osb('GET', '/catalog', { auth: { user: 'guess', password: String(i) } })).status,
      ).toBe(401);
    }
    expect((await auditEvents('auth.lockout')).length).toBe(1);
    const locked = await osb('GET', '/catalog');
    expect(locked.status).toBe(429);
    expect(locked.body.error).toBe('RateLimited');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
