import type { Schemas } from '@zhengwu/openapi';
import { type PagePromise, paginate } from '../core/pagination';
import { APIResource, type BodyOf, type QueryOf, unwrap } from '../core/resource';
import type { BindingCreateParams, BindingCredentialsOf } from '../core/service-types';
import type { RequestOptions } from '../core/types';
import { type WaiterOptions, waitFor } from '../core/waiter';

/** Bindings: credentials for one app or person on one instance, rotatable. */
export class Bindings extends APIResource {
  /**
   * Lists bindings.
   *
   * @example
   * for await (const b of client.bindings.list({ instanceId: db.id })) console.log(b.name, b.state);
   */
  list(
    query: QueryOf<'listBindings'> = {},
    options?: RequestOptions,
  ): PagePromise<Schemas['Binding']> {
    return paginate(query, (q) =>
      this._client.raw.GET('/v1/bindings', { params: { query: q }, ...options }),
    );
  }

  /**
   * Starts creating credentials on an instance. Name the instance's service as a type
   * argument to check `parameters`.
   *
   * @example
   * const binding = await client.bindings.create<'postgresql'>({
   *   instanceId: db.id,
   *   name: 'approval-report',
   *   parameters: { readOnly: true },
   * });
   * await client.bindings.waitUntilReady(binding.id);
   */
  create<S extends string = string>(
    body: BindingCreateParams<S>,
    options?: RequestOptions,
  ): Promise<Schemas['Binding']> {
    return unwrap(
      this._client.raw.POST('/v1/bindings', { body: body as BodyOf<'createBinding'>, ...options }),
    );
  }

  /**
   * Gets a binding (without its credentials).
   *
   * @example
   * const binding = await client.bindings.retrieve('bnd_01hq3x9k2m4n5p6q7r8s');
   */
  retrieve(bindingId: string, options?: RequestOptions): Promise<Schemas['Binding']> {
    return unwrap(
      this._client.raw.GET('/v1/bindings/{bindingId}', {
        params: { path: { bindingId } },
        ...options,
      }),
    );
  }

  /**
   * Reads a binding's current credentials (an audited read). Name the instance's service as
   * a type argument to type them (`uri`, `host`, `port` …); the SDK trusts that claim and
   * does not check the response against the service's credentials schema.
   *
   * @example
   * const { credentials } = await client.bindings.credentials<'postgresql'>(binding.id);
   * const pool = new pg.Pool({ connectionString: credentials.uri });
   */
  credentials<S extends string = string>(
    bindingId: string,
    options?: RequestOptions,
  ): Promise<BindingCredentialsOf<S>> {
    return unwrap(
      this._client.raw.GET('/v1/bindings/{bindingId}/credentials', {
        params: { path: { bindingId } },
        ...options,
      }),
    ) as Promise<BindingCredentialsOf<S>>;
  }

  /**
   * Issues new credentials; the old ones stop working after `gracePeriodSeconds`.
   *
   * @example
   * await client.bindings.rotate(binding.id, { gracePeriodSeconds: 300 });
   * await client.bindings.waitUntilReady(binding.id);
   */
  rotate(
    bindingId: string,
    body: BodyOf<'rotateBinding'> = {},
    options?: RequestOptions,
  ): Promise<Schemas['Binding']> {
    return unwrap(
      this._client.raw.POST('/v1/bindings/{bindingId}/rotate', {
        params: { path: { bindingId } },
        body,
        ...options,
      }),
    );
  }

  /**
   * Starts deleting a binding: its credentials stop working.
   *
   * @example
   * await client.bindings.delete(binding.id);
   */
  delete(bindingId: string, options?: RequestOptions): Promise<Schemas['Binding']> {
    return unwrap(
      this._client.raw.DELETE('/v1/bindings/{bindingId}', {
        params: { path: { bindingId } },
        ...options,
      }),
    );
  }

  /**
   * Polls until the binding is `ready` (after create or rotate).
   *
   * @example
   * await client.bindings.waitUntilReady(binding.id, { maxWaitTime: 60_000 });
   */
  waitUntilReady(bindingId: string, options?: WaiterOptions): Promise<Schemas['Binding']> {
    return waitFor(
      `binding ${bindingId} to be ready`,
      () => this.retrieve(bindingId, { signal: options?.signal }),
      (b) =>
        b.state === 'ready'
          ? 'success'
          : b.state === 'failed' || b.state === 'deleted'
            ? 'failure'
            : 'retry',
      options,
      (b) => b.state,
    );
  }
}
