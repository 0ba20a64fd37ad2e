import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './harness';

const LIMIT = 3;

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({ ZW_AUTH_FAILURES_PER_MINUTE: String(LIMIT) });
}, 60_000);
afterAll(() => platform?.close());

/** A GET from a chosen loopback source address (all of 127/8 reaches 127.0.0.1). */
function getFrom(localAddress: string, path: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, platform.url),
      { localAddress, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the authentication hook', () => {
  it('refuses a locked-out address even a valid token it has just used (a cached one)', async () => {
    const address = '127.0.0.73';
    // The token is verified once, then served from the cache (no database, no await).
    expect(await getFrom(address, '/v1/me', platform.adminToken)).toBe(200);
    expect(await getFrom(address, '/v1/me', platform.adminToken)).toBe(200);
    for (let i = 0; i < LIMIT; i++) {
      expect(await getFrom(address, '/v1/me', 'zw_not-a-token')).toBe(401);
    }
    expect(await getFrom(address, '/v1/me', platform.adminToken)).toBe(429);
    // Another address with the same token is not affected.
    expect(await getFrom('127.0.0.74', '/v1/me', platform.adminToken)).toBe(200);
  });
});
