import type { IncomingMessage } from 'node:http';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';
import { clientOrigin } from '../src/http/client-address';
import { startTestPlatform, type TestPlatform } from './harness';

const LIMIT = 2;
/** The load balancer in front of the platform (all of 127/8 reaches 127.0.0.1). */
const PROXY = '127.0.0.5';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({
    // A loopback proxy is only allowed where no app runs on this machine.
    ZW_APP_RUNTIME: 'none',
    ZW_TRUST_PROXY: `${PROXY}, 10.0.0.0/8`,
    ZW_AUTH_FAILURES_PER_MINUTE: String(LIMIT),
  });
}, 60_000);
afterAll(() => platform?.close());

/** `GET /v1/me` with a wrong token from `localAddress`, saying it forwards for `forwardedFor`. */
function guessFrom(localAddress: string, forwardedFor: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL('/v1/me', platform.url),
      {
        localAddress,
        headers: { authorization: 'Bearer zw_wrong-guess', 'x-forwarded-for': forwardedFor },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const sourcesOf = async (action: string) =>
  (
    await platform.db
      .selectFrom('audit_events')
      .select('source_ip')
      .where('action', '=', action)
      .orderBy('sequence')
      .execute()
  ).map((e) => e.source_ip);

describe('ZW_TRUST_PROXY', () => {
  it('takes the client from a trusted proxy’s X-Forwarded-For, and only from it', async () => {
    expect(await guessFrom(PROXY, '203.0.113.7')).toBe(401);
    // Not a listed proxy: its X-Forwarded-For is a client's claim, ignored.
    expect(await guessFrom('127.0.0.6', '198.51.100.9')).toBe(401);
    const sources = await sourcesOf('auth.failure');
    expect(sources).toContain('203.0.113.7');
    expect(sources).toContain('127.0.0.6');
    expect(sources).not.toContain('198.51.100.9');
    expect(sources).not.toContain(PROXY);
  });

  it('limits failed logins per client behind the proxy, not per proxy', async () => {
    for (let i = 1; i < LIMIT; i++) expect(await guessFrom(PROXY, '203.0.113.7')).toBe(401);
    expect(await guessFrom(PROXY, '203.0.113.7')).toBe(429);
    // Another client of the same load balancer is not locked out with it.
    expect(await guessFrom(PROXY, '203.0.113.8')).toBe(401);
  });

  it('refuses an entry that is not an address, a CIDR or a range name', () => {
    expect(() => loadConfig({ ZW_TRUST_PROXY: '10.0.0.0/33' })).toThrow(ConfigError);
    expect(() => loadConfig({ ZW_TRUST_PROXY: 'lb.internal' })).toThrow(/ZW_TRUST_PROXY/);
    expect(
      loadConfig({ ZW_TRUST_PROXY: 'loopback, 192.168.0.10', ZW_APP_RUNTIME: 'none' })
        .trustedProxies,
    ).toEqual(['loopback', '192.168.0.10']);
    expect(loadConfig({}).trustedProxies).toEqual([]);
  });

  it('refuses to trust loopback while apps run on this machine (they could forge addresses)', () => {
    for (const list of ['loopback', '127.0.0.1', '127.0.0.0/8', '::1', '0.0.0.0/1']) {
      expect(() => loadConfig({ ZW_TRUST_PROXY: list })).toThrow(/ZW_APP_RUNTIME/);
    }
    expect(loadConfig({ ZW_TRUST_PROXY: '10.0.0.0/8' }).trustedProxies).toEqual(['10.0.0.0/8']);
  });
});

describe('clientOrigin (what apps receive as X-Forwarded-For / -Proto)', () => {
  const req = (peer: string, headers: Record<string, string>) =>
    ({ socket: { remoteAddress: peer }, headers }) as unknown as IncomingMessage;
  // The client sent `1.1.1.1` and `http` itself; the proxy appended what it saw.
  const forwarded = {
    'x-forwarded-for': '1.1.1.1, 203.0.113.7',
    'x-forwarded-proto': 'http, https',
  };

  it('believes a trusted peer up to the nearest untrusted hop', () => {
    expect(clientOrigin(['10.0.0.0/8'])(req('10.1.2.3', forwarded))).toEqual({
      ip: '203.0.113.7',
      proto: 'https',
    });
  });

  it('ignores forwarding headers from anyone else, and by default', () => {
    expect(clientOrigin(['10.0.0.0/8'])(req('192.0.2.1', forwarded))).toEqual({
      ip: '192.0.2.1',
      proto: 'http',
    });
    expect(clientOrigin([])(req('10.1.2.3', forwarded))).toEqual({
      ip: '10.1.2.3',
      proto: 'http',
    });
  });
});
