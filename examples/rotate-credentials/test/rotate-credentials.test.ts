import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../packages/platform/test/harness';
import { cleanUp, rotateCredentials } from '../src/rotate-credentials';

// A real platform with an embedded PostgreSQL engine pool: PostgreSQL itself refuses.
let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ ZW_EMBEDDED_ENGINES: 'postgresql' });
}, 120_000);
afterAll(() => platform?.close());

it('rotates: the new credentials work, the old ones are refused with 28P01', async () => {
  const lines: string[] = [];
  const result = await rotateCredentials(platform.admin, (l) => lines.push(l), 'test');
  const text = lines.join('\n');

  expect(result.before.version).toBe(1);
  expect(result.after.version).toBe(2);
  expect(result.before.username).toMatch(/^zw_b_\w+_v1$/);
  expect(result.after.username).toBe(result.before.username.replace(/_v1$/, '_v2'));
  expect(result.after.uri).not.toBe(result.before.uri);
  // The data outlives the credentials that wrote it.
  expect(result.readWithNew).toBe('轮换前写入 · written before the rotation');
  // 57P01 admin_shutdown: the platform terminated the old role's open session.
  expect(result.openSessionEnded.code).toBe('57P01');
  // 28P01 invalid_password, FATAL: the server's own answer to the old credentials.
  expect(result.oldRefused).toMatchObject({ code: '28P01', severity: 'FATAL' });
  expect(result.oldRefused.message).toContain(result.before.username);
  expect(text).toContain(`FATAL 28P01 ${result.oldRefused.message}`);

  // Checked again from here, with the test's own connections.
  const platformSays = await platform.admin.bindings.credentials<'postgresql'>(result.bindingId);
  expect(platformSays.version).toBe(2);
  const fresh = new pg.Client({ connectionString: platformSays.credentials.uri });
  await fresh.connect();
  expect((await fresh.query('SELECT count(*)::int AS n FROM notes')).rows[0].n).toBe(1);
  await fresh.end();
  const stale = new pg.Client({ connectionString: result.before.uri });
  await expect(stale.connect()).rejects.toMatchObject({ code: '28P01' });

  await cleanUp(platform.admin, result);
  const gone = new pg.Client({ connectionString: platformSays.credentials.uri });
  await expect(gone.connect()).rejects.toMatchObject({ code: '28P01' });
}, 120_000);
