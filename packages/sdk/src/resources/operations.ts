import type { Schemas } from '@zhengwu/openapi';
import { type PagePromise, paginate } from '../core/pagination';
import { APIResource, type QueryOf, unwrap } from '../core/resource';
import type { RequestOptions } from '../core/types';
import { type WaiterOptions, waitFor } from '../core/waiter';

/** Long-running work (provisioning, binding, builds, rollouts) that you can poll. */
export class Operations extends APIResource {
  /**
   * Lists operations, newest first.
   *
   * @example
   * for await (const op of client.operations.list({ targetId: instance.id })) console.log(op.type, op.state);
   */
  list(
    query: QueryOf<'listOperations'> = {},
    options?: RequestOptions,
  ): PagePromise<Schemas['Operation']> {
    return paginate(query, (q) =>
      this._client.raw.GET('/v1/operations', { params: { query: q }, ...options }),
    );
  }

  /**
   * Gets an operation with its progress.
   *
   * @example
   * const op = await client.operations.retrieve(instance.lastOperation!.id);
   * console.log(op.state, op.progress.percent);
   */
  retrieve(operationId: string, options?: RequestOptions): Promise<Schemas['Operation']> {
    return unwrap(
      this._client.raw.GET('/v1/operations/{operationId}', {
        params: { path: { operationId } },
        ...options,
      }),
    );
  }

  /**
   * Asks the platform to cancel an operation that has not finished.
   *
   * @example
   * await client.operations.cancel(op.id);
   */
  cancel(operationId: string, options?: RequestOptions): Promise<Schemas['Operation']> {
    return unwrap(
      this._client.raw.POST('/v1/operations/{operationId}/cancel', {
        params: { path: { operationId } },
        ...options,
      }),
    );
  }

  /**
   * Polls until the operation succeeds. Throws `WaiterFailureError` (with the operation) when
   * it fails or is canceled, `WaiterTimeoutError` at `maxWaitTime`.
   *
   * @example
   * const done = await client.operations.waitUntilDone(op.id, { maxWaitTime: 120_000 });
   */
  waitUntilDone(operationId: string, options?: WaiterOptions): Promise<Schemas['Operation']> {
    return waitFor(
      `operation ${operationId}`,
      () => this.retrieve(operationId, { signal: options?.signal }),
      (op) =>
        op.state === 'succeeded'
          ? 'success'
          : op.state === 'failed' || op.state === 'canceled'
            ? 'failure'
            : 'retry',
      options,
      (op) => op.error?.detail ?? op.error?.title ?? op.state,
    );
  }
}
