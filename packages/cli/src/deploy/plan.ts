/**
 * The deploy plan, like `terraform plan`: does the app exist, and which of the manifest's
 * resources will be created and which reused. A resource is the instance named by its `id`
 * (shared across apps, Score semantics) or, without one, `<app>-<resource>` in the tenant.
 */
import type { Schemas, Zhengwu } from '@zhengwu/sdk';
import type { Ctx } from '../context';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { maybeApp } from '../lookup';
import type { ManifestLike } from './manifest';

type Instance = Schemas['Instance'];

const RESOURCE_NAME = /^[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

export interface PlannedResource {
  /** The resource's key in the manifest, e.g. `db`. */
  name: string;
  type: string;
  class: string;
  params: Record<string, unknown>;
  /** The instance it resolves to. */
  instanceName: string;
  shared: boolean;
  action: 'create' | 'reuse';
  instanceId: string | null;
  /** Why a reused instance differs from the manifest (it is never changed by a deploy). */
  note: string | null;
}

export interface DeployPlan {
  tenantId: string | null;
  app: {
    name: string;
    action: 'create' | 'update';
    id: string | null;
    /** Version of the release being served, if any. */
    currentVersion: number | null;
    /** Version the new release will get (one above the newest, failed ones included). */
    nextVersion: number;
  };
  processes: string[];
  resources: PlannedResource[];
}

/** The instance name a manifest resource resolves to. */
export function instanceNameFor(app: string, resource: string, id: string | undefined): string {
  // `resourceInstanceName` of `@zhengwu/manifest` (loaded lazily by the CLI), whose check
  // already refused a name over 63 characters; this guards a manifest that skipped it.
  const name = id ?? `${app}-${resource}`;
  if (!RESOURCE_NAME.test(name)) {
    throw new CliError(
      `资源 ${resource} 的实例名 ${name} 无效（最长 63 个字符）· Resource ${resource} would be named ${name}, which is not a valid instance name (at most 63 characters)`,
      EXIT.refused,
      `在 resources.${resource}.id 中给出较短的名称 · set a shorter name in resources.${resource}.id`,
    );
  }
  return name;
}

export async function makePlan(
  client: Zhengwu,
  manifest: ManifestLike,
  tenantId: string | null,
): Promise<DeployPlan> {
  const appName = manifest.metadata.name;
  const [app, instances] = await Promise.all([
    maybeApp(client, appName, tenantId ?? undefined),
    client.instances.list(tenantId ? { tenantId } : {}).toArray({ max: 10_000 }),
  ]);
  const live = new Map<string, Instance>();
  for (const i of instances) if (i.state !== 'deleted') live.set(i.name, i);

  const resources = Object.entries(manifest.resources ?? {}).map(
    ([name, spec]): PlannedResource => {
      const instanceName = instanceNameFor(appName, name, spec.id);
      const existing = live.get(instanceName);
      const base = {
        name,
        type: spec.type,
        class: spec.class,
        params: spec.params ?? {},
        instanceName,
        shared: spec.id !== undefined,
      };
      if (!existing) return { ...base, action: 'create', instanceId: null, note: null };
      if (existing.service !== spec.type || existing.state === 'failed') {
        throw new CliError(
          existing.service !== spec.type
            ? `实例 ${instanceName} 已存在，但服务是 ${existing.service}，清单要求 ${spec.type} · Instance ${instanceName} exists as ${existing.service}, the manifest asks for ${spec.type}`
            : `实例 ${instanceName} 处于失败状态 · Instance ${instanceName} is in a failed state`,
          EXIT.conflict,
          `删除它（zw services delete ${instanceName}），或在 resources.${name}.id 中换一个名称 · delete it (zw services delete ${instanceName}), or name another one in resources.${name}.id`,
        );
      }
      const note =
        existing.plan !== spec.class
          ? `规格为 ${existing.plan}，清单要求 ${spec.class}，部署不会更改 · its plan is ${existing.plan}, the manifest says ${spec.class}; deploy does not change it`
          : null;
      return { ...base, action: 'reuse', instanceId: existing.id, note };
    },
  );

  let currentVersion: number | null = null;
  let nextVersion = 1;
  if (app) {
    const newest = (await client.apps.releases.list(app.id, { limit: 1 })).data[0];
    nextVersion = (newest?.version ?? 0) + 1;
    if (app.currentReleaseId) {
      currentVersion = (await client.apps.releases.retrieve(app.id, app.currentReleaseId)).version;
    }
  }
  return {
    tenantId: app?.tenantId ?? tenantId,
    app: {
      name: appName,
      action: app ? 'update' : 'create',
      id: app?.id ?? null,
      currentVersion,
      nextVersion,
    },
    processes: Object.keys(manifest.processes),
    resources,
  };
}

export function printPlan(ctx: Ctx, plan: DeployPlan): void {
  const s = ctx.style;
  const sign = (action: 'create' | 'reuse' | 'update') =>
    action === 'create' ? s.green('+') : action === 'update' ? s.yellow('~') : s.cyan('=');
  const verb = (action: 'create' | 'reuse' | 'update') =>
    action === 'create' ? '新建 · create' : action === 'update' ? '更新 · update' : '复用 · reuse';
  ctx.out(
    s.bold(
      `部署计划 · Deploy plan: ${plan.app.name}${plan.tenantId ? ` (tenant ${plan.tenantId})` : ''}`,
    ),
  );
  ctx.out(`  ${sign(plan.app.action)} 应用 app        ${plan.app.name}  ${verb(plan.app.action)}`);
  for (const r of plan.resources) {
    ctx.out(
      `  ${sign(r.action)} 实例 instance   ${r.instanceName}  ${r.type}/${r.class}  ← resources.${r.name}${r.shared ? ' (共享 shared)' : ''}  ${verb(r.action)}`,
    );
    if (r.note) ctx.out(`      ${s.yellow(`! ${r.note}`)}`);
  }
  ctx.out(
    `  ${s.green('+')} 发布 release    v${plan.app.nextVersion}  进程 processes: ${plan.processes.join(', ')}${plan.app.currentVersion ? `  (替换 replaces v${plan.app.currentVersion})` : ''}`,
  );
  const created =
    plan.resources.filter((r) => r.action === 'create').length +
    (plan.app.action === 'create' ? 1 : 0);
  const reused = plan.resources.filter((r) => r.action === 'reuse').length;
  ctx.out(`计划 · Plan: ${created} 新建 to create, ${reused} 复用 to reuse, 1 发布 release.`);
}
