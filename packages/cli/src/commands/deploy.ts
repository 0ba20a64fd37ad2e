/**
 * `zw deploy [dir]`: validate → plan → (stop with --dry-run) → create the app → pack and
 * upload → create the release → follow build, provisioning, release command and rollout → URL.
 *
 * The platform provisions and binds the manifest's resources inside the release, and checks
 * the whole demand (instances, storage, replicas, memory) against the tenant's quota when the
 * release is created: nothing is provisioned for a deploy that would not fit. An app this
 * deploy created is removed again when its first release is refused.
 */
import { resolve } from 'node:path';
import type { Schemas, Zhengwu } from '@zhengwu/sdk';
import type { Ctx } from '../context';
import { followRelease } from '../deploy/follow';
import { loadManifest, MANIFEST_FILE, type ManifestLike } from '../deploy/manifest';
import { packDirectory } from '../deploy/pack';
import { type DeployPlan, makePlan, type PlannedResource, printPlan } from '../deploy/plan';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { tenantIdOf } from '../lookup';
import { bytes } from '../output/format';
import { Progress } from '../output/progress';
import { createStyle } from '../output/style';
import type { Handler } from '../program';
import { parseDuration } from '../time';

interface DeployOptions {
  dryRun?: boolean;
  message?: string;
  tenant?: string;
  logs: boolean;
  timeout: string;
}

export const deploy: Handler = async (ctx, [dir]: [string], opts: DeployOptions) => {
  const timeout = parseDuration(opts.timeout, '--timeout');
  const root = resolve(ctx.io.cwd ?? process.cwd(), dir);
  const client = await ctx.client();

  // The manifest check validates parameters against each plan's instanceCreate schema.
  const catalog = await client.catalog.services.list({ expand: 'schemas' }).toArray({ max: 1_000 });
  const { manifest } = await loadManifest(root, catalog);
  const tenantId =
    (await tenantIdOf(client, opts.tenant)) ?? (await client.tokens.whoami()).tenantId;
  const plan = await makePlan(client, manifest, tenantId);

  if (opts.dryRun) {
    ctx.result({ plan, manifest }, () => {
      printPlan(ctx, plan);
      ctx.out('--dry-run：未做任何改动 · nothing was changed');
    });
    return;
  }
  printPlan(ctx, plan);
  ctx.out();

  // Progress goes to stderr: its colours follow stderr being a terminal, not stdout.
  const live = Boolean(ctx.io.stderrIsTTY);
  const progress = new Progress(ctx.io.stderr, live, createStyle(live, ctx.io.env), ctx.io.columns);
  const processes = Object.keys(manifest.processes).length;
  const resources = plan.resources.length;
  progress.done(
    'validate',
    `${MANIFEST_FILE}: ${processes} 进程 processes, ${resources} 资源 resources`,
  );
  try {
    const { app, release } = await apply(
      ctx,
      client,
      manifest,
      plan,
      progress,
      root,
      opts,
      timeout,
    );
    progress.stop();
    ctx.result({ plan, app, release }, () => {
      ctx.out();
      ctx.out(ctx.style.green(`✔ 已部署 · Deployed ${app.name} v${release.version}`));
      if (app.url) ctx.out(`  ${app.url}`);
      ctx.out(`  日志 · Logs: zw apps logs ${app.name} -f`);
    });
  } finally {
    progress.stop();
  }
};

async function apply(
  ctx: Ctx,
  client: Zhengwu,
  manifest: ManifestLike,
  plan: DeployPlan,
  progress: Progress,
  root: string,
  opts: DeployOptions,
  timeout: number,
): Promise<{ app: Schemas['App']; release: Schemas['Release'] }> {
  const deadline = Date.now() + timeout;
  // A deploy is watched step by step, and a warm one takes about a second: polls backing off
  // to 5 s would show it finished seconds late. One GET every 0.25–0.5 s costs the platform
  // nothing (a few milliseconds of CPU a second).
  const waiter = () =>
    ctx.waiter(Math.max(1_000, deadline - Date.now()), { minDelay: 250, maxDelay: 500 });

  const created = plan.app.id === null;
  let app = created
    ? await client.apps.create({
        name: plan.app.name,
        ...(plan.tenantId && { tenantId: plan.tenantId }),
        ...(manifest.metadata.labels && { labels: manifest.metadata.labels }),
      })
    : await client.apps.retrieve(plan.app.id!);

  let release: Schemas['Release'];
  try {
    progress.start('upload', '打包 · packing');
    const archive = await packDirectory(root);
    progress.update(
      'upload',
      `${archive.files.length} 个文件 files, ${bytes(archive.bytes.length)}`,
    );
    const source = await client.apps.releases.uploadSource(app.id, archive.bytes);
    if (source.sha256 !== archive.sha256) {
      progress.fail('upload');
      throw new CliError(
        `上传后校验和不一致 · The upload arrived corrupted (sha256 ${source.sha256} ≠ ${archive.sha256})`,
        EXIT.failure,
        '重试部署 · retry the deploy',
      );
    }
    progress.done(
      'upload',
      `${archive.files.length} 个文件 files, ${bytes(archive.bytes.length)}, sha256 ${source.sha256.slice(0, 12)}`,
    );
    release = await client.apps.releases.create(app.id, {
      sourceId: source.id,
      manifest: manifest as unknown as Record<string, unknown>,
      ...(opts.message && { description: opts.message }),
    });
  } catch (error) {
    // Refused (quota, manifest) or failed before any release: leave no empty app behind.
    if (created) await removeApp(ctx, client, app.id);
    throw error;
  }
  release = await followRelease(client, app, release, progress, {
    logs: opts.logs,
    waiter: waiter(),
    provision: provisionSummary(plan, progress),
  });

  progress.start('url');
  app = await client.apps.retrieve(app.id);
  progress.done('url', app.url ?? '没有 web 进程 · no web process');
  return { app, release };
}

/** Deletes an app this deploy created and waits until it is gone (best effort: up to 30 s). */
async function removeApp(ctx: Ctx, client: Zhengwu, appId: string): Promise<void> {
  try {
    await client.apps.delete(appId);
    await client.apps.waitUntilDeleted(appId, ctx.waiter(30_000));
  } catch {
    // The deploy's own error is what the user needs to see.
  }
}

/**
 * What the provision step will say once the release has provisioned: the instances it
 * creates and those it reuses. `null` (and the step shown as skipped) without resources.
 */
function provisionSummary(plan: DeployPlan, progress: Progress): string | null {
  if (plan.resources.length === 0) {
    progress.skip('provision', '清单中没有资源 · no resources in the manifest');
    return null;
  }
  const names = (action: PlannedResource['action']) =>
    plan.resources.filter((r) => r.action === action).map((r) => r.instanceName);
  const created = names('create');
  const reused = names('reuse');
  return [
    created.length ? `新建 created: ${created.join(', ')}` : '',
    reused.length ? `复用 reused: ${reused.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
