import type { Schemas } from '@zhengwu/openapi';
import { type PagePromise, paginate } from '../core/pagination';
import { APIResource, type BodyOf, type QueryOf, unwrap } from '../core/resource';
import type { InstanceCreateParams, InstanceUpdateParams } from '../core/service-types';
import type { RequestOptions } from '../core/types';
import { type WaiterOptions, waitFor, waitGone } from '../core/waiter';

/** Service instances: a database, a vhost, a bucket … provisioned from a catalog plan. */
export class Instances extends APIResource {
  /**
   * Lists instances visible to you.
   *
   * @example
   * for await (const ins of client.instances.list({ serviceId: 'postgresql' })) console.log(ins.name, ins.state);
   */
  list(
    query: QueryOf<'listInstances'> = {},
    options?: RequestOptions,
  ): PagePromise<Schemas['Instance']> {
    return paginate(query, (q) =>
      this._client.raw.GET('/v1/instances', { params: { query: q }, ...options }),
    );
  }

  /**
   * Starts provisioning an instance; it answers at once in state `provisioning`. For a
   * catalog service named by a literal, `plan` and `parameters` are checked at compile time.
   *
   * @example
   * const db = await client.instances.create({
   *   name: 'approval-db',
   *   service: 'postgresql',
   *   plan: 's',
   *   parameters: { extensions: ['pg_trgm'] },
   * });
   * await client.instances.waitUntilReady(db.id);
   */
  create<S extends string, P extends string = string>(
    body: InstanceCreateParams<S, P>,
    options?: RequestOptions,
  ): Promise<Schemas['Instance']> {
    return unwrap(
      this._client.raw.POST('/v1/instances', {
        body: body as BodyOf<'createInstance'>,
        ...options,
      }),
    );
  }

  /**
   * Gets an instance.
   *
   * @example
   * const ins = await client.instances.retrieve('ins_01hq3x9k2m4n5p6q7r8s');
   */
  retrieve(instanceId: string, options?: RequestOptions): Promise<Schemas['Instance']> {
    return unwrap(
      this._client.raw.GET('/v1/instances/{instanceId}', {
        params: { path: { instanceId } },
        ...options,
      }),
    );
  }

  /**
   * Changes an instance's plan, parameters or labels (asynchronous when the engine must act).
   * Name the instance's service as a type argument to check `plan` and `parameters`.
   *
   * @example
   * await client.instances.update<'postgresql'>(db.id, {
   *   plan: 'm',
   *   parameters: { extensions: ['uuid-ossp'] },
   * });
   * await client.instances.waitUntilReady(db.id);
   */
  update<S extends string = string>(
    instanceId: string,
    body: InstanceUpdateParams<S>,
    options?: RequestOptions,
  ): Promise<Schemas['Instance']> {
    return unwrap(
      this._client.raw.PATCH('/v1/instances/{instanceId}', {
        params: { path: { instanceId } },
        body: body as BodyOf<'updateInstance'>,
        ...options,
      }),
    );
  }

  /**
   * Starts deprovisioning: the engine's data and every binding's credentials are destroyed.
   * An instance with bindings is refused (409 `not_empty`) unless `force` deletes them too.
   *
   * @example
   * await client.instances.delete(db.id);
   * await client.instances.delete(db.id, { force: true }); // with its bindings
   * await client.instances.waitUntilDeleted(db.id);
   */
  delete(
    instanceId: string,
    params: { force?: boolean } = {},
    options?: RequestOptions,
  ): Promise<Schemas['Instance']> {
    return unwrap(
      this._client.raw.DELETE('/v1/instances/{instanceId}', {
        params: {
          path: { instanceId },
          ...(params.force !== undefined && { query: { force: params.force } }),
        },
        ...options,
      }),
    );
  }

  /**
   * Gets what the instance uses (storage, connections …).
   *
   * @example
   * const { storageMb } = await client.instances.usage(db.id);
   */
  usage(instanceId: string, options?: RequestOptions): Promise<Schemas['InstanceUsage']> {
    return unwrap(
      this._client.raw.GET('/v1/instances/{instanceId}/usage', {
        params: { path: { instanceId } },
        ...options,
      }),
    );
  }

  /**
   * Polls until the instance is `ready`; `WaiterFailureError` when it becomes `failed`.
   *
   * @example
   * const ready = await client.instances.waitUntilReady(db.id, { maxWaitTime: 300_000 });
   */
  waitUntilReady(instanceId: string, options?: WaiterOptions): Promise<Schemas['Instance']> {
    return waitFor(
      `instance ${instanceId} to be ready`,
      () => this.retrieve(instanceId, { signal: options?.signal }),
      (ins) =>
        ins.state === 'ready'
          ? 'success'
          : ins.state === 'failed' || ins.state === 'deleted'
            ? 'failure'
            : 'retry',
      options,
      (ins) => ins.state,
    );
  }

  /**
   * Polls until the instance is gone (`deleted`, or no longer found).
   *
   * @example
   * await client.instances.waitUntilDeleted(db.id);
   */
  waitUntilDeleted(instanceId: string, options?: WaiterOptions): Promise<void> {
    return waitGone(
      `instance ${instanceId} to be deleted`,
      () => this.retrieve(instanceId, { signal: options?.signal }),
      options,
    );
  }
}
