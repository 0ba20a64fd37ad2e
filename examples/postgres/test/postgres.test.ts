import { NotFoundError } from '@zhengwu/sdk';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../packages/platform/test/harness';
import { cleanUp, postgres } from '../src/postgres';

// A real platform with an embedded PostgreSQL engine pool: the rows go to a real database.
let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ ZW_EMBEDDED_ENGINES: 'postgresql' });
}, 120_000);
afterAll(() => platform?.close());

it('provisions PostgreSQL, writes rows with pg and reads them back', async () => {
  const lines: string[] = [];
  const result = await postgres(platform.admin, (l) => lines.push(l), 'test');
  expect(lines.join('\n')).toMatch(/zw_b_\w+_v1@127\.0\.0\.1:\d+\/zw_i_\w+/);
  expect(result.serverVersion).toMatch(/^1[5-9]\./);
  expect(result.rows.map((r) => [r.id, r.applicant, r.matter])).toEqual([
    [1, '张三', '食品经营许可'],
    [2, '李四', '建设工程规划许可'],
    [3, 'Wang Wu', 'Business licence'],
  ]);
  expect(result.rows[0]!.filed_at).toBeInstanceOf(Date);

  // Not an echo: a connection of the test's own, with the same credentials, sees the rows.
  const { credentials } = await platform.admin.bindings.credentials<'postgresql'>(result.bindingId);
  const own = new pg.Client({ connectionString: credentials.uri });
  await own.connect();
  const { rows } = await own.query('SELECT count(*)::int AS n FROM applications');
  await own.end();
  expect(rows[0].n).toBe(3);

  await cleanUp(platform.admin, result);
  // The credentials died with the instance, and the tenant is gone.
  const late = new pg.Client({ connectionString: credentials.uri });
  // 28P01 invalid_password: the role is dropped, and PostgreSQL does not say whether it exists.
  await expect(late.connect()).rejects.toMatchObject({ code: '28P01' });
  await expect(platform.admin.tenants.retrieve(result.tenantId!)).rejects.toBeInstanceOf(
    NotFoundError,
  );
}, 120_000);
