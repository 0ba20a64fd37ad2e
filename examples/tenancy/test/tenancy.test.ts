import { NotFoundError } from '@zhengwu/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../packages/platform/test/harness';
import { cleanUp, tenancy } from '../src/tenancy';

// A real platform (embedded PostgreSQL, or this machine's with ZW_TEST_STATE_DB=external).
let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
}, 60_000);
afterAll(() => platform?.close());

it('creates a province, a city, its quota and a developer token, and reads usage', async () => {
  const lines: string[] = [];
  const result = await tenancy(platform.admin, (l) => lines.push(l), 'test');
  const text = lines.join('\n');
  expect(text).toMatch(/zhejiang-test \(province\)/);
  expect(text).toMatch(/hangzhou-test \(city\), path ten_\w+/);
  expect(text).toMatch(
    /effective: 10 instances, 5 apps, 16384 MiB memory, 102400 MiB storage, 200 replicas/,
  );
  expect(text).toMatch(/tok_\w+ \(developer\) secret zw_[\w-]{3}… expires /);
  expect(text).toMatch(/0\/10 instances, 0\/5 apps, 0\/16384 MiB memory/);
  expect(text).toMatch(/not visible to the city’s developer \(404\)/);

  const token = await platform.admin.tokens.retrieve(result.tokenId);
  expect(token).toMatchObject({ tenantId: result.cityId, role: 'developer', revokedAt: null });
  expect((await platform.admin.tenants.getQuota(result.cityId)).limits.instances).toBe(10);

  await cleanUp(platform.admin, result);
  await expect(platform.admin.tenants.retrieve(result.provinceId)).rejects.toBeInstanceOf(
    NotFoundError,
  );
});
