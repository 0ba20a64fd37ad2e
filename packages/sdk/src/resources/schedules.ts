import type { Schemas } from '@zhengwu/openapi';
import { type PagePromise, paginate } from '../core/pagination';
import { APIResource, type BodyOf, type QueryOf, unwrap } from '../core/resource';
import type { RequestOptions } from '../core/types';

/** Scheduled scaling: office hours, month-end, the May tax-filing peak (报税高峰). */
export class Schedules extends APIResource {
  /**
   * Lists an app's scaling schedules.
   *
   * @example
   * for await (const s of client.apps.schedules.list(app.id)) console.log(s.name, s.kind);
   */
  list(
    appId: string,
    query: QueryOf<'listSchedules'> = {},
    options?: RequestOptions,
  ): PagePromise<Schemas['Schedule']> {
    return paginate(query, (q) =>
      this._client.raw.GET('/v1/apps/{appId}/autoscaling/schedules', {
        params: { path: { appId }, query: q },
        ...options,
      }),
    );
  }

  /**
   * Adds a schedule.
   *
   * @example
   * await client.apps.schedules.create(app.id, {
   *   name: 'tax-filing-2027', process: 'web', kind: 'specificDate', timezone: 'Asia/Shanghai',
   *   startAt: '2027-05-01T00:00:00+08:00', endAt: '2027-05-31T23:59:59+08:00',
   *   minReplicas: 8, maxReplicas: 40,
   * });
   */
  create(
    appId: string,
    body: BodyOf<'createSchedule'>,
    options?: RequestOptions,
  ): Promise<Schemas['Schedule']> {
    return unwrap(
      this._client.raw.POST('/v1/apps/{appId}/autoscaling/schedules', {
        params: { path: { appId } },
        body,
        ...options,
      }),
    );
  }

  /**
   * Gets a schedule.
   *
   * @example
   * const schedule = await client.apps.schedules.retrieve(app.id, 'sch_01hq3x9k2m4n5p6q7r8s');
   */
  retrieve(
    appId: string,
    scheduleId: string,
    options?: RequestOptions,
  ): Promise<Schemas['Schedule']> {
    return unwrap(
      this._client.raw.GET('/v1/apps/{appId}/autoscaling/schedules/{scheduleId}', {
        params: { path: { appId, scheduleId } },
        ...options,
      }),
    );
  }

  /**
   * Replaces a schedule.
   *
   * @example
   * await client.apps.schedules.update(app.id, schedule.id, { ...schedule, minReplicas: 10 });
   */
  update(
    appId: string,
    scheduleId: string,
    body: BodyOf<'updateSchedule'>,
    options?: RequestOptions,
  ): Promise<Schemas['Schedule']> {
    return unwrap(
      this._client.raw.PUT('/v1/apps/{appId}/autoscaling/schedules/{scheduleId}', {
        params: { path: { appId, scheduleId } },
        body,
        ...options,
      }),
    );
  }

  /**
   * Deletes a schedule.
   *
   * @example
   * await client.apps.schedules.delete(app.id, schedule.id);
   */
  delete(appId: string, scheduleId: string, options?: RequestOptions): Promise<void> {
    return unwrap(
      this._client.raw.DELETE('/v1/apps/{appId}/autoscaling/schedules/{scheduleId}', {
        params: { path: { appId, scheduleId } },
        ...options,
      }),
    ) as Promise<void>;
  }
}
