import { NotFoundError } from '@zhengwu/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../packages/platform/test/harness';
import { appLogs, cleanUp } from '../src/app-logs';

// A real platform that runs apps as child processes (local runtime); the tiny app needs no
// engine and no npm install.
let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ ZW_APP_RUNTIME: 'local' });
}, 120_000);
afterAll(() => platform?.close(), 60_000);

it("streams the app's logs: a request's line arrives, then an AbortSignal stops the stream", async () => {
  const lines: string[] = [];
  const result = await appLogs(platform.admin, (l) => lines.push(l), 'test');
  const text = lines.join('\n');

  expect(result.request.status).toBe(200);
  // The app's own stdout line for that request, with the trace id only this request carried.
  expect(result.entry).toMatchObject({
    appId: result.appId,
    process: 'web',
    replica: 0,
    source: 'app',
    stream: 'stdout',
    message: `GET ${result.request.path}`,
  });
  expect(Date.parse(result.entry.time)).toBeGreaterThan(Date.now() - 60_000);
  expect(result.stoppedBy).toBe('APIUserAbortError');
  expect(text).toContain(`← ${result.entry.time} web.0 stdout: GET ${result.request.path}`);

  // The platform kept the line: a stream without `follow` returns it from the backlog.
  const backlog = [];
  for await (const e of platform.admin.apps.logs.stream(result.appId, { tail: 50 })) {
    backlog.push(e.message);
  }
  expect(backlog).toContain(`GET ${result.request.path}`);

  await cleanUp(platform.admin, result);
  await expect(platform.admin.tenants.retrieve(result.tenantId!)).rejects.toBeInstanceOf(
    NotFoundError,
  );
}, 120_000);
