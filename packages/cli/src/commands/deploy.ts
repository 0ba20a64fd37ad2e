/**
 * `zw deploy [dir]`: validate → plan → (stop with --dry-run) → create the app → provision
 * missing resources → pack and upload → create the release → follow build, release command
 * and rollout → URL.
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
import { waitOrExplain } from '../wait';

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

  const catalog = await client.catalog.services.list().toArray({ max: 1_000 });
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
  const waiter = () => ctx.waiter(Math.max(1_000, deadline - Date.now()));

  let app =
    plan.app.id !== null
      ? await client.apps.retrieve(plan.app.id)
      : await client.apps.create({
          name: plan.app.name,
          ...(plan.tenantId && { tenantId: plan.tenantId }),
          ...(manifest.metadata.labels && { labels: manifest.metadata.labels }),
        });

  await provision(client, plan, app.tenantId, progress, waiter);

  progress.start('upload', '打包 · packing');
  const archive = await packDirectory(root);
  progress.update('upload', `${archive.files.length} 个文件 files, ${bytes(archive.bytes.length)}`);
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

  let release = await client.apps.releases.create(app.id, {
    sourceId: source.id,
    manifest: manifest as unknown as Record<string, unknown>,
    ...(opts.message && { description: opts.message }),
  });
  release = await followRelease(client, app, release, progress, {
    logs: opts.logs,
    waiter: waiter(),
  });

  progress.start('url');
  app = await client.apps.retrieve(app.id);
  progress.done('url', app.url ?? '没有 web 进程 · no web process');
  return { app, release };
}

/** Creates the plan's missing instances in parallel and waits until every one is ready. */
async function provision(
  client: Zhengwu,
  plan: DeployPlan,
  tenantId: string,
  progress: Progress,
  waiter: () => ReturnType<Ctx['waiter']>,
): Promise<void> {
  if (plan.resources.length === 0) {
    progress.skip('provision', '清单中没有资源 · no resources in the manifest');
    return;
  }
  const toCreate = plan.resources.filter((r) => r.action === 'create');
  const reused = plan.resources.filter((r) => r.action === 'reuse').map((r) => r.instanceName);
  const reusedText = reused.length ? `复用 reused: ${reused.join(', ')}` : '';
  if (toCreate.length === 0) {
    progress.done('provision', reusedText);
    return;
  }
  progress.start('provision', toCreate.map((r) => r.instanceName).join(', '));
  const ready: string[] = [];
  try {
    await Promise.all(
      toCreate.map(async (r: PlannedResource) => {
        // Names are unique per tenant: a deploy retried after a failure finds it and reuses it.
        const created = await client.instances.create({
          name: r.instanceName,
          service: r.type,
          plan: r.class,
          parameters: r.params,
          tenantId,
        });
        await waitOrExplain(
          client,
          { zh: `开通 ${r.instanceName}`, en: `Provisioning ${r.instanceName}` },
          () => client.instances.waitUntilReady(created.id, waiter()),
        );
        ready.push(r.instanceName);
        progress.update('provision', `就绪 ready: ${ready.join(', ')}`);
      }),
    );
  } catch (error) {
    progress.fail('provision');
    throw error;
  }
  progress.done(
    'provision',
    [`新建 created: ${toCreate.map((r) => r.instanceName).join(', ')}`, reusedText]
      .filter(Boolean)
      .join('; '),
  );
}
