import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppManifest } from '@zhengwu/manifest/node';
import {
  APIUserAbortError,
  NotFoundError,
  type Schemas,
  waitFor,
  type Zhengwu,
} from '@zhengwu/sdk';
import { create } from 'tar';
import { routerGet } from './router-get';
import { writeTinyApp } from './tiny-app';

/** Waits poll briskly here; a real program can keep the SDK defaults (1 s to 15 s). */
const brisk = { minDelay: 100, maxDelay: 1_000, maxWaitTime: 120_000 };

export interface AppLogsResult {
  /** The tenant the example made (a platform-wide token belongs to none), else null. */
  tenantId: string | null;
  appId: string;
  appName: string;
  url: string;
  /** The request sent to the app, with a trace id of its own. */
  request: { path: string; status: number };
  /** The log line that request produced, as it came over the stream. */
  entry: Schemas['LogEntry'];
  /** How the stream ended: the SDK's error for an aborted signal. */
  stoppedBy: string;
}

/**
 * Streaming an app's logs: deploy a tiny app, follow its log stream, send the app a request
 * and watch the line it logs arrive, then stop streaming with an AbortSignal.
 *
 * @param suffix appended to the names so the example can run again on one platform
 */
export async function appLogs(
  client: Zhengwu,
  log: (line: string) => void = console.log,
  suffix = Math.random().toString(36).slice(2, 8),
): Promise<AppLogsResult> {
  // A platform-wide token (the bootstrap admin) belongs to no tenant: make one to work in.
  const me = await client.tokens.whoami();
  const tenantId = me.tenantId
    ? null
    : (
        await client.tenants.create({
          parentId: null,
          name: `logs-example-${suffix}`,
          displayName: { zh: '日志示例', en: 'Logs example' },
          level: 'province',
        })
      ).id;

  log('① 部署一个小应用 · Deploying a tiny app (server.mjs + zhengwu.yaml)');
  const dir = await mkdtemp(join(tmpdir(), 'zw-app-logs-'));
  let app: Schemas['App'];
  try {
    const files = await writeTinyApp(dir, `hello-logs-${suffix}`);
    const { manifest } = await loadAppManifest(dir);
    // The source archive: a gzip-compressed tar of the app's files.
    const chunks: Buffer[] = [];
    const tarball = create({ cwd: dir, gzip: true, portable: true }, files);
    for await (const chunk of tarball as AsyncIterable<Buffer>) chunks.push(chunk);
    app = await client.apps.create({ name: manifest.metadata.name, ...(tenantId && { tenantId }) });
    const release = await client.apps.deploy(app.id, {
      source: Buffer.concat(chunks),
      manifest: manifest as unknown as Record<string, unknown>,
    });
    await client.apps.releases.waitUntilDone(app.id, release.id, brisk);
    app = await client.apps.waitUntilRunning(app.id, brisk);
    log(`   ${app.name} is ${app.state}: ${app.url}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  log('② 跟随日志流 · Following the app’s log stream');
  // Entries after `since` come first, then live ones: the request's line cannot slip
  // between "request sent" and "stream open", whichever happens first.
  const since = new Date().toISOString();
  const trace = randomUUID();
  const controller = new AbortController();
  const giveUp = setTimeout(() => controller.abort(), 30_000);
  const reading = (async () => {
    let seen: Schemas['LogEntry'] | undefined;
    try {
      for await (const entry of client.apps.logs.stream(
        app.id,
        { follow: true, since, source: 'app' },
        { signal: controller.signal },
      )) {
        log(
          `   ← ${entry.time} ${entry.process}.${entry.replica} ${entry.stream}: ${entry.message}`,
        );
        if (entry.message.includes(trace)) {
          seen = entry;
          // Seen what we came for: stop streaming (the SDK ends the request).
          controller.abort();
        }
      }
      return { seen, stoppedBy: 'the server ended the stream' };
    } catch (error) {
      if (!(error instanceof APIUserAbortError)) throw error;
      return { seen, stoppedBy: error.name };
    }
  })();

  log('③ 向应用发请求 · Sending the app a request through the router');
  const path = `/hello?trace=${trace}`;
  // Relative to the app's URL (which may carry a path prefix), as the app sees it: `/hello…`.
  const response = await routerGet(new URL(path.slice(1), app.url!).href);
  log(`   GET ${path} → HTTP ${response.status}`);

  const { seen, stoppedBy } = await reading;
  clearTimeout(giveUp);
  if (!seen)
    throw new Error(`日志中未见请求 · The request's log line did not arrive (${stoppedBy})`);
  log(`④ 已停止 · Stopped streaming: ${stoppedBy}`);
  return {
    tenantId,
    appId: app.id,
    appName: app.name,
    url: app.url!,
    request: { path, status: response.status },
    entry: seen,
    stoppedBy,
  };
}

/** Deletes the app (its replicas stop, its logs go), then the tenant. */
export async function cleanUp(client: Zhengwu, result: AppLogsResult): Promise<void> {
  await client.apps.delete(result.appId);
  await waitFor(
    `app ${result.appId} to be deleted`,
    () =>
      client.apps
        .retrieve(result.appId)
        .catch((e) => (e instanceof NotFoundError ? null : Promise.reject(e))),
    (app) =>
      !app || app.state === 'deleted' ? 'success' : app.state === 'failed' ? 'failure' : 'retry',
    brisk,
  );
  if (result.tenantId) await client.tenants.delete(result.tenantId);
}
