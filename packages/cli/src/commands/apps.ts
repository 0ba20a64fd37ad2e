/** `zw apps list|show|logs|env|scale|rollback|restart|delete`. */
import type { Schemas, Zhengwu } from '@zhengwu/sdk';
import type { Ctx } from '../context';
import { CliError, usageError } from '../errors';
import { EXIT } from '../exit-codes';
import { findApp, tenantIdOf } from '../lookup';
import { fields, megabytes, shortTime, state } from '../output/format';
import type { Handler } from '../program';
import { confirmByName } from '../prompt';
import { parseTime } from '../time';
import { waitOrExplain, waitRelease } from '../wait';

type App = Schemas['App'];
type Release = Schemas['Release'];
type LogEntry = Schemas['LogEntry'];

const processSummary = (app: App) =>
  app.processes.map((p) => `${p.type} ${p.ready}/${p.replicas}`).join(', ') || '—';

export const list: Handler = async (ctx, _args, opts: { tenant?: string }) => {
  const client = await ctx.client();
  const tenantId = await tenantIdOf(client, opts.tenant);
  const apps = await client.apps.list(tenantId ? { tenantId } : {}).toArray({ max: 10_000 });
  ctx.result(apps, () => {
    if (apps.length === 0) {
      ctx.out('还没有应用 · No apps yet. 部署 · Deploy one: zw deploy');
      return;
    }
    ctx.table(
      [
        { header: '名称 NAME' },
        { header: '状态 STATE' },
        { header: '进程 PROCESSES (ready/replicas)' },
        { header: '地址 URL', shrink: true },
        { header: 'ID' },
      ],
      apps.map((a) => [a.name, state(ctx.style, a.state), processSummary(a), a.url ?? '—', a.id]),
    );
  });
};

export const show: Handler = async (ctx, [ref]: [string], opts: { tenant?: string }) => {
  const client = await ctx.client();
  const app = await findApp(client, ref, opts.tenant);
  const releases = (await client.apps.releases.list(app.id, { limit: 5 })).data;
  const bindings = await client.bindings.list({ appId: app.id }).toArray({ max: 1_000 });
  ctx.result({ app, releases, bindings }, () => {
    const current = releases.find((r) => r.id === app.currentReleaseId);
    ctx.out(ctx.style.bold(`${app.name} (${app.id})`));
    ctx.out(
      fields([
        ['状态 State', state(ctx.style, app.state)],
        ['地址 URL', app.url],
        [
          '当前发布 Release',
          current ? `v${current.version} (${current.id})` : app.currentReleaseId,
        ],
        ['租户 Tenant', app.tenantId],
        ['路由 Routes', app.routes.map((r) => `${r.host}${r.path}`).join(', ') || null],
        ['绑定 Bindings', bindings.map((b) => b.name).join(', ') || null],
        ['创建 Created', shortTime(app.createdAt)],
      ]),
    );
    if (app.processes.length) {
      ctx.out();
      ctx.table(
        [
          { header: '进程 PROCESS' },
          { header: '就绪/副本 READY', align: 'right' },
          { header: '内存 MEMORY', align: 'right' },
        ],
        app.processes.map((p) => [p.type, `${p.ready}/${p.replicas}`, megabytes(p.memoryMb)]),
      );
    }
    if (releases.length) {
      ctx.out();
      ctx.table(
        [
          { header: '版本 VERSION' },
          { header: '状态 STATE' },
          { header: '时间 CREATED' },
          { header: '说明 DESCRIPTION', shrink: true },
        ],
        releases.map((r) => [
          `v${r.version}${r.id === app.currentReleaseId ? ' *' : ''}`,
          state(ctx.style, r.state),
          shortTime(r.createdAt),
          r.description ?? '',
        ]),
      );
    }
  });
};

export function formatLog(entry: LogEntry): string {
  // Platform sources name themselves as the process (`build`, `router`): show them once, bracketed.
  const who =
    entry.source !== 'app'
      ? `[${entry.source}]`
      : entry.replica === null
        ? entry.process
        : `${entry.process}.${entry.replica}`;
  return `${entry.time} ${who} ${entry.message}`;
}

export const logs: Handler = async (
  ctx,
  [ref]: [string],
  opts: {
    follow?: boolean;
    tail: number;
    process?: string;
    source?: LogEntry['source'];
    since?: string;
    tenant?: string;
  },
) => {
  const since = opts.since ? parseTime(opts.since, '--since') : undefined;
  const client = await ctx.client();
  const app = await findApp(client, ref, opts.tenant);
  // A process the app does not have would print nothing, forever with -f: say so instead.
  const known = [...app.processes.map((p) => p.type), 'build', 'release', 'router', 'platform'];
  if (opts.process && !known.includes(opts.process)) {
    throw usageError(
      `应用 ${app.name} 没有进程 ${opts.process} · App ${app.name} has no process ${opts.process}`,
      `可选 · one of: ${known.join(', ')}`,
    );
  }
  const signal = ctx.io.signal;
  const query = {
    follow: Boolean(opts.follow),
    tail: opts.tail,
    ...(opts.process && { process: opts.process }),
    ...(opts.source && { source: opts.source }),
    ...(since && { since }),
  };
  try {
    for await (const entry of client.apps.logs.stream(app.id, query, { signal })) {
      // One JSON object per line (NDJSON) with --json, so a follower can parse as it goes.
      ctx.io.stdout.write(`${ctx.json ? JSON.stringify(entry) : formatLog(entry)}\n`);
    }
  } catch (error) {
    // Ctrl+C ends a followed stream: that is how it is meant to stop.
    if (signal?.aborted) return;
    throw error;
  }
};

export const scale: Handler = async (
  ctx,
  [ref]: [string],
  opts: { replicas?: number; process: string; memory?: number; tenant?: string },
) => {
  if (opts.replicas === undefined && opts.memory === undefined) {
    throw usageError(
      '没有要变更的内容 · Nothing to change',
      '加 --replicas <n> 或 --memory <MiB> · add --replicas <n> or --memory <MiB>',
    );
  }
  const client = await ctx.client();
  const app = await findApp(client, ref, opts.tenant);
  // Memory alone keeps the replicas the process has.
  const replicas =
    opts.replicas ?? app.processes.find((p) => p.type === opts.process)?.replicas ?? 1;
  const result = await client.apps.scaling.scale(app.id, {
    processes: [
      {
        type: opts.process,
        replicas,
        ...(opts.memory && { memoryMb: opts.memory }),
      },
    ],
  });
  if (opts.replicas !== undefined) {
    // A manual count on an autoscaled process holds only until the autoscaler's next decision.
    const policy = await client.apps.scaling.getPolicy(app.id).catch(() => undefined);
    if (policy?.enabled && policy.process === opts.process) {
      ctx.note(
        `注意：${opts.process} 由自动伸缩在 ${policy.minReplicas}–${policy.maxReplicas} 个副本间调整，手动设置的副本数只维持到下一次伸缩决策 · Note: ${opts.process} is autoscaled between ${policy.minReplicas} and ${policy.maxReplicas} replicas; a manual count holds only until the autoscaler's next decision`,
      );
    }
  }
  ctx.result(result, () => {
    ctx.out(
      `已伸缩 · Scaled ${app.name}: ${opts.process} → ${replicas}${opts.memory ? ` × ${opts.memory} MiB` : ''}`,
    );
    ctx.table(
      [
        { header: '进程 PROCESS' },
        { header: '副本 REPLICAS', align: 'right' },
        { header: '内存 MEMORY', align: 'right' },
      ],
      result.processes.map((p) => [p.type, String(p.replicas), megabytes(p.memoryMb)]),
    );
  });
};

/** The release to roll back to: `--to` (version or id), else the newest earlier success. */
async function rollbackTarget(client: Zhengwu, app: App, to: string | undefined): Promise<Release> {
  const releases = await client.apps.releases.list(app.id).toArray({ max: 10_000 });
  if (to) {
    const version = /^v?(\d+)$/i.exec(to)?.[1];
    if (!version && !to.startsWith('rel_')) {
      throw usageError(
        `--to 须为版本号（如 3、v3）或发布 ID · --to must be a version (3, v3) or a release id, got ${to}`,
      );
    }
    const target = releases.find((r) => (version ? r.version === Number(version) : r.id === to));
    if (!target) {
      throw new CliError(
        `发布不存在 · Release not found: ${to}`,
        EXIT.notFound,
        `运行 zw apps show ${app.name} 查看发布 · run zw apps show ${app.name} for its releases`,
      );
    }
    return target;
  }
  const current = releases.find((r) => r.id === app.currentReleaseId);
  const target = releases.find(
    (r) =>
      r.state === 'succeeded' &&
      r.id !== app.currentReleaseId &&
      (!current || r.version < current.version),
  );
  if (!target) {
    throw new CliError(
      `没有可回滚的更早成功发布 · ${app.name} has no earlier successful release to roll back to`,
      EXIT.conflict,
    );
  }
  return target;
}

export const rollback: Handler = async (
  ctx,
  [ref]: [string],
  opts: { to?: string; wait?: boolean; tenant?: string },
) => {
  const client = await ctx.client();
  const app = await findApp(client, ref, opts.tenant);
  const target = await rollbackTarget(client, app, opts.to);
  let release = await client.apps.rollback(app.id, { releaseId: target.id });
  if (opts.wait) {
    ctx.note(`回滚中 · Rolling back ${app.name} to v${target.version}…`);
    release = await waitRelease(client, app, release, ctx.waiter());
  }
  ctx.result(release, () =>
    ctx.out(
      release.state === 'succeeded'
        ? `已回滚 · Rolled back ${app.name} to v${target.version} (now v${release.version})`
        : `回滚已开始 · Rollback started: ${app.name} → v${target.version} as v${release.version} (${release.state})`,
    ),
  );
};

const ASSIGNMENT = /^([A-Z_][A-Z0-9_]{0,127})=(.*)$/s;

/** `zw apps env <app> [KEY=VALUE…] [--unset KEY…] [--restart]`: config vars. */
export const env: Handler = async (
  ctx,
  [ref, assignments = []]: [string, string[]?],
  opts: { unset?: string[]; restart?: boolean; tenant?: string },
) => {
  const client = await ctx.client();
  let app = await findApp(client, ref, opts.tenant);
  const patch: Record<string, string | null> = {};
  for (const assignment of assignments) {
    const match = ASSIGNMENT.exec(assignment);
    if (!match) {
      throw usageError(
        `不是 KEY=VALUE 形式 · Not a KEY=VALUE pair: ${assignment}`,
        '变量名用大写字母、数字和下划线 · names are upper-case letters, digits and underscores',
      );
    }
    patch[match[1] as string] = match[2] as string;
  }
  for (const key of opts.unset ?? []) patch[key] = null;
  const changing = Object.keys(patch).length > 0;
  if (changing) app = await client.apps.update(app.id, { env: patch });
  if (changing && opts.restart) {
    app = await restartedApp(ctx, client, app.id, {}, true);
  }
  ctx.result(app.env, () => {
    if (changing) {
      ctx.out(
        `已更新 ${app.name} 的配置变量 · Updated the config vars of ${app.name}${opts.restart ? '（已重启 · restarted）' : '；重启后生效 · run zw apps restart to apply'}`,
      );
    }
    const keys = Object.keys(app.env).sort();
    if (keys.length === 0) ctx.out('没有配置变量 · No config vars');
    for (const key of keys) ctx.out(`${key}=${app.env[key]}`);
  });
};

/**
 * Restarts an app; with `wait`, returns once the restart operation has finished (the app is
 * `running` before it begins, so its state alone cannot tell).
 */
async function restartedApp(
  ctx: Ctx,
  client: Zhengwu,
  id: string,
  body: { process?: string },
  wait: boolean,
) {
  const restarted = await client.apps.restart(id, body);
  const operationId = restarted.lastOperation?.id;
  if (!wait || !operationId) return restarted;
  await waitOrExplain(client, { zh: '重启', en: 'Restart' }, () =>
    client.operations.waitUntilDone(operationId, ctx.waiter()),
  );
  return client.apps.retrieve(id);
}

export const restart: Handler = async (
  ctx,
  [ref]: [string],
  opts: { process?: string; wait?: boolean; tenant?: string },
) => {
  const client = await ctx.client();
  const found = await findApp(client, ref, opts.tenant);
  const app = await restartedApp(
    ctx,
    client,
    found.id,
    opts.process ? { process: opts.process } : {},
    opts.wait === true,
  );
  ctx.result(app, () =>
    ctx.out(
      `重启${opts.wait ? '完成' : '已开始'} · Restart ${opts.wait ? 'done' : 'started'}: ${app.name} (${app.state})`,
    ),
  );
};

export const remove: Handler = async (
  ctx,
  [ref]: [string],
  opts: { yes?: boolean; wait?: boolean; tenant?: string },
) => {
  const client = await ctx.client();
  const app = await findApp(client, ref, opts.tenant);
  await confirmByName(ctx.io, { zh: '删除应用', en: 'delete app' }, app.name, opts.yes);
  let deleted = await client.apps.delete(app.id);
  if (opts.wait) {
    const { waitFor } = await import('@zhengwu/sdk');
    deleted = await waitFor(
      `app ${app.id} to be deleted`,
      () => client.apps.retrieve(app.id),
      (a) => (a.state === 'deleted' ? 'success' : a.state === 'failed' ? 'failure' : 'retry'),
      ctx.waiter(),
    );
  }
  ctx.result(deleted, () =>
    ctx.out(
      deleted.state === 'deleted'
        ? `已删除 · Deleted: ${app.name}`
        : `删除已开始 · Deletion started: ${app.name} (${deleted.state})`,
    ),
  );
};
export { remove as delete };
