import type { Schemas } from '@zhengwu/openapi';
import { APIError } from '../core/errors';
import { APIResource, unwrap } from '../core/resource';
import type { RequestOptions } from '../core/types';

/** Liveness and readiness of the platform. */
export class Health extends APIResource {
  /**
   * Liveness: the platform process answers.
   *
   * @example
   * const { status, version } = await client.health.check();
   */
  check(options?: RequestOptions): Promise<Schemas['Health']> {
    return unwrap(this._client.raw.GET('/healthz', options));
  }

  /**
   * Prometheus metrics of the platform, as exposition text (needs a token).
   *
   * @example
   * const text = await client.health.metrics();
   * console.log(text.split('\n').filter((line) => line.startsWith('zhengwu_')));
   */
  metrics(options?: RequestOptions): Promise<string> {
    return unwrap(this._client.raw.GET('/metrics', options));
  }

  /**
   * Readiness: state store and engines reachable. Resolves with the report even when the
   * platform is not ready (it answers 503 then), so you can read which check failed.
   *
   * @example
   * const { status, checks } = await client.health.ready();
   * for (const check of checks) if (check.status === 'fail') console.warn(check.name, check.detail);
   */
  async ready(options?: RequestOptions): Promise<Schemas['Readiness']> {
    try {
      return await unwrap(this._client.raw.GET('/readyz', { maxRetries: 0, ...options }));
    } catch (error) {
      if (
        error instanceof APIError &&
        error.status === 503 &&
        Array.isArray(error.problem?.checks)
      ) {
        return error.problem as unknown as Schemas['Readiness'];
      }
      throw error;
    }
  }
}
