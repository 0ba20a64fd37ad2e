/**
 * Finding resources the way people name them: by id (`app_…`, `ins_…`) or by name. The API
 * filters lists by tenant and state but not by name, so names are matched over the list.
 */
import type { Schemas, Zhengwu } from '@zhengwu/sdk';
import { CliError, notFound } from './errors';
import { EXIT } from './exit-codes';

type App = Schemas['App'];
type Instance = Schemas['Instance'];
type Binding = Schemas['Binding'];
type Tenant = Schemas['Tenant'];

const MAX = 10_000;

function one<T extends { id: string }>(
  matches: T[],
  ref: string,
  zh: string,
  en: string,
  list: string,
): T {
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw notFound(zh, en, ref, list);
  throw new CliError(
    `有 ${matches.length} 个同名${zh} · ${matches.length} ${en}s are named ${ref}: ${matches.map((m) => m.id).join(', ')}`,
    EXIT.usage,
    '请改用 ID，或加 --tenant <租户> · use the id instead, or add --tenant <tenant>',
  );
}

/** An app by id or name; `tenant` (id or name) picks among apps of the same name. */
export async function findApp(client: Zhengwu, ref: string, tenant?: string): Promise<App> {
  if (ref.startsWith('app_')) return client.apps.retrieve(ref);
  const tenantId = await tenantIdOf(client, tenant);
  const apps = await client.apps.list(tenantId ? { tenantId } : {}).toArray({ max: MAX });
  return one(
    apps.filter((a) => a.name === ref),
    ref,
    '应用',
    'App',
    'zw apps list',
  );
}

/** Like `findApp`, but `undefined` when no app has the name (deploy creates it then). */
export async function maybeApp(
  client: Zhengwu,
  name: string,
  tenantId: string | undefined,
): Promise<App | undefined> {
  const apps = await client.apps.list(tenantId ? { tenantId } : {}).toArray({ max: MAX });
  return apps.find((a) => a.name === name && a.state !== 'deleted');
}

/** An instance by id or name; `tenant` (id or name) picks among instances of the same name. */
export async function findInstance(
  client: Zhengwu,
  ref: string,
  tenant?: string,
): Promise<Instance> {
  if (ref.startsWith('ins_')) return client.instances.retrieve(ref);
  const tenantId = await tenantIdOf(client, tenant);
  const all = await client.instances.list(tenantId ? { tenantId } : {}).toArray({ max: MAX });
  return one(
    all.filter((i) => i.name === ref),
    ref,
    '服务实例',
    'Instance',
    'zw services list',
  );
}

/** A binding by id, by `instance/binding`, or by a name unique among visible bindings. */
export async function findBinding(client: Zhengwu, ref: string): Promise<Binding> {
  if (ref.startsWith('bnd_')) return client.bindings.retrieve(ref);
  const slash = ref.indexOf('/');
  if (slash > 0) {
    const instance = await findInstance(client, ref.slice(0, slash));
    const name = ref.slice(slash + 1);
    const bindings = await client.bindings.list({ instanceId: instance.id }).toArray({ max: MAX });
    return one(
      bindings.filter((b) => b.name === name),
      ref,
      '绑定',
      'Binding',
      `zw services show ${instance.name}`,
    );
  }
  const bindings = await client.bindings.list().toArray({ max: MAX });
  return one(
    bindings.filter((b) => b.name === ref),
    ref,
    '绑定',
    'Binding',
    'zw services show <实例 instance>',
  );
}

export async function findTenant(client: Zhengwu, ref: string): Promise<Tenant> {
  if (ref.startsWith('ten_')) return client.tenants.retrieve(ref);
  const tenants = await client.tenants.list().toArray({ max: MAX });
  return one(
    tenants.filter((t) => t.name === ref),
    ref,
    '租户',
    'Tenant',
    'zw tenants list',
  );
}

/** The tenant id for `--tenant <id|name>`, or undefined to let the platform use the default. */
export async function tenantIdOf(
  client: Zhengwu,
  ref: string | undefined,
): Promise<string | undefined> {
  if (!ref) return undefined;
  return ref.startsWith('ten_') ? ref : (await findTenant(client, ref)).id;
}
