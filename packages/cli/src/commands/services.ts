/** `zw services create|list|show|update|bind|unbind|keys|rotate|delete`: service instances and their bindings. */
import type { Schemas } from '@zhengwu/sdk';
import { CliError, usageError } from '../errors';
import { EXIT } from '../exit-codes';
import { findApp, findBinding, findInstance, tenantIdOf } from '../lookup';
import { fields, shortTime, state } from '../output/format';
import { parseParams } from '../params';
import type { Handler } from '../program';
import { confirmByName } from '../prompt';
import { waitOrExplain } from '../wait';

type Instance = Schemas['Instance'];

export const create: Handler = async (
  ctx,
  [service, plan, name]: [string, string, string],
  opts: { param?: string[]; params?: string; tenant?: string; wait?: boolean },
) => {
  const parameters = parseParams(opts.param, opts.params);
  const client = await ctx.client();
  const tenantId = await tenantIdOf(client, opts.tenant);
  let instance = await client.instances.create({
    name,
    service,
    plan,
    parameters,
    ...(tenantId && { tenantId }),
  });
  if (opts.wait) {
    ctx.note(`开通中 · Provisioning ${name} (${service}/${plan})…`);
    instance = await waitOrExplain(client, { zh: '开通', en: 'Provisioning' }, () =>
      client.instances.waitUntilReady(instance.id, ctx.waiter()),
    );
  }
  ctx.result(instance, () => {
    ctx.out(
      instance.state === 'ready'
        ? `已就绪 · Ready: ${instance.name} (${instance.id})`
        : `开通已开始 · Provisioning started: ${instance.name} (${instance.id}), ${instance.state}`,
    );
    ctx.out(`下一步 · Next: zw services bind ${instance.name} --app <应用 app>`);
  });
};

export const list: Handler = async (ctx, _args, opts: { service?: string; tenant?: string }) => {
  const client = await ctx.client();
  const tenantId = await tenantIdOf(client, opts.tenant);
  const instances = await client.instances
    .list({ ...(tenantId && { tenantId }), ...(opts.service && { serviceId: opts.service }) })
    .toArray({ max: 10_000 });
  ctx.result(instances, () => {
    if (instances.length === 0) {
      ctx.out(
        '还没有服务实例 · No service instances yet. 开通 · Create one: zw services create <服务 service> <规格 plan> <名称 name>',
      );
      return;
    }
    ctx.table(
      [
        { header: '名称 NAME' },
        { header: '服务 SERVICE' },
        { header: '规格 PLAN' },
        { header: '状态 STATE' },
        { header: 'ID' },
        { header: '创建 CREATED' },
      ],
      instances.map((i) => [
        i.name,
        i.service,
        i.plan,
        state(ctx.style, i.state),
        i.id,
        shortTime(i.createdAt),
      ]),
    );
  });
};

export const show: Handler = async (ctx, [ref]: [string], opts: { tenant?: string }) => {
  const client = await ctx.client();
  const instance = await findInstance(client, ref, opts.tenant);
  const bindings = await client.bindings.list({ instanceId: instance.id }).toArray({ max: 1_000 });
  ctx.result({ instance, bindings }, () => {
    printInstance(ctx, instance);
    ctx.out();
    if (bindings.length === 0) {
      ctx.out(
        `没有绑定 · No bindings. 创建 · Create one: zw services bind ${instance.name} --app <应用 app>`,
      );
      return;
    }
    ctx.out(ctx.style.bold('绑定 · Bindings'));
    ctx.table(
      [
        { header: '名称 NAME' },
        { header: '应用 APP' },
        { header: '状态 STATE' },
        { header: '凭据版本 VERSION', align: 'right' },
        { header: 'ID' },
      ],
      bindings.map((b) => [
        b.name,
        b.appId ?? '—',
        state(ctx.style, b.state),
        `v${b.credentialsVersion}`,
        b.id,
      ]),
    );
    ctx.out();
    ctx.out(`凭据 · Credentials: zw services keys ${instance.name}/<绑定 binding>`);
  });
};

function printInstance(ctx: Parameters<Handler>[0], i: Instance): void {
  ctx.out(ctx.style.bold(`${i.name} (${i.id})`));
  ctx.out(
    fields([
      ['服务 Service', `${i.service} / ${i.plan}`],
      ['状态 State', state(ctx.style, i.state)],
      ['租户 Tenant', i.tenantId],
      ['资源池 Pool', i.pool],
      ['参数 Parameters', JSON.stringify(i.parameters)],
      ['管理界面 Dashboard', i.dashboardUrl],
      [
        '最近操作 Operation',
        i.lastOperation ? `${i.lastOperation.type} ${i.lastOperation.state}` : null,
      ],
      ['创建 Created', shortTime(i.createdAt)],
    ]),
  );
}

export const update: Handler = async (
  ctx,
  [ref]: [string],
  opts: { plan?: string; param?: string[]; params?: string; wait?: boolean; tenant?: string },
) => {
  const parameters = parseParams(opts.param, opts.params);
  const changesParameters = opts.param !== undefined || opts.params !== undefined;
  if (opts.plan === undefined && !changesParameters) {
    throw usageError(
      '没有要变更的内容 · Nothing to change',
      '加 --plan <规格> 或 --param key=value · add --plan <plan> or --param key=value',
    );
  }
  const client = await ctx.client();
  const found = await findInstance(client, ref, opts.tenant);
  let instance = await client.instances.update(found.id, {
    ...(opts.plan !== undefined && { plan: opts.plan }),
    ...(changesParameters && { parameters }),
  });
  if (opts.wait) {
    ctx.note(`变更中 · Updating ${instance.name}…`);
    const started = instance.lastOperation?.id;
    const { waitFor } = await import('@zhengwu/sdk');
    // The instance is `ready` again after a failed update too: its operation tells them apart.
    instance = await waitOrExplain(client, { zh: '变更', en: 'Update' }, () =>
      waitFor(
        `instance ${found.id} to be updated`,
        () => client.instances.retrieve(found.id),
        (i) => {
          const op = i.lastOperation;
          if (started && op?.id === started) {
            if (op.state === 'failed' || op.state === 'canceled') return 'failure';
            if (op.state !== 'succeeded') return 'retry';
          }
          if (i.state === 'ready') return 'success';
          return i.state === 'failed' || i.state === 'deleted' ? 'failure' : 'retry';
        },
        ctx.waiter(),
        (i) => i.state,
      ),
    );
  }
  ctx.result(instance, () => {
    ctx.out(
      instance.state === 'ready'
        ? `已变更 · Updated: ${instance.name} (${instance.id}), ${instance.service}/${instance.plan}`
        : `变更已开始 · Update started: ${instance.name} (${instance.id}), ${instance.state}`,
    );
    if (instance.state === 'ready')
      ctx.out(`参数 · Parameters: ${JSON.stringify(instance.parameters)}`);
    else ctx.out(`查看进度 · Follow it: zw services show ${instance.name}`);
  });
};

export const bind: Handler = async (
  ctx,
  [ref]: [string],
  opts: { app?: string; as?: string; param?: string[]; wait?: boolean; tenant?: string },
) => {
  const parameters = parseParams(opts.param);
  const client = await ctx.client();
  const instance = await findInstance(client, ref, opts.tenant);
  const app = opts.app ? await findApp(client, opts.app, instance.tenantId) : undefined;
  const name = opts.as ?? app?.name;
  if (!name) {
    throw usageError(
      '需要绑定名称 · A binding name is needed',
      '加 --app <应用> 或 --as <名称> · add --app <app> or --as <name>',
    );
  }
  let binding = await client.bindings.create({
    instanceId: instance.id,
    name,
    ...(app && { appId: app.id }),
    ...(Object.keys(parameters).length > 0 && { parameters }),
  });
  if (opts.wait) {
    binding = await waitOrExplain(client, { zh: '绑定', en: 'Binding' }, () =>
      client.bindings.waitUntilReady(binding.id, ctx.waiter()),
    );
  }
  ctx.result(binding, () => {
    ctx.out(
      `绑定已创建 · Binding created: ${instance.name}/${binding.name} (${binding.id}), ${binding.state}`,
    );
    if (app)
      ctx.out(
        `应用 ${app.name} 下次发布时获得凭据 · ${app.name} gets the credentials with its next release`,
      );
    ctx.out(`凭据 · Credentials: zw services keys ${instance.name}/${binding.name}`);
  });
};

export const unbind: Handler = async (
  ctx,
  [ref]: [string],
  opts: { yes?: boolean; wait?: boolean },
) => {
  const client = await ctx.client();
  const found = await findBinding(client, ref);
  if (found.state === 'deleted') {
    throw new CliError(
      `绑定已删除 · Binding already deleted: ${found.name} (${found.id})`,
      EXIT.notFound,
      '运行 zw services show <实例> 查看现有绑定 · run zw services show <instance> to see the bindings',
    );
  }
  await confirmByName(ctx.io, { zh: '删除绑定', en: 'delete binding' }, found.name, opts.yes);
  let binding = await client.bindings.delete(found.id);
  if (opts.wait) {
    const { NotFoundError, waitFor } = await import('@zhengwu/sdk');
    binding = await waitOrExplain(client, { zh: '删除绑定', en: 'Unbinding' }, () =>
      waitFor(
        `binding ${found.id} to be deleted`,
        () =>
          client.bindings.retrieve(found.id).catch((error: unknown) => {
            // Gone altogether counts as deleted.
            if (error instanceof NotFoundError) return { ...binding, state: 'deleted' as const };
            throw error;
          }),
        (b) => (b.state === 'deleted' ? 'success' : b.state === 'failed' ? 'failure' : 'retry'),
        ctx.waiter(),
        (b) => b.state,
      ),
    );
  }
  ctx.result(binding, () => {
    ctx.out(
      binding.state === 'deleted'
        ? `已删除绑定，凭据已吊销 · Unbound: ${binding.name} (${binding.id}), its credentials are revoked`
        : `删除已开始 · Unbinding started: ${binding.name} (${binding.id}), ${binding.state}`,
    );
    if (binding.appId)
      ctx.out(
        `应用 ${binding.appId} 若在运行，将滚动重启且不再获得这些凭据 · App ${binding.appId}, if running, is roll-restarted without these credentials`,
      );
  });
};

export const keys: Handler = async (ctx, [ref]: [string]) => {
  const client = await ctx.client();
  const binding = await findBinding(client, ref);
  const creds = await client.bindings.credentials(binding.id);
  ctx.note(
    ctx.style.yellow(
      '⚠ 以下凭据是机密：不要贴到聊天、工单或日志中；泄露后请立即轮换（zw services rotate）\n⚠ These credentials are secret: keep them out of chats, tickets and logs; if they leak, rotate them (zw services rotate)',
    ),
  );
  ctx.result(creds, () => {
    const entries = Object.entries(creds.credentials).map(([k, v]): [string, string] => [
      k,
      typeof v === 'string' ? v : JSON.stringify(v),
    ]);
    ctx.out(fields(entries));
    ctx.out();
    ctx.out(`凭据版本 · Version v${creds.version}, 签发于 · issued ${shortTime(creds.issuedAt)}`);
  });
};

export const rotate: Handler = async (
  ctx,
  [ref]: [string],
  opts: { grace?: number; wait?: boolean },
) => {
  const client = await ctx.client();
  const found = await findBinding(client, ref);
  let binding = await client.bindings.rotate(
    found.id,
    opts.grace !== undefined ? { gracePeriodSeconds: opts.grace } : {},
  );
  if (opts.wait) {
    binding = await waitOrExplain(client, { zh: '轮换', en: 'Rotation' }, () =>
      client.bindings.waitUntilReady(binding.id, ctx.waiter()),
    );
  }
  ctx.result(binding, () =>
    ctx.out(
      binding.state === 'ready'
        ? `已轮换 · Rotated: ${binding.name} now at v${binding.credentialsVersion}`
        : `轮换已开始 · Rotation started: ${binding.name} (${binding.state})`,
    ),
  );
};

export const remove: Handler = async (
  ctx,
  [ref]: [string],
  opts: { force?: boolean; yes?: boolean; wait?: boolean; tenant?: string },
) => {
  const client = await ctx.client();
  const instance = await findInstance(client, ref, opts.tenant);
  if (opts.force) {
    // Forced, the bindings go too: say which apps lose the service before it happens.
    const bindings = await client.bindings
      .list({ instanceId: instance.id })
      .toArray({ max: 1_000 });
    const appIds = [...new Set(bindings.flatMap((b) => (b.appId ? [b.appId] : [])))];
    const names = await Promise.all(
      appIds.map((id) =>
        client.apps.retrieve(id).then(
          (app) => app.name,
          () => id,
        ),
      ),
    );
    if (names.length > 0) {
      ctx.note(
        `注意：应用 ${names.join('、')} 将失去此服务（其连接会被断开）· Warning: app ${names.join(', ')} will lose this service (its connections are cut)`,
      );
    }
  }
  await confirmByName(ctx.io, { zh: '删除实例', en: 'delete instance' }, instance.name, opts.yes);
  let deleted = await client.instances.delete(instance.id, opts.force ? { force: true } : {});
  if (opts.wait) {
    await waitOrExplain(client, { zh: '删除', en: 'Deletion' }, () =>
      client.instances.waitUntilDeleted(instance.id, ctx.waiter()),
    );
    deleted = { ...deleted, state: 'deleted' };
  }
  ctx.result(deleted, () =>
    ctx.out(
      deleted.state === 'deleted'
        ? `已删除 · Deleted: ${instance.name}`
        : `删除已开始 · Deletion started: ${instance.name} (${deleted.state})`,
    ),
  );
};
export { remove as delete };
