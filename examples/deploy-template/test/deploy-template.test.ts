import { NotFoundError } from '@zhengwu/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../packages/platform/test/harness';
import { cleanUp, deployTemplate } from '../src/deploy-template';
import { routerGet } from '../src/router-get';

// A real platform that runs apps (local runtime) with the engines the approval template
// needs: embedded PostgreSQL and object storage (on a free port: test files run in parallel).
// The first build installs the template's dependencies from the npm registry.
let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({
    ZW_EMBEDDED_ENGINES: 'postgresql,object-storage',
    ZW_OBJECT_STORAGE_PORT: '0',
    ZW_APP_RUNTIME: 'local',
  });
}, 120_000);
afterAll(() => platform?.close(), 120_000);

it('scaffolds, packs, uploads and releases the approval template; its page answers 200', async () => {
  const lines: string[] = [];
  const result = await deployTemplate(platform.admin, (l) => lines.push(l), 'test');
  const text = lines.join('\n');

  expect(result.appName).toBe('approval-test');
  expect(result.releaseVersion).toBe(1);
  expect(text).toMatch(/\d+ files, \d+ bytes, sha256 [0-9a-f]{12}…/);
  expect(text).toMatch(/v1 succeeded/);
  // The app's URL names the app and its tenant, on the platform's own port.
  const url = new URL(result.url);
  expect(url.hostname).toBe('approval-test.deploy-example-test.localhost');
  expect(url.port).toBe(new URL(platform.url).port);
  expect(result.page).toEqual({
    status: 200,
    contentType: expect.stringMatching(/^text\/html/),
    title: '行政审批 · Administrative approval',
  });
  // The platform made the manifest's resources and the app reads its database through them.
  const app = await platform.admin.apps.retrieve(result.appId);
  expect(app.state).toBe('running');
  const instances = await platform.admin.instances
    .list({ tenantId: result.tenantId! })
    .toArray({ max: 100 });
  expect(instances.map((i) => [i.name, i.service, i.state]).sort()).toEqual([
    ['approval-test-db', 'postgresql', 'ready'],
    ['approval-test-files', 'object-storage', 'ready'],
  ]);
  const matters = await routerGet(new URL('api/matters', result.url).href);
  expect(matters.status, matters.body).toBe(200);
  // Rows its release command (`node migrate.js`) wrote to the bound database.
  const ids = (JSON.parse(matters.body) as { items: { id: string }[] }).items.map((m) => m.id);
  expect(ids).toContain('food-business-licence');

  await cleanUp(platform.admin, result);
  // Gone from the router, and the tenant with everything in it.
  expect((await routerGet(result.url)).status).toBe(404);
  await expect(platform.admin.tenants.retrieve(result.tenantId!)).rejects.toBeInstanceOf(
    NotFoundError,
  );
}, 600_000);
