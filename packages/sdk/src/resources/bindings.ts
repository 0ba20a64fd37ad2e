import type { Schemas } from '@zhengwu/openapi';
import { type PagePromise, paginate } from '../core/pagination';
import { APIResource, type BodyOf, type QueryOf, unwrap } from '../core/resource';
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
   * Starts creating credentials on an instance.
   *
   * @example
   * const binding = await client.bindings.create({ instanceId: db.id, name: 'approval-web' });
   * await client.bindings.waitUntilReady(binding.id);
   * const { credentials } = await client.bindings.credentials(binding.id);
   */
  create(body: BodyOf<'createBinding'>, options?: RequestOptions): Promise<Schemas['Binding']> {
    return unwrap(this._client.raw.POST('/v1/bindings', { body, ...options }));
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
   * Reads a binding's current credentials (an audited read).
   *
   * @example
   * const { credentials } = await client.bindings.credentials(binding.id);
   * const pool = new pg.Pool({ connectionString: String(credentials.uri) });
   */
  credentials(bindingId: string, options?: RequestOptions): Promise<Schemas['BindingCredentials']> {
    return unwrap(
      this._client.raw.GET('/v1/bindings/{bindingId}/credentials', {
        params: { path: { bindingId } },
        ...options,
      }),
    );
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
