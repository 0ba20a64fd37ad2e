import { ConflictError, UnprocessableEntityError, type Zhengwu } from '@zhengwu/sdk';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../src/auth/secrets';
import { durable } from '../src/db/durability-schema';
import type { TenantRow } from '../src/db/schema';
import { buildApp } from '../src/http/app';
import type { Handlers } from '../src/http/context';
import { purgeExpiredIdempotencyKeys } from '../src/http/idempotency';
import { ProblemError } from '../src/http/problems';
import { newId } from '../src/ids';
import { enqueue } from '../src/operations/queue';
import { handlers } from '../src/routes';
import { event, http, tenant, token } from './durability-helpers';
import { startTestPlatform, type TestPlatform } from './harness';

let platform: TestPlatform;
let guangdong: TenantRow;
let auditorSecret: string;
let auditor: Zhengwu;
let developerSecret: string;
let developer: Zhengwu;
let otherDeveloper: Zhengwu;

const keys = () => durable(platform.db).selectFrom('idempotency_keys').selectAll();
/** Successful events of an action (what actually happened). */
const count = async (action: string) =>
  (
    await platform.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', action)
      .where('outcome', '=', 'success') // refusals are audited too, as failures
      .executeTakeFirstOrThrow()
  ).n;
const pending = () =>
  platform.db.transaction().execute((trx) =>
    enqueue(trx, {
      type: 'app.restart',
      tenantId: guangdong.id,
      target: { type: 'app', id: newId('app') },
    }),
  );
/** A token principal's id is its token id. */
const principalOf = async (secret: string) =>
  (
    await platform.db
      .selectFrom('tokens')
      .select('id')
      .where('secret_hash', '=', hashSecret(secret))
      .executeTakeFirstOrThrow()
  ).id;

beforeAll(async () => {
  // No operation workers: the operations here stay where the tests put them.
  platform = await startTestPlatform({ ZW_OPERATION_WORKERS: '0' });
  guangdong = await tenant(platform.db, 'guangdong');
  auditorSecret = await token(platform.db, guangdong.id, 'auditor');
  auditor = platform.clientWith(auditorSecret);
  developerSecret = await token(platform.db, guangdong.id, 'developer');
  developer = platform.clientWith(developerSecret);
  otherDeveloper = platform.clientWith(await token(platform.db, guangdong.id, 'developer'));
  // The chain needs an event before it can be verified.
  await platform.context.audit.append(platform.db, event({ tenantId: guangdong.id }));
}, 60_000);
afterAll(() => platform?.close());

describe('Idempotency-Key', () => {
  it('replays the first response through the SDK, audited as a replay only', async () => {
    const before = await count('audit.verify');
    const first = await auditor.raw.POST('/v1/audit-events/verify', {
      body: {},
      idempotencyKey: 'verify-once',
    });
    const second = await auditor.raw.POST('/v1/audit-events/verify', {
      body: {},
      idempotencyKey: 'verify-once',
      headers: { 'x-request-id': 'req-replay-1' },
    });
    expect(first.response.headers.get('idempotency-replayed')).toBeNull();
    expect(second.response.headers.get('idempotency-replayed')).toBe('true');
    expect(second.response.status).toBe(200);
    expect(second.response.headers.get('x-request-id')).toBe('req-replay-1');
    expect(second.data).toEqual(first.data); // the same verifiedAt: not run twice
    // Through the plain SDK method as well.
    const third = await auditor.auditEvents.verify({}, { idempotencyKey: 'verify-once' });
    expect(third).toEqual(first.data);

    expect(await count('audit.verify')).toBe(before + 1);
    const replays = await platform.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'idempotency.replay')
      .orderBy('sequence')
      .execute();
    expect(replays).toHaveLength(2);
    expect(replays[0]).toMatchObject({
      request_id: 'req-replay-1',
      outcome: 'success',
      tenant_id: guangdong.id, // the first request's tenant
    });
  });

  it('refuses the key with another body: 422 idempotency_key_reused, nothing done', async () => {
    await auditor.auditEvents.verify({ fromSequence: 1 }, { idempotencyKey: 'verify-span' });
    const stored = await keys().where('key', '=', 'verify-span').executeTakeFirstOrThrow();
    const before = await count('audit.verify');
    const err = await auditor.auditEvents
      .verify({ fromSequence: 2 }, { idempotencyKey: 'verify-span' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(UnprocessableEntityError);
    expect(err.code).toBe('idempotency_key_reused');
    expect(await count('audit.verify')).toBe(before);
    expect(await keys().where('key', '=', 'verify-span').executeTakeFirstOrThrow()).toEqual(stored);

    // Same body in another key order and spacing is the same request.
    const res = await fetch(`${platform.url}/v1/audit-events/verify`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${auditorSecret}`,
        'content-type': 'application/json',
        'idempotency-key': 'verify-span',
      },
      body: '{ "fromSequence" : 1 }',
    });
    expect(res.headers.get('idempotency-replayed')).toBe('true');

    // Another operation with the same key is another request.
    const op = await pending();
    const cancel = await developer.operations
      .cancel(op.id, { idempotencyKey: 'cancel-a' })
      .catch((e) => e);
    expect(cancel.state).toBe('canceled');
    const other = await pending();
    const reused = await developer.operations
      .cancel(other.id, { idempotencyKey: 'cancel-a' })
      .catch((e) => e);
    expect(reused).toBeInstanceOf(UnprocessableEntityError);
    expect(reused.code).toBe('idempotency_key_reused');
    expect((await developer.operations.retrieve(other.id)).state).toBe('pending');
  });

  it('replays a 202 mutation and its refusals, without a second audit event', async () => {
    const op = await pending();
    const first = await http(platform, developerSecret, 'POST', `/v1/operations/${op.id}/cancel`, {
      headers: { 'idempotency-key': 'cancel-once' },
    });
    const again = await http(platform, developerSecret, 'POST', `/v1/operations/${op.id}/cancel`, {
      headers: { 'idempotency-key': 'cancel-once' },
    });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const events = await platform.db
      .selectFrom('audit_events')
      .select(['action', 'target', 'tenant_id'])
      .where('request_id', 'in', [
        first.headers.get('x-request-id')!,
        again.headers.get('x-request-id')!,
      ])
      .orderBy('sequence')
      .execute();
    expect(events).toEqual([
      {
        action: 'operation.cancel',
        target: { type: 'operation', id: op.id },
        tenant_id: guangdong.id,
      },
      {
        action: 'idempotency.replay',
        target: { type: 'operation', id: op.id },
        tenant_id: guangdong.id,
      },
    ]);

    // A deterministic refusal (409 invalid_state, X-Should-Retry: false) is kept and replayed.
    const refused = await http(
      platform,
      developerSecret,
      'POST',
      `/v1/operations/${op.id}/cancel`,
      {
        headers: { 'idempotency-key': 'cancel-twice' },
      },
    );
    expect(refused.status).toBe(409);
    const replayed = await http(
      platform,
      developerSecret,
      'POST',
      `/v1/operations/${op.id}/cancel`,
      {
        headers: { 'idempotency-key': 'cancel-twice' },
      },
    );
    expect(replayed.status).toBe(409);
    expect(replayed.headers.get('idempotency-replayed')).toBe('true');
    expect(replayed.headers.get('x-should-retry')).toBe('false');
    expect(replayed.headers.get('content-type')).toMatch(/problem\+json/);
    expect(replayed.body).toEqual(refused.body);
  });

  it('runs the same request sent ten times at once exactly once', async () => {
    // Real concurrency: the same request ten times at once runs once.
    const before = await count('audit.verify');
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        http(platform, auditorSecret, 'POST', '/v1/audit-events/verify', {
          body: { fromSequence: 1 },
          headers: { 'idempotency-key': 'stampede' },
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const ran = results.filter((r) => r.status === 200 && !r.headers.get('idempotency-replayed'));
    expect(ran).toHaveLength(1);
    for (const busy of results.filter((r) => r.status === 409)) {
      expect(busy.body).toMatchObject({ code: 'idempotency_key_in_use' });
      expect(busy.headers.get('x-should-retry')).toBe('true');
    }
    expect(await count('audit.verify')).toBe(before + 1);
  });

  it('answers 409 in use to the same request while a live first holds the key (SDK)', async () => {
    const me = await principalOf(auditorSecret);
    // Record what the real first request would have stored, then make it look in flight.
    await auditor.auditEvents.verify({ fromSequence: 3 }, { idempotencyKey: 'held' });
    await durable(platform.db)
      .updateTable('idempotency_keys')
      .set({
        state: 'pending',
        status: null,
        body: null,
        owner: 'first',
        locked_until: sql<Date>`now() + interval '1 minute'`,
      })
      .where('principal_id', '=', me)
      .where('key', '=', 'held')
      .execute();
    const err = await auditor.auditEvents
      .verify({ fromSequence: 3 }, { idempotencyKey: 'held' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.code).toBe('idempotency_key_in_use');
    expect(err.headers.get('x-should-retry')).toBe('true');

    // A first request whose process died (lease ran out) is taken over by the retry.
    await durable(platform.db)
      .updateTable('idempotency_keys')
      .set({ locked_until: sql<Date>`now() - interval '1 second'` })
      .where('key', '=', 'held')
      .execute();
    const retried = await auditor.raw.POST('/v1/audit-events/verify', {
      body: { fromSequence: 3 },
      idempotencyKey: 'held',
    });
    expect(retried.response.headers.get('idempotency-replayed')).toBeNull();
    expect(await keys().where('key', '=', 'held').executeTakeFirstOrThrow()).toMatchObject({
      state: 'done',
      status: 200,
      owner: null,
    });
  });

  it('does not keep responses that ask for a retry (5xx, transient 409)', async () => {
    let calls = 0;
    const flaky: Handlers = {
      ...handlers,
      cancelOperation: async (request, reply, ctx) => {
        calls++;
        if (calls === 1) throw new Error('database connection lost');
        if (calls === 2) throw new ProblemError('conflict', 'A concurrent change; retry.');
        return handlers.cancelOperation!(request, reply, ctx);
      },
    };
    const app = buildApp(platform.context, { handlers: flaky });
    await app.ready();
    try {
      const op = await pending();
      const send = () =>
        app.inject({
          method: 'POST',
          url: `/v1/operations/${op.id}/cancel`,
          headers: { authorization: `Bearer ${developerSecret}`, 'idempotency-key': 'flaky' },
        });
      const failed = await send();
      expect(failed.statusCode).toBe(500);
      expect(await keys().where('key', '=', 'flaky').execute()).toEqual([]);
      const conflict = await send();
      expect(conflict.statusCode).toBe(409);
      expect(conflict.headers['x-should-retry']).toBe('true');
      expect(await keys().where('key', '=', 'flaky').execute()).toEqual([]);
      const done = await send();
      expect(done.statusCode).toBe(202);
      expect(done.headers['idempotency-replayed']).toBeUndefined();
      const replay = await send();
      expect(replay.statusCode).toBe(202);
      expect(replay.headers['idempotency-replayed']).toBe('true');
      expect(calls).toBe(3);
    } finally {
      await app.close();
    }
  });

  it('scopes keys to the principal and checks their length', async () => {
    const a = await pending();
    const b = await pending();
    await developer.operations.cancel(a.id, { idempotencyKey: 'shared-key' });
    const other = await otherDeveloper.raw.POST('/v1/operations/{operationId}/cancel', {
      params: { path: { operationId: b.id } },
      idempotencyKey: 'shared-key',
    });
    expect(other.response.status).toBe(202);
    expect(other.response.headers.get('idempotency-replayed')).toBeNull();
    expect(other.data.id).toBe(b.id);

    const long = await http(platform, auditorSecret, 'POST', '/v1/audit-events/verify', {
      body: {},
      headers: { 'idempotency-key': 'k'.repeat(256) },
    });
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({
      code: 'bad_request',
      errors: [{ path: '/header/Idempotency-Key' }],
    });
  });

  it('forgets keys after 24 hours and purges them', async () => {
    await auditor.auditEvents.verify({ fromSequence: 1 }, { idempotencyKey: 'old-key' });
    await durable(platform.db)
      .updateTable('idempotency_keys')
      .set({ expires_at: sql<Date>`now() - interval '1 second'` })
      .where('key', '=', 'old-key')
      .execute();
    // An expired key is a new key: another body is accepted, and runs.
    const fresh = await auditor.raw.POST('/v1/audit-events/verify', {
      body: { fromSequence: 2 },
      idempotencyKey: 'old-key',
    });
    expect(fresh.response.headers.get('idempotency-replayed')).toBeNull();
    const row = await keys().where('key', '=', 'old-key').executeTakeFirstOrThrow();
    expect(row.expires_at.getTime() - row.created_at.getTime()).toBe(24 * 3_600_000);

    await durable(platform.db)
      .updateTable('idempotency_keys')
      .set({ expires_at: sql<Date>`now() - interval '1 second'` })
      .where('key', 'in', ['old-key', 'verify-once'])
      .execute();
    expect(await purgeExpiredIdempotencyKeys(platform.db)).toBe(2);
    expect(await keys().where('key', 'in', ['old-key', 'verify-once']).execute()).toEqual([]);
  });

  it('stores nothing for calls without a key', async () => {
    const before = (await keys().execute()).length;
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${platform.url}/v1/audit-events/verify`, {
        method: 'POST',
        headers: { authorization: `Bearer ${auditorSecret}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('idempotency-replayed')).toBeNull();
    }
    expect((await keys().execute()).length).toBe(before);
  });
});
