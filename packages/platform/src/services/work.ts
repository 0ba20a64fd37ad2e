import { sql } from 'kysely';
import type { AuditLog } from '../audit/log';
import type { BindingSpec, Broker, InstanceSpec } from '../brokers/broker';
import type { Db } from '../db/database';
import type { BindingRow, InstanceRow } from '../db/schema';
import { ProblemError } from '../http/problems';
import { enqueue } from '../operations/queue';
import type { OperationContext, OperationFinalizer, OperationType } from '../operations/registry';
import type { OwnHandler } from '../operations/runner';
import { release } from '../tenancy/quota';
import { credentialsContext, type ServicesContext } from './context';
import { quotaOf, resolvePlan, specOf } from './plans';

/**
 * The long work behind instances and bindings, as durable operations: every step is
 * idempotent (brokers name engine objects from ids), so a resumed or retried attempt
 * finishes what an earlier one started.
 */

const SYSTEM = { type: 'system', id: 'services', name: 'service brokers' } as const;

/** Engine errors as problems: 503 `unavailable` (retried), without anything secret in them. */
function engineProblem(broker: Broker, error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  // URLs with credentials and anything after "password" never reach an operation's error.
  const safe = raw
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s/@]*@/gi, (m) => m.replace(/\/\/.*@/, '//***@'))
    .replace(/password\S*\s*\S+/gi, 'password ***')
    .slice(0, 300);
  return new ProblemError(
    'unavailable',
    `引擎池 ${broker.pool} 出错 · Engine pool ${broker.pool} failed: ${safe}`,
  );
}

async function loadInstance(db: Db, id: string): Promise<InstanceRow> {
  return db.selectFrom('instances').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function loadBinding(db: Db, id: string): Promise<BindingRow> {
  return db.selectFrom('bindings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

function brokerOf(services: ServicesContext, row: InstanceRow): Broker {
  const broker = row.pool ? services.pools.get(row.pool) : undefined;
  if (!broker) {
    throw new ProblemError(
      'unavailable',
      `实例 ${row.id} 所在引擎池 ${row.pool ?? '(none)'} 未配置 · The engine pool ${row.pool ?? '(none)'} of instance ${row.id} is not configured on this platform.`,
    );
  }
  return broker;
}

async function engine<T>(
  services: ServicesContext,
  broker: Broker,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    services.pools.forgetHealth(broker.pool);
    throw engineProblem(broker, error);
  }
}

/** Gives back an instance's quota once (the `reserved` column says what it still holds). */
async function releaseQuota(trx: Db, row: InstanceRow): Promise<void> {
  const held = await trx
    .selectFrom('instances')
    .select('reserved')
    .where('id', '=', row.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (!held.reserved) return;
  await release(trx, row.tenant_id, held.reserved);
  await trx.updateTable('instances').set({ reserved: null }).where('id', '=', row.id).execute();
}

/** Unbinds every version of a binding not yet revoked, and records the revocations. */
async function revokeAll(
  services: ServicesContext,
  db: Db,
  broker: Broker,
  instance: InstanceSpec,
  binding: BindingRow,
): Promise<void> {
  const versions = await db
    .selectFrom('binding_credentials')
    .select('version')
    .where('binding_id', '=', binding.id)
    .where('revoked_at', 'is', null)
    .execute();
  // The current version even when its credentials were never stored (a bind cut short).
  const all = new Set([...versions.map((v) => v.version), binding.credentials_version]);
  for (const version of all) {
    await engine(services, broker, () =>
      broker.unbind(instance, { id: binding.id, version, parameters: binding.parameters }),
    );
    await db
      .updateTable('binding_credentials')
      .set({ revoked_at: new Date() })
      .where('binding_id', '=', binding.id)
      .where('version', '=', version)
      .execute();
  }
}

/** Issues credentials of one version in the engine and stores them sealed. */
async function issue(
  services: ServicesContext,
  db: Db,
  broker: Broker,
  instance: InstanceSpec,
  binding: BindingSpec & { tenantId: string },
): Promise<void> {
  const credentials = await engine(services, broker, () => broker.bind(instance, binding));
  const sealed = await services.sealer.seal(
    binding.tenantId,
    credentials,
    credentialsContext(binding.id, binding.version),
  );
  await db
    .insertInto('binding_credentials')
    .values({ binding_id: binding.id, version: binding.version, sealed, issued_at: new Date() })
    .onConflict((oc) =>
      oc.columns(['binding_id', 'version']).doUpdateSet({ sealed, issued_at: new Date() }),
    )
    .execute();
}

/** Input of the `app.restart` a rotation asks for (how a resumed rotation finds it). */
const rotationRestart = (bindingId: string, version: number) => ({
  reason: 'binding-rotated',
  bindingId,
  version,
});

/**
 * A rolling restart of an app whose bindings changed (an `app.restart` operation, audited
 * with its reason), so its replicas get the credentials as they now are — as Heroku
 * restarts dynos on a config change. An app with nothing running picks them up at its first
 * rollout.
 */
async function restartApp(
  trx: Db,
  audit: AuditLog,
  appId: string,
  input: Record<string, unknown>,
  why: string,
  requestId: string,
): Promise<void> {
  const app = await trx
    .selectFrom('apps')
    .select(['id', 'tenant_id', 'state', 'current_release_id'])
    .where('id', '=', appId)
    .executeTakeFirst();
  if (!app?.current_release_id || !['running', 'degraded'].includes(app.state)) return;
  const op = await enqueue(trx, {
    type: 'app.restart',
    tenantId: app.tenant_id,
    target: { type: 'app', id: app.id },
    input,
    requestId,
    maxAttempts: 10,
  });
  await trx
    .updateTable('apps')
    .set({ last_operation_id: op.id, updated_at: new Date() })
    .where('id', '=', app.id)
    .execute();
  await audit.append(trx, {
    principal: SYSTEM,
    tenantId: app.tenant_id,
    action: 'app.restart',
    target: { type: 'app', id: app.id },
    outcome: 'success',
    reason: why,
    sourceIp: '127.0.0.1',
    userAgent: null,
    requestId,
  });
}

/** Whether a binding is one of its app's manifest resources (made and replaced by deploys). */
async function manifestBinding(trx: Db, bindingId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('app_resources')
    .select('binding_id')
    .where('binding_id', '=', bindingId)
    .executeTakeFirst();
  return row !== undefined;
}

const RESTART_WAIT_MS = 15 * 60_000;

/** Waits for the restart a rotation asked for to end (however it ends); none: at once. */
async function restartDone(
  db: Db,
  appId: string,
  bindingId: string,
  version: number,
  signal: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + RESTART_WAIT_MS;
  for (;;) {
    const op = await db
      .selectFrom('operations')
      .select('state')
      .where('type', '=', 'app.restart')
      .where('target_id', '=', appId)
      .where(sql<boolean>`input @> ${JSON.stringify(rotationRestart(bindingId, version))}::jsonb`)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (!op || !['pending', 'running'].includes(op.state) || Date.now() > deadline) return;
    signal.throwIfAborted();
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function serviceOperations(
  services: ServicesContext,
  audit: AuditLog,
): Map<OperationType, OwnHandler> {
  const provision = async ({ operation, db, progress }: OperationContext) => {
    let row = await loadInstance(db, operation.target.id);
    if (row.state !== 'provisioning') return;
    if (!row.pool) {
      const broker = await services.pools.place(db, row.service);
      if (!broker) {
        const health = await services.pools.serviceHealth(row.service);
        throw new ProblemError(
          'unavailable',
          `没有可用的 ${row.service} 引擎池 · No ${row.service} pool can take the instance now${health.available ? ' (all full)' : `: ${health.reason}`}.`,
        );
      }
      // Placement is recorded before any engine work, so a resumed attempt uses the same pool.
      await db
        .updateTable('instances')
        .set({ pool: broker.pool, updated_at: new Date() })
        .where('id', '=', row.id)
        .execute();
      row = { ...row, pool: broker.pool };
    }
    const broker = brokerOf(services, row);
    await progress(30, 'provision', { zh: '正在创建引擎对象', en: 'Creating the engine objects' });
    await engine(services, broker, () => broker.provision(specOf(row)));
  };

  /** A provisioning that succeeded makes the instance `ready` in the transaction that
   * records it (a caller never sees a ready instance whose operation is still running). A
   * failed or canceled one leaves the instance `failed`, its quota given back, and whatever
   * the engine holds of it removed by a cleanup operation. */
  const provisionFinal: OperationFinalizer = async (trx, op, state) => {
    if (state === 'succeeded') {
      await trx
        .updateTable('instances')
        .set({ state: 'ready', updated_at: new Date() })
        .where('id', '=', op.target.id)
        .where('state', '=', 'provisioning')
        .execute();
      return;
    }
    const row = await loadInstance(trx, op.target.id);
    await trx
      .updateTable('instances')
      .set({ state: 'failed', updated_at: new Date() })
      .where('id', '=', row.id)
      .execute();
    await releaseQuota(trx, row);
    if (row.pool) {
      await enqueue(trx, {
        type: 'instance.deprovision',
        tenantId: row.tenant_id,
        target: { type: 'instance', id: row.id },
        input: { cleanup: true },
        requestId: op.requestId,
        maxAttempts: 20,
      });
    }
  };

  const update = async ({ operation, db, progress }: OperationContext) => {
    const row = await loadInstance(db, operation.target.id);
    if (row.state !== 'updating') return;
    const { plan, parameters } = operation.input as {
      plan: string;
      parameters: Record<string, unknown>;
    };
    const broker = brokerOf(services, row);
    await progress(30, 'update', { zh: '正在变更引擎配置', en: 'Changing the engine settings' });
    await engine(services, broker, () => broker.update(specOf(row, plan, parameters)));
  };

  /** The plan change commits with the operation: the new plan in force and storage a smaller
   * plan no longer needs given back; a failed one leaves the old plan, extra quota returned. */
  const updateFinal: OperationFinalizer = async (trx, op, state) => {
    const row = await loadInstance(trx, op.target.id);
    if (row.state !== 'updating') return;
    const { plan, parameters } =
      state === 'succeeded'
        ? (op.input as { plan: string; parameters: Record<string, unknown> })
        : { plan: row.plan, parameters: row.parameters };
    await trx
      .updateTable('instances')
      .set({
        state: 'ready',
        plan,
        parameters: JSON.stringify(parameters),
        updated_at: new Date(),
      })
      .where('id', '=', row.id)
      .execute();
    const next = quotaOf(resolvePlan(row.service, plan).plan);
    if (row.reserved && row.reserved.storageMb > next.storageMb) {
      await release(trx, row.tenant_id, { storageMb: row.reserved.storageMb - next.storageMb });
      await trx
        .updateTable('instances')
        .set({ reserved: JSON.stringify(next) })
        .where('id', '=', row.id)
        .execute();
    }
  };

  const deprovision = async ({ operation, db, progress }: OperationContext) => {
    const row = await loadInstance(db, operation.target.id);
    const cleanup = operation.input.cleanup === true;
    if (!cleanup && row.state !== 'deprovisioning') return;
    const broker = row.pool ? services.pools.get(row.pool) : undefined;
    if (broker) {
      const spec = specOf(row);
      const bindings = await db
        .selectFrom('bindings')
        .selectAll()
        .where('instance_id', '=', row.id)
        .where('state', '<>', 'deleted')
        .execute();
      await progress(20, 'unbind', { zh: '正在吊销绑定凭据', en: 'Revoking binding credentials' });
      for (const binding of bindings) {
        await revokeAll(services, db, broker, spec, binding);
        await db
          .updateTable('bindings')
          .set({ state: 'deleted', deleted_at: new Date(), updated_at: new Date() })
          .where('id', '=', binding.id)
          .execute();
      }
      await progress(60, 'deprovision', {
        zh: '正在删除引擎对象',
        en: 'Removing the engine objects',
      });
      await engine(services, broker, () => broker.deprovision(spec));
    } else if (row.pool) {
      brokerOf(services, row); // throws: the pool it lives on is gone from the configuration
    }
  };

  /** Removal commits with the operation: the instance `deleted` (or, for the cleanup after a
   * failed provisioning, its residue cleared) and its quota given back. A deprovisioning
   * that failed for good leaves the instance `failed` (delete it again). */
  const deprovisionFinal: OperationFinalizer = async (trx, op, state) => {
    const cleanup = op.input.cleanup === true;
    if (state !== 'succeeded') {
      if (cleanup) return;
      await trx
        .updateTable('instances')
        .set({ state: 'failed', updated_at: new Date() })
        .where('id', '=', op.target.id)
        .where('state', '=', 'deprovisioning')
        .execute();
      return;
    }
    const row = await loadInstance(trx, op.target.id);
    if (!cleanup) {
      await trx
        .updateTable('instances')
        .set({ state: 'deleted', deleted_at: new Date(), updated_at: new Date() })
        .where('id', '=', row.id)
        .execute();
    }
    await releaseQuota(trx, row);
    await audit.append(trx, {
      principal: SYSTEM,
      tenantId: row.tenant_id,
      action: 'instance.residual-cleared',
      target: { type: 'instance', id: row.id },
      outcome: 'success',
      reason: cleanup ? 'cleanup after a failed provisioning' : null,
      sourceIp: '127.0.0.1',
      userAgent: null,
      requestId: op.requestId,
    });
  };

  const bind = async ({ operation, db, progress }: OperationContext) => {
    const binding = await loadBinding(db, operation.target.id);
    if (binding.state !== 'creating') return;
    const instance = await loadInstance(db, binding.instance_id);
    const broker = brokerOf(services, instance);
    await progress(40, 'bind', { zh: '正在签发凭据', en: 'Issuing credentials' });
    await issue(services, db, broker, specOf(instance), {
      id: binding.id,
      version: binding.credentials_version,
      parameters: binding.parameters,
      tenantId: binding.tenant_id,
    });
  };

  /** A binding is `ready` when its operation succeeds; one that could not be made is
   * `failed`, and anything the engine made is revoked. */
  const bindFinal: OperationFinalizer = async (trx, op, state) => {
    if (state === 'succeeded') {
      const made = await trx
        .updateTable('bindings')
        .set({ state: 'ready', updated_at: new Date() })
        .where('id', '=', op.target.id)
        .where('state', '=', 'creating')
        .returning(['id', 'app_id'])
        .executeTakeFirst();
      // A binding made for a running app through the API: the app restarts to get its files.
      if (made?.app_id && !(await manifestBinding(trx, made.id))) {
        await restartApp(
          trx,
          audit,
          made.app_id,
          { reason: 'binding-created', bindingId: made.id },
          `binding ${made.id} created for the app`,
          op.requestId,
        );
      }
      return;
    }
    const binding = await loadBinding(trx, op.target.id);
    await trx
      .updateTable('bindings')
      .set({ state: 'failed', updated_at: new Date() })
      .where('id', '=', binding.id)
      .execute();
    await enqueue(trx, {
      type: 'binding.delete',
      tenantId: binding.tenant_id,
      target: { type: 'binding', id: binding.id },
      input: { cleanup: true },
      requestId: op.requestId,
      maxAttempts: 20,
    });
  };

  const rotate = async ({ operation, db, progress, signal }: OperationContext) => {
    const { fromVersion, gracePeriodSeconds } = operation.input as {
      fromVersion: number;
      gracePeriodSeconds: number;
    };
    const binding = await loadBinding(db, operation.target.id);
    if (binding.state !== 'rotating' && binding.credentials_version === fromVersion) return;
    const instance = await loadInstance(db, binding.instance_id);
    const broker = brokerOf(services, instance);
    const spec = specOf(instance);
    const next = fromVersion + 1;
    if (binding.credentials_version === fromVersion) {
      // The successor first: there is never a moment without valid credentials.
      await progress(30, 'issue', { zh: '正在签发新凭据', en: 'Issuing the new credentials' });
      await issue(services, db, broker, spec, {
        id: binding.id,
        version: next,
        parameters: binding.parameters,
        tenantId: binding.tenant_id,
      });
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('bindings')
          .set({
            credentials_version: next,
            rotated_at: new Date(),
            state: 'ready',
            updated_at: new Date(),
          })
          .where('id', '=', binding.id)
          .execute();
        await trx
          .updateTable('binding_credentials')
          .set({ revoke_after: new Date(Date.now() + gracePeriodSeconds * 1000) })
          .where('binding_id', '=', binding.id)
          .where('version', '=', fromVersion)
          .execute();
        if (binding.app_id) {
          await restartApp(
            trx,
            audit,
            binding.app_id,
            rotationRestart(binding.id, next),
            `binding ${binding.id} rotated to version ${next}`,
            operation.requestId,
          );
        }
      });
    }
    if (gracePeriodSeconds === 0) {
      if (binding.app_id) {
        // The app's replicas hold the old credentials until its restart has rolled them.
        await progress(50, 'restart', {
          zh: '正在等待应用以新凭据重启',
          en: 'Waiting for the app to restart with the new credentials',
        });
        await restartDone(db, binding.app_id, binding.id, next, signal);
      }
      await progress(70, 'revoke', {
        zh: '正在吊销旧凭据',
        en: 'Revoking the previous credentials',
      });
      await engine(services, broker, () =>
        broker.unbind(spec, {
          id: binding.id,
          version: fromVersion,
          parameters: binding.parameters,
        }),
      );
      await db
        .updateTable('binding_credentials')
        .set({ revoked_at: new Date() })
        .where('binding_id', '=', binding.id)
        .where('version', '=', fromVersion)
        .execute();
    }
  };

  /** A rotation that failed before the switch leaves the old version in force. */
  const rotateFinal: OperationFinalizer = async (trx, op, state) => {
    if (state === 'succeeded') return;
    await trx
      .updateTable('bindings')
      .set({ state: 'ready', updated_at: new Date() })
      .where('id', '=', op.target.id)
      .where('state', '=', 'rotating')
      .execute();
  };

  const unbind = async ({ operation, db, progress }: OperationContext) => {
    const binding = await loadBinding(db, operation.target.id);
    const cleanup = operation.input.cleanup === true;
    if (!cleanup && binding.state !== 'deleting') return;
    const instance = await loadInstance(db, binding.instance_id);
    const broker = brokerOf(services, instance);
    await progress(40, 'revoke', { zh: '正在吊销凭据', en: 'Revoking credentials' });
    await revokeAll(services, db, broker, specOf(instance), binding);
  };

  const unbindFinal: OperationFinalizer = async (trx, op, state) => {
    if (op.input.cleanup === true) return;
    if (state === 'succeeded') {
      const gone = await trx
        .updateTable('bindings')
        .set({ state: 'deleted', deleted_at: new Date(), updated_at: new Date() })
        .where('id', '=', op.target.id)
        .where('state', '=', 'deleting')
        .returning(['id', 'app_id'])
        .executeTakeFirst();
      // Its app (if running) restarts without the revoked credentials.
      if (gone?.app_id) {
        await restartApp(
          trx,
          audit,
          gone.app_id,
          { reason: 'binding-deleted', bindingId: gone.id },
          `binding ${gone.id} deleted`,
          op.requestId,
        );
      }
      return;
    }
    await trx
      .updateTable('bindings')
      .set({ state: 'failed', updated_at: new Date() })
      .where('id', '=', op.target.id)
      .where('state', '=', 'deleting')
      .execute();
  };

  return new Map<OperationType, OwnHandler>([
    ['instance.provision', { run: provision, finalize: provisionFinal }],
    ['instance.update', { run: update, finalize: updateFinal }],
    ['instance.deprovision', { run: deprovision, finalize: deprovisionFinal }],
    ['binding.create', { run: bind, finalize: bindFinal }],
    ['binding.rotate', { run: rotate, finalize: rotateFinal }],
    ['binding.delete', { run: unbind, finalize: unbindFinal }],
  ]);
}

/**
 * Revokes superseded credentials whose grace period has ended (rotations with
 * `gracePeriodSeconds` > 0). Runs on every replica; a version revoked twice is harmless.
 */
export async function revokeDueCredentials(services: ServicesContext, db: Db): Promise<number> {
  const due = await db
    .selectFrom('binding_credentials as c')
    .innerJoin('bindings as b', 'b.id', 'c.binding_id')
    .innerJoin('instances as i', 'i.id', 'b.instance_id')
    .select(['c.binding_id', 'c.version'])
    .selectAll('i')
    .select(['b.parameters as binding_parameters'])
    .where('c.revoked_at', 'is', null)
    .where('c.revoke_after', '<=', new Date())
    .limit(100)
    .execute();
  for (const row of due) {
    const broker = row.pool ? services.pools.get(row.pool) : undefined;
    if (!broker) continue;
    await broker.unbind(specOf(row as unknown as InstanceRow), {
      id: row.binding_id,
      version: row.version,
      parameters: row.binding_parameters,
    });
    await db
      .updateTable('binding_credentials')
      .set({ revoked_at: new Date() })
      .where('binding_id', '=', row.binding_id)
      .where('version', '=', row.version)
      .execute();
  }
  return due.length;
}
