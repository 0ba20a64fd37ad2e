import type { Schemas } from '@zhengwu/openapi';
import { type PagePromise, paginate } from '../core/pagination';
import { APIResource, type QueryOf, unwrap } from '../core/resource';
import type { RequestOptions } from '../core/types';

/** The marketplace: service offerings and their plans. */
export class Catalog extends APIResource {
  readonly services: CatalogServices = new CatalogServices(this._client);
  readonly plans: CatalogPlans = new CatalogPlans(this._client);
}

export class CatalogServices extends APIResource {
  /**
   * Lists the catalog's services (database, middleware, storage …) with their plans. The
   * parameter and credentials JSON Schemas are left out unless you pass `expand: 'schemas'`
   * (then each item is a full `Service`), or read one service with `retrieve`.
   *
   * @example
   * for await (const service of client.catalog.services.list({ category: 'database' })) {
   *   console.log(service.id, service.displayName.zh, service.available);
   * }
   * const withSchemas = await client.catalog.services.list({ expand: 'schemas' }).toArray();
   */
  list(
    query: QueryOf<'listServices'> & { expand: 'schemas' },
    options?: RequestOptions,
  ): PagePromise<Schemas['Service']>;
  list(
    query?: QueryOf<'listServices'>,
    options?: RequestOptions,
  ): PagePromise<Schemas['ServiceSummary']>;
  list(
    query: QueryOf<'listServices'> = {},
    options?: RequestOptions,
  ): PagePromise<Schemas['ServiceSummary']> {
    return paginate(query, (q) =>
      this._client.raw.GET('/v1/catalog/services', { params: { query: q }, ...options }),
    );
  }

  /**
   * Gets one service with its plans.
   *
   * @example
   * const pg = await client.catalog.services.retrieve('postgresql');
   * console.log(pg.plans.map((plan) => plan.id));
   */
  retrieve(serviceId: string, options?: RequestOptions): Promise<Schemas['Service']> {
    return unwrap(
      this._client.raw.GET('/v1/catalog/services/{serviceId}', {
        params: { path: { serviceId } },
        ...options,
      }),
    );
  }
}

export class CatalogPlans extends APIResource {
  /**
   * Lists the plans of a service.
   *
   * @example
   * const { data: plans } = await client.catalog.plans.list('postgresql');
   */
  list(
    serviceId: string,
    query: QueryOf<'listPlans'> = {},
    options?: RequestOptions,
  ): PagePromise<Schemas['Plan']> {
    return paginate(query, (q) =>
      this._client.raw.GET('/v1/catalog/services/{serviceId}/plans', {
        params: { path: { serviceId }, query: q },
        ...options,
      }),
    );
  }

  /**
   * Gets one plan: limits, showback price and compliance marks (等保 level, 国密, residency).
   *
   * @example
   * const plan = await client.catalog.plans.retrieve('postgresql', 's');
   * console.log(plan.compliance.dengbaoLevel, plan.limits.connections);
   */
  retrieve(serviceId: string, planId: string, options?: RequestOptions): Promise<Schemas['Plan']> {
    return unwrap(
      this._client.raw.GET('/v1/catalog/services/{serviceId}/plans/{planId}', {
        params: { path: { serviceId, planId } },
        ...options,
      }),
    );
  }
}
