import { readFile } from 'node:fs/promises';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { startTestPlatform, type TestPlatform } from '../harness';
import { insertToken } from '../tokens-fixture';
import { fixtureTarball, getVia, manifestOf } from './fixture';

/**
 * `ZW_APPS_PUBLIC_URL`: behind a load balancer and wildcard DNS, apps are
 * `https://<app>.<tenant>.<domain>/` — their URL says so, and the router matches that host.
 */
let platform: TestPlatform | undefined;
afterAll(() => platform?.close());

const get = (path: string, host: string) => getVia(platform!.url, path, host);

it('names and routes apps under the public domain', async () => {
  platform = await startTestPlatform(
    { ZW_APPS_PUBLIC_URL: 'https://apps.zhengwu.example' },
    { operations: { pollMs: 50 } },
  );
  const tenant = await platform.admin.tenants.create({
    parentId: null,
    name: 'portal-dept',
    displayName: { zh: '门户', en: 'portal' },
    level: 'province',
  });
  const dev = platform.clientWith(await insertToken(platform.db, tenant.id, 'developer'));
  const app = await dev.apps.create({ tenantId: tenant.id, name: 'hello' });
  const { env: _env, resources: _resources, ...manifest } = manifestOf();
  const release = await dev.apps.deploy(app.id, {
    source: await readFile(await fixtureTarball('1')),
    manifest: manifest as never,
  });
  await dev.apps.releases.waitUntilDone(app.id, release.id, { minDelay: 100, maxWaitTime: 60_000 });
  const shown = await dev.apps.retrieve(app.id);
  expect(shown.url).toBe('https://hello.portal-dept.apps.zhengwu.example/');
  expect(shown.routes).toEqual([
    { host: 'hello.portal-dept.apps.zhengwu.example', path: '/' },
    { host: 'apps.zhengwu.example', path: '/apps/portal-dept/hello/' },
  ]);
  // The load balancer forwards the public host; the router matches it (any port).
  expect(await get('/', 'hello.portal-dept.apps.zhengwu.example')).toEqual({
    status: 200,
    body: 'hello v1',
  });
  expect((await get('/', 'hello.portal-dept.apps.zhengwu.example:443')).status).toBe(200);
  // The default domain no longer routes to apps.
  expect((await get('/', 'hello.portal-dept.localhost')).status).toBe(404);
}, 90_000);

it('refuses a public URL that is not an http(s) origin with a domain name', () => {
  for (const bad of [
    'apps.zhengwu.example',
    'https://10.0.0.1',
    'https://apps.example/sub',
    'ftp://a.b',
  ]) {
    expect(() => loadConfig({ ZW_APPS_PUBLIC_URL: bad })).toThrow(/ZW_APPS_PUBLIC_URL must be/);
  }
  expect(loadConfig({ ZW_APPS_PUBLIC_URL: 'http://apps.local:8080' }).appsPublicUrl?.port).toBe(
    '8080',
  );
});
