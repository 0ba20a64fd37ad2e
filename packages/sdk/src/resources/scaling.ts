import type { Schemas } from '@zhengwu/openapi';
import { type PagePromise, paginate } from '../core/pagination';
import { APIResource, type BodyOf, type QueryOf, unwrap } from '../core/resource';
import type { RequestOptions } from '../core/types';

/** Replicas per process type, the autoscaling policy, and the log of scaling decisions. */
export class Scaling extends APIResource {
  /**
   * Gets the replicas and memory of each process type.
   *
   * @example
   * const { processes } = await client.apps.scaling.retrieve(app.id);
   */
  retrieve(appId: string, options?: RequestOptions): Promise<Schemas['Scale']> {
    return unwrap(
      this._client.raw.GET('/v1/apps/{appId}/scale', { params: { path: { appId } }, ...options }),
    );
  }

  /**
   * Sets replicas (and optionally memory) per process type; quota is checked first.
   *
   * @example
   * await client.apps.scaling.scale(app.id, { processes: [{ type: 'web', replicas: 4 }] });
   */
  scale(
    appId: string,
    body: BodyOf<'scaleApp'>,
    options?: RequestOptions,
  ): Promise<Schemas['Scale']> {
    return unwrap(
      this._client.raw.PUT('/v1/apps/{appId}/scale', {
        params: { path: { appId } },
        body,
        ...options,
      }),
    );
  }

  /**
   * Gets the autoscaling policy.
   *
   * @example
   * const policy = await client.apps.scaling.getPolicy(app.id);
   */
  getPolicy(appId: string, options?: RequestOptions): Promise<Schemas['AutoscalingPolicy']> {
    return unwrap(
      this._client.raw.GET('/v1/apps/{appId}/autoscaling', {
        params: { path: { appId } },
        ...options,
      }),
    );
  }

  /**
   * Sets the autoscaling policy: a target metric kept between min and max replicas.
   *
   * @example
   * await client.apps.scaling.setPolicy(app.id, {
   *   enabled: true, process: 'web', minReplicas: 2, maxReplicas: 12,
   *   target: { metric: 'cpu', value: 70 }, cooldown: { scaleUpSeconds: 60, scaleDownSeconds: 300 },
   * });
   */
  setPolicy(
    appId: string,
    body: BodyOf<'setAutoscalingPolicy'>,
    options?: RequestOptions,
  ): Promise<Schemas['AutoscalingPolicy']> {
    return unwrap(
      this._client.raw.PUT('/v1/apps/{appId}/autoscaling', {
        params: { path: { appId } },
        body,
        ...options,
      }),
    );
  }

  /**
   * Removes the autoscaling policy (replicas stay as they are).
   *
   * @example
   * await client.apps.scaling.deletePolicy(app.id);
   */
  deletePolicy(appId: string, options?: RequestOptions): Promise<void> {
    return unwrap(
      this._client.raw.DELETE('/v1/apps/{appId}/autoscaling', {
        params: { path: { appId } },
        ...options,
      }),
    ) as Promise<void>;
  }

  /**
   * Lists scaling decisions with their reasons (manual, autoscaler, schedule, rollout).
   *
   * @example
   * for await (const e of client.apps.scaling.events(app.id)) console.log(e.fromReplicas, '→', e.toReplicas, e.reason.kind);
   */
  events(
    appId: string,
    query: QueryOf<'listScalingEvents'> = {},
    options?: RequestOptions,
  ): PagePromise<Schemas['ScalingEvent']> {
    return paginate(query, (q) =>
      this._client.raw.GET('/v1/apps/{appId}/scaling-events', {
        params: { path: { appId }, query: q },
        ...options,
      }),
    );
  }
}
