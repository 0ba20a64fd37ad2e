import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoOfRaw } from '../src/http/raw-json';
import { toApiInstance } from '../src/services/instances';
import { toApiTenant } from '../src/tenancy/access';
import { startTestPlatform, type TestPlatform } from './harness';
import { insertTenant } from './tenants-fixture';
import { insertToken } from './tokens-fixture';

/**
 * Lists render their JSON from the columns' text (`http/raw-json.ts`); a single resource goes
 * through its `toApi…` mapping. Both must give the same objects, whatever the data.
 */
let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
}, 60_000);
afterAll(() => platform?.close());

/** Every page of `/v1/<list>?<query>`, `limit` items at a time, as `token` sees it. */
async function listAll(list: string, token: string, query: string, limit: number) {
  const listed: unknown[] = [];
  let cursor: string | undefined;
  do {
    const res = await fetch(
      `${platform.url}/v1/${list}?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(res.status, await res.clone().text()).toBe(200);
    const page = (await res.json()) as { data: unknown[]; nextCursor: string | null };
    listed.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return listed;
}

describe('timestamps as PostgreSQL writes them', () => {
  it('become Date#toISOString text', () => {
    expect(isoOfRaw('2026-11-26 08:00:00.123+00')).toBe('2026-11-26T08:00:00.123Z');
    expect(isoOfRaw('2026-11-26 08:00:00.12+00')).toBe('2026-11-26T08:00:00.120Z');
    expect(isoOfRaw('2026-11-26 08:00:00.1+00')).toBe('2026-11-26T08:00:00.100Z');
    expect(isoOfRaw('2026-11-26 08:00:00+00')).toBe('2026-11-26T08:00:00.000Z');
    expect(isoOfRaw('2026-11-26 08:00:00.123456+00')).toBe('2026-11-26T08:00:00.123Z');
    expect(isoOfRaw('2026-11-26 16:00:00+08')).toBe('2026-11-26T08:00:00.000Z');
  });
});

describe('GET /v1/instances', () => {
  it('lists each instance exactly as GET /v1/instances/{id} shows it, page by page', async () => {
    const { db } = platform;
    const tenant = await insertTenant(db, 'list-json');
    const op = {
      id: 'op_listJson0000000000001',
      tenant_id: tenant.id,
      type: 'instance.provision',
      state: 'succeeded' as const,
      target_type: 'instance',
      target_id: 'ins_listJson000000000001',
      progress: JSON.stringify({ percent: 100, step: null, message: null }),
      input: '{}',
      error: null,
    };
    await db.insertInto('operations').values(op).execute();
    // Same millisecond for several rows (the keyset's id breaks ties), trailing zeros in the
    // fraction, text that needs escaping, nested parameters, with and without an operation.
    const at = (ms: string) => new Date(`2026-11-26T08:00:00.${ms}Z`);
    const rows = [
      [
        'ins_listJson000000000001',
        at('100'),
        op.id,
        'https://dash.example/x?q=1&b=%E4%B8%80',
        { a: { b: [1, 2] } },
      ],
      ['ins_listJson000000000002', at('100'), null, null, {}],
      ['ins_listJson000000000003', at('000'), null, null, { q: 'say "hi"\\n' }],
      ['ins_listJson000000000004', at('999'), null, null, { n: null }],
      ['ins_listJson000000000005', at('120'), null, null, {}],
    ] as const;
    for (const [id, createdAt, lastOperation, dashboard, parameters] of rows) {
      await db
        .insertInto('instances')
        .values({
          id,
          tenant_id: tenant.id,
          name: `db-${id.slice(-1)}`,
          service: 'postgresql',
          plan: 's',
          parameters: JSON.stringify(parameters),
          labels: JSON.stringify({ 'app.kubernetes.io/name': 'say "x"', team: '税务\t局\\' }),
          state: 'ready',
          pool: null,
          dashboard_url: dashboard,
          last_operation_id: lastOperation,
          reserved: null,
          created_at: createdAt,
          updated_at: createdAt,
        })
        .execute();
    }
    const expected = [];
    for (const id of [
      'ins_listJson000000000004',
      'ins_listJson000000000005',
      'ins_listJson000000000002',
      'ins_listJson000000000001',
      'ins_listJson000000000003',
    ]) {
      const view = await db
        .selectFrom('instances as i')
        .innerJoin('tenants as t', 't.id', 'i.tenant_id')
        .leftJoin('operations as o', 'o.id', 'i.last_operation_id')
        .selectAll('i')
        .select(['t.path as path', 'o.type as op_type', 'o.state as op_state'])
        .where('i.id', '=', id)
        .executeTakeFirstOrThrow();
      expected.push(JSON.parse(JSON.stringify(toApiInstance(view as never))));
      const shown = await platform.admin.instances.retrieve(id);
      expect(shown).toEqual(expected.at(-1));
    }
    expect(await listAll('instances', platform.adminToken, `tenantId=${tenant.id}`, 2)).toEqual(
      expected,
    );
    // Scoped to the caller's subtree (the query joins the tenants): the same for a developer
    // of the tenant, nothing for one of another tenant.
    const developer = await insertToken(db, tenant.id, 'developer');
    expect(await listAll('instances', developer, 'state=ready', 2)).toEqual(expected);
    const stranger = await insertToken(db, (await insertTenant(db, 'list-other')).id, 'developer');
    expect(await listAll('instances', stranger, 'serviceId=postgresql', 2)).toEqual([]);
  });
});

describe('GET /v1/tenants', () => {
  it('lists each tenant exactly as GET /v1/tenants/{id} shows it, page by page', async () => {
    const { db } = platform;
    const province = await insertTenant(db, 'list-tenants');
    const city = await insertTenant(db, 'list-city', province);
    const districts = [];
    for (const [i, ms] of ['100', '100', '000', '999'].entries()) {
      const at = new Date(`2026-11-26T09:00:00.${ms}Z`);
      const district = await insertTenant(db, `district-${i}`, city);
      districts.push(
        await db
          .updateTable('tenants')
          .set({
            display_name: JSON.stringify({ zh: `区县 "${i}"\t`, en: `District \\${i}` }),
            region_code: i === 0 ? null : `33010${i}`,
            labels: JSON.stringify(i === 1 ? { 'gov.cn/level': '区 "县"' } : {}),
            created_at: at,
            updated_at: at,
          })
          .where('id', '=', district.id)
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
    }
    // Newest first, ties broken by id (descending).
    const ordered = [...districts].sort(
      (a, b) =>
        b.created_at.getTime() - a.created_at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    );
    const expected = ordered.map((row) => JSON.parse(JSON.stringify(toApiTenant(row))));
    for (const tenant of expected) {
      expect(await platform.admin.tenants.retrieve(tenant.id)).toEqual(tenant);
    }
    expect(await listAll('tenants', platform.adminToken, `parentId=${city.id}`, 3)).toEqual(
      expected,
    );
    // A tenant-admin of the city sees its subtree (the city and its districts) and nothing else.
    const cityAdmin = await insertToken(db, city.id, 'tenant-admin');
    expect(await listAll('tenants', cityAdmin, 'level=district', 3)).toEqual(expected);
    const all = await listAll('tenants', cityAdmin, 'level=city', 3);
    expect(all).toEqual([JSON.parse(JSON.stringify(toApiTenant(city)))]);
  });
});

describe('cursors', () => {
  it('answer 400 bad_request for a forged position, in any list, and change nothing', async () => {
    const province = await insertTenant(platform.db, 'forged-cursor');
    for (const name of ['forged-a', 'forged-b']) await insertTenant(platform.db, name, province);
    for (const list of ['tenants', `instances`]) {
      const query = list === 'tenants' ? `parentId=${province.id}&limit=1` : 'limit=1';
      if (list === 'instances') {
        // Two instances so the first page has a next one.
        for (const id of ['ins_forgedCursor00000001', 'ins_forgedCursor00000002']) {
          await platform.db
            .insertInto('instances')
            .values({
              id,
              tenant_id: province.id,
              name: `forged-${id.slice(-1)}`,
              service: 'postgresql',
              plan: 'dev',
              parameters: '{}',
              labels: '{}',
              state: 'ready',
              pool: null,
              dashboard_url: null,
              last_operation_id: null,
              reserved: null,
            })
            .execute();
        }
      }
      const get = (q: string) =>
        fetch(`${platform.url}/v1/${list}?${q}`, {
          headers: { authorization: `Bearer ${platform.adminToken}` },
        });
      const firstRes = await get(query);
      expect(firstRes.status, await firstRes.clone().text()).toBe(200);
      const first = (await firstRes.json()) as { nextCursor: string };
      expect(first.nextCursor).toEqual(expect.any(String));
      const [scope, [, id]] = JSON.parse(Buffer.from(first.nextCursor, 'base64url').toString());
      for (const date of ['1', '2026-11-26', 'now', '2026-11-26T08:00:00Z']) {
        const forged = Buffer.from(JSON.stringify([scope, [date, id]])).toString('base64url');
        const res = await get(`${query}&cursor=${forged}`);
        expect(res.status, `${list} ${date}`).toBe(400);
        expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
        expect(await res.json()).toMatchObject({ code: 'bad_request' });
      }
      expect((await get(`${query}&cursor=${first.nextCursor}`)).status).toBe(200);
    }
    await platform.db.deleteFrom('instances').where('id', 'like', 'ins_forgedCursor%').execute();
  });
});
