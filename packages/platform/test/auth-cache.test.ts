import { AuthenticationError } from '@zhengwu/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
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
