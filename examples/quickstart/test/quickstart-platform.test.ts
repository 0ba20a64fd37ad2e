import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../packages/platform/test/harness';
import { quickstart } from '../src/quickstart';

// The same tour against a real platform: embedded state and an embedded PostgreSQL pool.
let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ ZW_EMBEDDED_ENGINES: 'postgresql' });
}, 120_000);
afterAll(() => platform?.close());

it('runs every step of the quick start against a real platform and real PostgreSQL', async () => {
  const lines: string[] = [];
  await quickstart(platform.admin, (l) => lines.push(l));
  const text = lines.join('\n');
  expect(text).toMatch(/mysql .* \(不可用 · unavailable: No engine pool is configured for mysql/);
  expect(text).toMatch(/ins_\w+ is ready/);
  expect(text).toMatch(/v1 user zw_b_\w+_v1 password .{3}…/);
  expect(text).toMatch(/v2 user zw_b_\w+_v2/);
  expect(text).toMatch(/完整 · intact: \d+ events checked \(HMAC-SM3\)/);
  expect(text).toMatch(/done · 完成/);
  // Its tenant was deleted at the end, with the records of its (deleted) instance.
  expect(await platform.db.selectFrom('instances').select('state').execute()).toEqual([]);
  expect(await platform.db.selectFrom('tenants').select('id').execute()).toEqual([]);
}, 120_000);
