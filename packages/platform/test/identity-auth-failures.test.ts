import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FailureLimiter, limiterKey } from '../src/auth/failure-limiter';
import type { TenantRow } from '../src/db/schema';
import { startTestPlatform, type TestPlatform } from './harness';
import { auditEvents, call } from './identity-helpers';
import { insertTenant } from './tenants-fixture';

const LIMIT = 4;

let platform: TestPlatform;
let tenant: TenantRow;

beforeAll(async () => {
  platform = await startTestPlatform({ ZW_AUTH_FAILURES_PER_MINUTE: String(LIMIT) });
  tenant = await insertTenant(platform.db, 'hainan');
}, 60_000);
afterAll(() => platform?.close());

/** A GET from a chosen loopback source address (all of 127/8 reaches 127.0.0.1). */
function getFrom(
  localAddress: string,
  path: string,
  token: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, platform.url),
      { localAddress, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('failed logins', () => {
  it('are audited with outcome denied and their reason, then rate-limited per address', async () => {
    const revoked = await platform.admin.tokens.create({
      name: 'leaked',
      tenantId: tenant.id,
      role: 'developer',
    });
    await platform.admin.tokens.revoke(revoked.id);
    const start = (
      await platform.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.max('sequence').as('max'))
        .executeTakeFirstOrThrow()
    ).max as number;

    // LIMIT failures: each answered 401 and audited.
    const answers = [
      await call(platform, undefined, 'GET', '/v1/me'),
      await call(platform, `zw_${'x'.repeat(43)}`, 'GET', '/v1/tokens'),
      await call(platform, revoked.secret, 'GET', '/v1/me'),
      await call(platform, 'not-a-token', 'POST', '/v1/tokens', { name: 'x' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401]);
    expect(answers.map((a) => a.body.code)).toEqual([
      'unauthenticated',
      'unauthenticated',
      'token_revoked',
      'unauthenticated',
    ]);

    // Now the address is locked out: 429 with Retry-After, even with a valid token.
    const blocked = await call(platform, platform.adminToken, 'GET', '/v1/me');
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: 'rate_limited', status: 429 });
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // A flood of refused mutations during the lockout does not grow the audit chain.
    for (let i = 0; i < 10; i++) {
      const res = await call(platform, 'junk', 'POST', '/v1/tokens', { name: 'x' });
      expect(res.status).toBe(429);
    }

    const events = await platform.db
      .selectFrom('audit_events')
      .selectAll()
      .where('sequence', '>', start)
      .orderBy('sequence')
      .execute();
    expect(events.map((e) => e.action)).toEqual([
      'auth.failure',
      'auth.failure',
      'auth.failure',
      'auth.failure',
      'auth.lockout',
    ]);
    expect(events.map((e) => e.reason)).toEqual([
      'unauthenticated',
      'unauthenticated',
      'token_revoked',
      'unauthenticated',
      'rate_limited',
    ]);
    expect(events.every((e) => e.outcome === 'denied' && e.source_ip === '127.0.0.1')).toBe(true);
    // The revoked token's use names the token (who tried), never its secret.
    expect(events[2]!.principal).toEqual({ type: 'token', id: revoked.id, name: 'leaked' });
    expect(events[2]!.tenant_id).toBe(tenant.id);
    expect(events[0]!.principal).toEqual({ type: 'anonymous', id: null, name: null });
    expect(JSON.stringify(events)).not.toContain(revoked.secret.slice(3));

    // Other addresses are unaffected.
    expect((await getFrom('127.0.0.2', '/v1/me', platform.adminToken)).status).toBe(200);
    const metrics = await getFrom('127.0.0.2', '/metrics', platform.adminToken);
    expect(metrics.body).toMatch(/zhengwu_auth_failures_total\{reason="rate_limited"\} 11/);
    expect(metrics.body).toMatch(/zhengwu_auth_failures_total\{reason="token_revoked"\} 1/);
    expect((await auditEvents(platform, 'auth.lockout')).length).toBe(1);
  });
});

describe('clocks', () => {
  it('holds the limit when this process’s clock and the database’s disagree', async () => {
    // The failures' times come from the database; the window is judged by this clock.
    for (const skew of [90_000, -90_000]) {
      const address = skew > 0 ? '127.0.0.21' : '127.0.0.22';
      const spy = vi
        .spyOn(Date, 'now')
        .mockImplementation(() => performance.timeOrigin + performance.now() + skew);
      try {
        const statuses: number[] = [];
        for (let i = 0; i <= LIMIT; i++) {
          statuses.push((await getFrom(address, '/v1/me', `zw_skewed-${i}`)).status);
        }
        expect(statuses).toEqual([...Array(LIMIT).fill(401), 429]);
        const wait = await new Promise<string | undefined>((resolve, reject) => {
          request(new URL('/v1/me', platform.url), { localAddress: address }, (res) => {
            res.resume();
            resolve(res.headers['retry-after'] as string | undefined);
          })
            .on('error', reject)
            .end();
        });
        expect(Number(wait)).toBeGreaterThan(0);
        expect(Number(wait)).toBeLessThanOrEqual(60);
      } finally {
        spy.mockRestore();
      }
    }
  });
});

describe('concurrent attempts', () => {
  it('can’t overshoot the limit in a burst once an address has failed', async () => {
    expect((await getFrom('127.0.0.3', '/v1/me', 'zw_first-guess')).status).toBe(401);
    const burst = await Promise.all(
      Array.from({ length: 10 }, (_, i) => getFrom('127.0.0.3', '/v1/me', `zw_guess-${i}`)),
    );
    const statuses = burst.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(LIMIT - 1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10 - (LIMIT - 1));
    const failures = await platform.db
      .selectFrom('audit_events')
      .select('action')
      .where('source_ip', '=', '127.0.0.3')
      .execute();
    expect(failures.filter((e) => e.action === 'auth.failure')).toHaveLength(LIMIT);
    expect(failures.filter((e) => e.action === 'auth.lockout')).toHaveLength(1);
  });

  it('leaves an address without failures its full concurrency', async () => {
    const burst = await Promise.all(
      Array.from({ length: 3 * LIMIT }, () => getFrom('127.0.0.4', '/v1/me', platform.adminToken)),
    );
    expect(burst.every((r) => r.status === 200)).toBe(true);
  });
});

describe('the failure limiter', () => {
  it('counts failures over a sliding minute', () => {
    const limiter = new FailureLimiter(3);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) limiter.record('10.0.0.1', t0 + i * 1000);
    expect(limiter.retryAfter('10.0.0.1', t0 + 3000)).toBe(57);
    expect(limiter.retryAfter('10.0.0.2', t0 + 3000)).toBe(0);
    // The oldest failure ages out after a minute: one more try is allowed.
    expect(limiter.retryAfter('10.0.0.1', t0 + 60_001)).toBe(0);
    // Attempts of a failing address still in flight count; others' don't.
    const other = new FailureLimiter(3);
    other.record('10.0.0.3', t0);
    const done = [other.begin('10.0.0.3'), other.begin('10.0.0.3')];
    expect(other.retryAfter('10.0.0.3', t0 + 1000)).toBe(59);
    done[0]!();
    done[0]!(); // idempotent
    expect(other.retryAfter('10.0.0.3', t0 + 1000)).toBe(0);
    for (let i = 0; i < 10; i++) other.begin('10.0.0.4');
    expect(other.retryAfter('10.0.0.4', t0)).toBe(0);
  });

  it('counts an IPv6 /64 as one address', () => {
    expect(limiterKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(limiterKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(limiterKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(limiterKey('::1')).toBe('0:0:0:0::/64');
    expect(limiterKey('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(limiterKey('192.168.0.7')).toBe('192.168.0.7');
  });
});
