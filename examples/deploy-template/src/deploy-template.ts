import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadAppManifest } from '@zhengwu/manifest/node';
import { NotFoundError, waitFor, type Zhengwu } from '@zhengwu/sdk';
import { packFolder } from './pack';
import { routerGet } from './router-get';

/** A first deploy installs the template's npm dependencies: give it minutes, poll gently. */
const patient = { minDelay: 250, maxDelay: 2_000, maxWaitTime: 10 * 60_000 };

export interface DeployResult {
  /** The tenant the example made (a platform-wide token belongs to none), else null. */
  tenantId: string | null;
  appId: string;
  appName: string;
  url: string;
  releaseVersion: number;
  /** The instances the platform made for the manifest's `resources` (by name). */
  resources: string[];
  /** What the app answered through the router. */
  page: { status: number; contentType: string; title: string };
}

/** `npm create zhengwu <dir> -- --template <name> --no-interactive`, as a child process. */
async function scaffold(dir: string, template: string): Promise<void> {
  const require = createRequire(import.meta.url);
  const pkg = require('create-zhengwu/package.json') as { bin: Record<string, string> };
  const bin = join(
    dirname(require.resolve('create-zhengwu/package.json')),
    pkg.bin['create-zhengwu']!,
  );
  const child = spawn(process.execPath, [bin, dir, '--template', template, '--no-interactive'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`create-zhengwu exited with ${code}:\n${output}`);
}

/**
 * Deploying a template with the SDK, the steps `zw deploy` takes: scaffold the approval
 * template, pack its folder, create the app, upload the source, create a release from the
 * manifest, wait until it has rolled out, and GET the app's URL through the platform's router.
 *
 * @param suffix appended to the names so the example can run again on one platform
 */
export async function deployTemplate(
  client: Zhengwu,
  log: (line: string) => void = console.log,
  suffix = Math.random().toString(36).slice(2, 8),
): Promise<DeployResult> {
  // A platform-wide token (the bootstrap admin) belongs to no tenant: make one to work in.
  const me = await client.tokens.whoami();
  const tenantId = me.tenantId
    ? null
    : (
        await client.tenants.create({
          parentId: null,
          name: `deploy-example-${suffix}`,
          displayName: { zh: '模板部署示例', en: 'Template deploy example' },
          level: 'province',
        })
      ).id;

  const work = await mkdtemp(join(tmpdir(), 'zw-deploy-template-'));
  try {
    log('① 用模板创建应用 · Scaffolding the approval template with create-zhengwu');
    const dir = join(work, `approval-${suffix}`);
    await scaffold(dir, 'approval');
    // The manifest goes with the release; the platform checks it against its catalog (422).
    const { manifest } = await loadAppManifest(dir);
    log(
      `   ${dir} — app ${manifest.metadata.name}, resources: ${Object.keys(manifest.resources ?? {}).join(', ')}`,
    );

    log('② 打包 · Packing the folder (tar.gz)');
    const archive = await packFolder(dir);
    log(
      `   ${archive.files.length} files, ${archive.bytes.length} bytes, sha256 ${archive.sha256.slice(0, 12)}…`,
    );

    log('③ 创建应用并上传 · Creating the app and uploading the source');
    const app = await client.apps.create({
      name: manifest.metadata.name,
      ...(tenantId && { tenantId }),
      ...(manifest.metadata.labels && { labels: manifest.metadata.labels }),
    });
    const source = await client.apps.releases.uploadSource(app.id, archive.bytes);
    if (source.sha256 !== archive.sha256)
      throw new Error('上传后校验和不一致 · The upload arrived corrupted');
    log(`   ${app.id}, source ${source.id} (sha256 matches)`);

    log('④ 发布 · Creating the release: build, provision + bind, release command, rollout');
    const release = await client.apps.releases.create(app.id, {
      sourceId: source.id,
      manifest: manifest as unknown as Record<string, unknown>,
      description: 'deployed by examples/deploy-template',
    });
    let last = '';
    const done = await client.apps.releases.waitUntilDone(app.id, release.id, {
      ...patient,
      onPoll: (r) => {
        const { state } = r as { state: string };
        if (state === last) return;
        last = state;
        log(`   v${release.version} ${state}`);
      },
    });
    const running = await client.apps.waitUntilRunning(app.id, patient);
    log(`   ${running.name} is ${running.state}: ${running.url}`);

    log('⑤ 经平台路由访问 · GET the app’s URL through the platform’s router');
    const page = await routerGet(running.url!);
    const title = /<title>([^<]*)<\/title>/.exec(page.body)?.[1] ?? '';
    log(`   HTTP ${page.status} ${page.contentType} — ${title}`);

    return {
      tenantId,
      appId: app.id,
      appName: app.name,
      url: running.url!,
      releaseVersion: done.version,
      // `<app>-<resource>`, unless a resource names a shared instance (`id`): that one stays.
      resources: Object.entries(manifest.resources ?? {})
        .filter(([, resource]) => resource.id === undefined)
        .map(([name]) => `${app.name}-${name}`),
      page: { status: page.status, contentType: page.contentType, title },
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Deletes the app, then the instances its release made (apps leave them), then the tenant. */
export async function cleanUp(client: Zhengwu, result: DeployResult): Promise<void> {
  await client.apps.delete(result.appId);
  await waitFor(
    `app ${result.appId} to be deleted`,
    () =>
      client.apps
        .retrieve(result.appId)
        .catch((e) => (e instanceof NotFoundError ? null : Promise.reject(e))),
    (app) =>
      !app || app.state === 'deleted' ? 'success' : app.state === 'failed' ? 'failure' : 'retry',
    patient,
  );
  const instances = await client.instances
    .list(result.tenantId ? { tenantId: result.tenantId } : {})
    .toArray({ max: 1_000 });
  for (const instance of instances) {
    if (!result.resources.includes(instance.name) || instance.state === 'deleted') continue;
    await client.instances.delete(instance.id, { force: true });
    await client.instances.waitUntilDeleted(instance.id, patient);
  }
  if (result.tenantId) await client.tenants.delete(result.tenantId);
}
