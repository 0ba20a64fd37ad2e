import type { Db } from '../db/database';
import { durable } from '../db/durability-schema';
import type { AppRow, InstanceRow } from '../db/schema';
import type { PlatformContext } from '../http/context';
import { ProblemError } from '../http/problems';
import { newId } from '../ids';
import { enqueue } from '../operations/queue';
import { credentialsContext } from '../services/context';
import { insertProvisioning } from '../services/instances';
import { checkParameters, quotaOf, resolvePlan } from '../services/plans';
import { reserve } from '../tenancy/quota';

/** One `resources` entry of a manifest (Score semantics). */
export interface ResourceRequest {
  type: string;
  class?: string;
  id?: string;
  params?: Record<string, unknown>;
}

/** What a replica gets of a bound resource (servicebinding.io: type, provider, credentials). */
export interface BoundResource {
  type: string;
  provider: string;
  instanceId: string;
  bindingId: string;
  credentials: Record<string, string>;
}

const WAIT_STEP_MS = 150;
const WAIT_LIMIT_MS = 5 * 60_000;

/**
 * The instance name a resource maps to: its shared `id`, else `<app>-<resource>` — the rule of
 * `resourceInstanceName` in `@zhengwu/manifest` (loaded lazily here), whose check refuses a
 * release whose name would be too long.
 */
export function instanceNameOf(app: Pick<AppRow, 'name'>, name: string, res: ResourceRequest) {
  return res.id ?? `${app.name}-${name}`;
}

async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  failed: (value: T) => string | null | Promise<string | null>,
  signal?: AbortSignal,
): Promise<T> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    const why = await failed(value);
    if (why) throw new ProblemError('unavailable', `${what}: ${why}`);
    if (Date.now() > deadline) throw new ProblemError('unavailable', `${what}: timed out`);
    signal?.throwIfAborted();
    await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
  }
}

/** `: <detail>` of the problem an operation failed with, or nothing. */
async function operationProblem(db: Db, operationId: string | null): Promise<string> {
  if (!operationId) return '';
  const op = await durable(db)
    .selectFrom('operations')
    .select('error')
    .where('id', '=', operationId)
    .executeTakeFirst();
  const problem = op?.error as { detail?: string; code?: string } | null | undefined;
  return problem?.detail ? `: ${problem.detail}` : '';
}

/** Finds or creates (provisioning, quota reserved) the instance behind one resource. */
async function ensureInstance(
  ctx: PlatformContext,
  app: AppRow,
  name: string,
  res: ResourceRequest,
  requestId: string,
): Promise<string> {
  const { service, plan } = resolvePlan(res.type, res.class ?? 'dev');
  const instanceName = instanceNameOf(app, name, res);
  return ctx.db.transaction().execute(async (trx) => {
    const known = await trx
      .selectFrom('app_resources as r')
      .innerJoin('instances as i', 'i.id', 'r.instance_id')
      .select(['i.id', 'i.state'])
      .where('r.app_id', '=', app.id)
      .where('r.name', '=', name)
      .executeTakeFirst();
    if (known && !['deleted', 'failed', 'deprovisioning'].includes(known.state)) return known.id;
    const existing = await trx
      .selectFrom('instances')
      .selectAll()
      .where('tenant_id', '=', app.tenant_id)
      .where('name', '=', instanceName)
      .where('state', 'not in', ['deleted', 'failed'])
      .forUpdate()
      .executeTakeFirst();
    let id: string;
    if (existing) {
      if (existing.service !== service.id) {
        throw new ProblemError(
          'validation_failed',
          `实例 ${instanceName} 是 ${existing.service}，不是 ${service.id} · Instance "${instanceName}" is a ${existing.service} instance, not ${service.id}.`,
          [
            {
              path: `/resources/${name}/type`,
              message: 'instance of another service',
              code: 'type',
            },
          ],
        );
      }
      id = existing.id;
    } else {
      const parameters = checkParameters(
        service,
        plan,
        'instanceCreate',
        res.params,
        `/resources/${name}/params`,
      );
      id = newId('ins');
      const reserved = quotaOf(plan);
      await reserve(trx, app.tenant_id, reserved, ctx.config.defaultQuota);
      await insertProvisioning(trx, {
        id,
        tenantId: app.tenant_id,
        name: instanceName,
        service: service.id,
        plan: plan.id,
        parameters,
        labels: { app: app.name },
        reserved,
        requestId,
      });
    }
    await trx
      .insertInto('app_resources')
      .values({ app_id: app.id, name, instance_id: id, binding_id: null })
      .onConflict((oc) =>
        oc.columns(['app_id', 'name']).doUpdateSet({ instance_id: id, binding_id: null }),
      )
      .execute();
    return id;
  });
}

/** Finds or creates the app's binding to an instance (one per app and resource). */
async function ensureBinding(
  ctx: PlatformContext,
  app: AppRow,
  name: string,
  instance: InstanceRow,
  requestId: string,
): Promise<string> {
  return ctx.db.transaction().execute(async (trx) => {
    const known = await trx
      .selectFrom('app_resources as r')
      .innerJoin('bindings as b', 'b.id', 'r.binding_id')
      .select(['b.id', 'b.state'])
      .where('r.app_id', '=', app.id)
      .where('r.name', '=', name)
      .executeTakeFirst();
    if (known && !['deleted', 'failed', 'deleting'].includes(known.state)) return known.id;
    const id = newId('bnd');
    const op = await enqueue(trx, {
      type: 'binding.create',
      tenantId: app.tenant_id,
      target: { type: 'binding', id },
      requestId,
    });
    const now = new Date();
    await trx
      .insertInto('bindings')
      .values({
        id,
        tenant_id: app.tenant_id,
        instance_id: instance.id,
        app_id: app.id,
        name: `${app.name}-${name}`.slice(0, 63).replace(/-+$/, ''),
        parameters: JSON.stringify({}),
        state: 'creating',
        rotated_at: null,
        last_operation_id: op.id,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })
      .execute();
    await trx
      .updateTable('app_resources')
      .set({ binding_id: id })
      .where('app_id', '=', app.id)
      .where('name', '=', name)
      .execute();
    return id;
  });
}

/** The current credentials of a binding, opened (for the app's environment only). */
export async function bindingCredentials(
  ctx: PlatformContext,
  db: Db,
  tenantId: string,
  bindingId: string,
): Promise<Record<string, string>> {
  const binding = await db
    .selectFrom('bindings')
    .select(['credentials_version'])
    .where('id', '=', bindingId)
    .executeTakeFirstOrThrow();
  const stored = await db
    .selectFrom('binding_credentials')
    .select('sealed')
    .where('binding_id', '=', bindingId)
    .where('version', '=', binding.credentials_version)
    .executeTakeFirstOrThrow();
  const open = await ctx.services.sealer.open(
    tenantId,
    stored.sealed,
    credentialsContext(bindingId, binding.credentials_version),
  );
  return Object.fromEntries(Object.entries(open).map(([k, v]) => [k, String(v)]));
}

/**
 * Makes every resource of a manifest exist and be bound to the app: instances are created
 * (or the shared one named by `id` reused) through the same durable operations as
 * `POST /v1/instances`, then bound. Idempotent: a resumed release finds what it made.
 */
export async function bindResources(
  ctx: PlatformContext,
  app: AppRow,
  resources: Record<string, ResourceRequest>,
  requestId: string,
  signal?: AbortSignal,
): Promise<Record<string, BoundResource>> {
  const out: Record<string, BoundResource> = {};
  // Provisioning runs in parallel; binding follows each instance as it becomes ready.
  await Promise.all(
    Object.entries(resources).map(async ([name, res]) => {
      const instanceId = await ensureInstance(ctx, app, name, res, requestId);
      const loadInstance = () =>
        ctx.db
          .selectFrom('instances')
          .selectAll()
          .where('id', '=', instanceId)
          .executeTakeFirstOrThrow();
      const instance = await waitFor(
        `资源 ${name} 开通失败 · Provisioning resource "${name}" (${instanceId})`,
        loadInstance,
        (row) => row.state === 'ready' || row.state === 'updating',
        async (row) =>
          ['failed', 'deleted', 'deprovisioning'].includes(row.state)
            ? `${row.state}${await operationProblem(ctx.db, row.last_operation_id)}`
            : null,
        signal,
      );
      const bindingId = await ensureBinding(ctx, app, name, instance, requestId);
      await waitFor(
        `资源 ${name} 绑定失败 · Binding resource "${name}" (${bindingId})`,
        () =>
          ctx.db
            .selectFrom('bindings')
            .select('state')
            .where('id', '=', bindingId)
            .executeTakeFirstOrThrow(),
        (row) => row.state === 'ready' || row.state === 'rotating',
        (row) => (['failed', 'deleted', 'deleting'].includes(row.state) ? row.state : null),
        signal,
      );
      out[name] = {
        type: instance.service,
        provider: 'zhengwu',
        instanceId,
        bindingId,
        credentials: await bindingCredentials(ctx, ctx.db, app.tenant_id, bindingId),
      };
    }),
  );
  return out;
}
