import { request } from 'node:http';
import { AuthenticationError } from '@zhengwu/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashSecret } from '../src/auth/secrets';
import { TokenCache } from '../src/auth/token-cache';
import { authenticateToken } from '../src/auth/tokens';
import { startTestPlatform, type TestPlatform } from './harness';
import { insertTenant } from './tenants-fixture';
import { insertToken } from './tokens-fixture';

// Two replicas on one state database, as in production behind a load balancer.
let a: TestPlatform;
let b: TestPlatform;
beforeAll(async () => {
  a = await startTestPlatform();
  b = await startTestPlatform({ ZW_DATABASE_URL: a.databaseUrl });
}, 120_000);
afterAll(async () => {
  await b?.close();
  await a?.close();
});

it('a token revoked on one replica is refused by the other at once, despite its cache', async () => {
  const tenant = await insertTenant(a.db, 'cache-test');
  const secret = await insertToken(a.db, tenant.id, 'developer');
  const onB = b.clientWith(secret);
  // Authenticated (and now cached) on B.
  const { id } = await onB.tokens.whoami();
  await a.admin.tokens.revoke(id);
  // The NOTIFY reaches B's listener within milliseconds; allow a little for delivery.
  let error: unknown;
  for (let i = 0; i < 50 && !error; i++) {
    error = await onB.tokens.whoami().then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!error) await new Promise((r) => setTimeout(r, 20));
  }
  expect(error).toBeInstanceOf(AuthenticationError);
  expect((error as AuthenticationError).code).toBe('token_revoked');
});

it('does not cache, nor let through, a token whose revocation commits during its lookup', async () => {
  const tenant = await insertTenant(a.db, 'cache-race');
  const secret = await insertToken(a.db, tenant.id, 'developer'); // never used: it gets touched
  const cache = new TokenCache(60_000);
  let lookup: Promise<unknown> | undefined;
  await a.db.transaction().execute(async (trx) => {
    // The revocation holds the row: the lookup reads the token as valid, then waits on the
    // lock to record its use, and resumes only after the revocation committed.
    await trx
      .updateTable('tokens')
      .set({ revoked_at: new Date() })
      .where('secret_hash', '=', hashSecret(secret))
      .execute();
    lookup = authenticateToken(a.db, secret, cache);
    await new Promise((r) => setTimeout(r, 300));
  });
  cache.clear(); // what `authChanged` does right after the commit
  expect(await lookup).toMatchObject({ failure: 'token_revoked' });
  expect(await authenticateToken(a.db, secret, cache)).toMatchObject({ failure: 'token_revoked' });
});

it('does not cache what a lookup read before the cache was cleared', async () => {
  const tenant = await insertTenant(a.db, 'cache-generation');
  const secret = await insertToken(a.db, tenant.id, 'developer');
  await authenticateToken(a.db, secret); // touched now: the next lookup writes nothing
  const cache = new TokenCache(60_000);
  const lookup = authenticateToken(a.db, secret, cache);
  cache.clear(); // a revocation elsewhere, while the lookup's query is in flight
  expect(await lookup).toMatchObject({ type: 'token' });
  await a.db
    .updateTable('tokens')
    .set({ revoked_at: new Date() })
    .where('secret_hash', '=', hashSecret(secret))
    .execute();
  expect(await authenticateToken(a.db, secret, cache)).toMatchObject({ failure: 'token_revoked' });
});

it('holds one failed-login limit for the replicas together, with one lockout event', async () => {
  const limit = a.context.config.authFailuresPerMinute;
  const guess = (platform: TestPlatform) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        new URL('/v1/me', platform.url),
        { localAddress: '127.0.0.9', headers: { authorization: 'Bearer zw_wrong-guess' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end();
    });
  // Alternating replicas, as a load balancer would: each learns the shared count at the
  // address's next failure there, so one more attempt per other replica, not twice the limit.
  const statuses: number[] = [];
  for (let i = 0; i < limit + 4; i++) statuses.push(await guess(i % 2 === 0 ? a : b));
  expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(limit + 1);
  expect(statuses.slice(-2)).toEqual([429, 429]);
  const lockouts = await a.db
    .selectFrom('audit_events')
    .select('id')
    .where('action', '=', 'auth.lockout')
    .where('source_ip', '=', '127.0.0.9')
    .execute();
  expect(lockouts).toHaveLength(1);
});
