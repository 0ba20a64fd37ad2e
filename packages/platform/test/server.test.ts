import { operations } from '@zhengwu/openapi';
import { AuthenticationError, NotFoundError } from '@zhengwu/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './harness';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
}, 60_000);
afterAll(() => platform?.close());

describe('the HTTP server', () => {
  it('serves health without a token and echoes the request id', async () => {
    const res = await fetch(`${platform.url}/healthz`, {
      headers: { 'x-request-id': 'req-test-1' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-test-1');
    expect(await res.json()).toMatchObject({ status: 'ok', version: '0.1.0' });
    const ready = await platform.admin.health.ready();
    expect(ready.status).toBe('ready');
  });

  it('registers exactly the contract’s operations', () => {
    const routes = new Set<string>();
    for (const op of Object.values(operations)) {
      const url = op.path.replace(/\{(\w+)\}/g, ':$1');
      expect(platform.app.hasRoute({ method: op.method, url }), `${op.method} ${op.path}`).toBe(
        true,
      );
      routes.add(`${op.method} ${url}`);
    }
    expect(routes.size).toBe(Object.keys(operations).length);
    // And nothing else: every method routed (HEAD comes with GET) is one of the contract's.
    const printed = platform.app.printRoutes({ commonPrefix: false });
    const methods = [...printed.matchAll(/\(([A-Z, ]+)\)/g)]
      .flatMap((m) => m[1]!.split(', '))
      .filter((m) => m !== 'HEAD');
    expect(methods).toHaveLength(routes.size);
  });

  it('refuses a missing or unknown token with 401 problem+json and audits it', async () => {
    const res = await fetch(`${platform.url}/v1/catalog/services`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.headers.get('www-authenticate')).toMatch(/Bearer/);
    const body = await res.json();
    expect(body).toMatchObject({
      status: 401,
      code: 'unauthenticated',
      requestId: res.headers.get('x-request-id'),
    });
    await expect(
      platform
        .clientWith('zw_notatoken_00000000000000000000000000000000')
        .catalog.services.retrieve('postgresql'),
    ).rejects.toBeInstanceOf(AuthenticationError);
    const events = await platform.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'auth.failure')
      .execute();
    expect(events.length).toBeGreaterThanOrEqual(2);
  });

  it('serves the catalog', async () => {
    const services = await platform.admin.catalog.services.list().toArray({ max: 100 });
    expect(services.map((s) => s.id)).toContain('postgresql');
    const plan = await platform.admin.catalog.plans.retrieve('postgresql', 's');
    expect(plan.compliance.auditRetentionDays).toBeGreaterThanOrEqual(180);
    await expect(platform.admin.catalog.services.retrieve('oracle')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const page = await platform.admin.catalog.services.list({ limit: 2 });
    expect(page.data).toHaveLength(2);
    const all = await platform.admin.catalog.services.list({ limit: 2 }).toArray({ max: 100 });
    expect(all).toHaveLength(services.length);
  });

  it('lists services without their JSON Schemas unless asked, and serves them per service', async () => {
    const summaries = await platform.admin.catalog.services.list().toArray({ max: 100 });
    const full = await platform.admin.catalog.services
      .list({ expand: 'schemas' })
      .toArray({ max: 100 });
    expect(full.map((s) => s.id)).toEqual(summaries.map((s) => s.id));
    for (const [i, summary] of summaries.entries()) {
      expect(summary).not.toHaveProperty('credentialsSchema');
      for (const plan of summary.plans) expect(plan).not.toHaveProperty('schemas');
      // The summary is the full service less its schemas, nothing else.
      const { credentialsSchema, plans, ...rest } = full[i]!;
      expect(credentialsSchema).toMatchObject({ type: 'object' });
      expect(summary).toEqual({ ...rest, plans: plans.map(({ schemas: _, ...p }) => p) });
      expect(await platform.admin.catalog.services.retrieve(summary.id)).toEqual(full[i]);
      expect(plans[0]!.schemas.instanceCreate).toMatchObject({ type: 'object' });
    }
    const bad = await fetch(`${platform.url}/v1/catalog/services?expand=plans`, {
      headers: { authorization: `Bearer ${platform.adminToken}` },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'bad_request' });
  });

  it('serves the catalog precompressed in the encoding the client accepts', async () => {
    const bodies = await Promise.all(
      ['br', 'gzip, deflate', 'identity'].map(async (encoding) => {
        const res = await fetch(`${platform.url}/v1/catalog/services`, {
          headers: { authorization: `Bearer ${platform.adminToken}`, 'accept-encoding': encoding },
        });
        expect(res.headers.get('vary')).toBe('accept-encoding');
        expect(res.headers.get('content-encoding') ?? 'identity').toBe(encoding.split(',')[0]);
        return res.json();
      }),
    );
    expect(bodies[0]).toEqual(bodies[2]);
    expect(bodies[1]).toEqual(bodies[2]);
  });

  it('compresses large JSON answers for clients that accept it, and only those', async () => {
    for (let i = 0; i < 12; i++) {
      await platform.admin.tenants.create({
        name: `gz-${i}`,
        displayName: { zh: `压缩测试省${i}`, en: `Compression ${i}` },
        parentId: null,
        level: 'province',
      });
    }
    const list = (encoding: string) =>
      fetch(`${platform.url}/v1/tenants?limit=100`, {
        headers: { authorization: `Bearer ${platform.adminToken}`, 'accept-encoding': encoding },
      });
    const plain = await list('identity');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const text = await plain.text();
    expect(text.length).toBeGreaterThan(1024);
    for (const [accept, coding] of [
      ['gzip, deflate', 'gzip'],
      ['gzip, deflate, br', 'br'],
    ] as const) {
      const res = await list(accept);
      expect(res.headers.get('content-encoding')).toBe(coding);
      expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
      expect(await res.text()).toBe(text); // fetch decodes it
    }
    // Small answers (under 1 KiB) are not worth it; problems of any size stay readable.
    const me = await fetch(`${platform.url}/v1/me`, {
      headers: { authorization: `Bearer ${platform.adminToken}`, 'accept-encoding': 'gzip' },
    });
    expect(me.status).toBe(200);
    expect(me.headers.get('content-encoding')).toBeNull();
  });

  it('answers bad input with problem+json and the contract’s codes', async () => {
    const auth = { authorization: `Bearer ${platform.adminToken}` };
    const unknownQuery = await fetch(`${platform.url}/v1/catalog/services?colour=red`, {
      headers: auth,
    });
    expect(unknownQuery.status).toBe(400);
    expect(await unknownQuery.json()).toMatchObject({ code: 'bad_request' });
    const badLimit = await fetch(`${platform.url}/v1/catalog/services?limit=0`, { headers: auth });
    expect(((await badLimit.json()) as { errors: unknown[] }).errors[0]).toMatchObject({
      path: '/query/limit',
    });
    const noRoute = await fetch(`${platform.url}/v1/nothing`, { headers: auth });
    expect(noRoute.status).toBe(404);
    expect(await noRoute.json()).toMatchObject({ code: 'not_found' });
  });
});

describe('stopping', () => {
  it('waits for the audit events written after their responses', async () => {
    // An event the platform appends once the answer went out (a refused create), slowed down
    // so that it is still being written when the platform is told to stop.
    const audit = platform.context.audit;
    const append = audit.append.bind(audit);
    audit.append = async (...args: Parameters<typeof append>) => {
      await new Promise((r) => setTimeout(r, 1_500));
      return append(...args);
    };
    const refused = await fetch(`${platform.url}/v1/tenants`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${platform.adminToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'x' }),
    });
    expect(refused.status).toBe(422);
    const requestId = refused.headers.get('x-request-id');
    platform = await platform.restart();
    const events = await platform.db
      .selectFrom('audit_events')
      .select(['action', 'outcome'])
      .where('request_id', '=', requestId)
      .execute();
    expect(events).toEqual([{ action: 'tenant.create', outcome: 'failure' }]);
  });
});
