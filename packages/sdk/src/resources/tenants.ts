import type { Schemas } from '@zhengwu/openapi';
import { type PagePromise, paginate } from '../core/pagination';
import { APIResource, type BodyOf, type QueryOf, unwrap } from '../core/resource';
import type { RequestOptions } from '../core/types';
import { Members } from './members';

/** Departments (province → city → district → township), their quotas and usage. */
export class Tenants extends APIResource {
  /** Role bindings of people and services on a tenant subtree. */
  readonly members: Members = new Members(this._client);

  /**
   * Lists the tenants you can see (your subtree).
   *
   * @example
   * for await (const t of client.tenants.list({ parentId: 'ten_01hq3x9k2m4n5p6q7r8s' })) console.log(t.name);
   */
  list(
    query: QueryOf<'listTenants'> = {},
    options?: RequestOptions,
  ): PagePromise<Schemas['Tenant']> {
    return paginate(query, (q) =>
      this._client.raw.GET('/v1/tenants', { params: { query: q }, ...options }),
    );
  }

  /**
   * Creates a department under `parentId`.
   *
   * @example
   * const city = await client.tenants.create({
   *   name: 'hangzhou', displayName: { zh: '杭州市', en: 'Hangzhou' },
   *   parentId: province.id, level: 'city',
   * });
   */
  create(body: BodyOf<'createTenant'>, options?: RequestOptions): Promise<Schemas['Tenant']> {
    return unwrap(this._client.raw.POST('/v1/tenants', { body, ...options }));
  }

  /**
   * Gets a tenant.
   *
   * @example
   * const tenant = await client.tenants.retrieve('ten_01hq3x9k2m4n5p6q7r8s');
   */
  retrieve(tenantId: string, options?: RequestOptions): Promise<Schemas['Tenant']> {
    return unwrap(
      this._client.raw.GET('/v1/tenants/{tenantId}', {
        params: { path: { tenantId } },
        ...options,
      }),
    );
  }

  /**
   * Updates a tenant's display name or labels.
   *
   * @example
   * await client.tenants.update(tenant.id, { labels: { budget: 'cz-2026-114' } });
   */
  update(
    tenantId: string,
    body: BodyOf<'updateTenant'>,
    options?: RequestOptions,
  ): Promise<Schemas['Tenant']> {
    return unwrap(
      this._client.raw.PATCH('/v1/tenants/{tenantId}', {
        params: { path: { tenantId } },
        body,
        ...options,
      }),
    );
  }

  /**
   * Deletes an empty tenant (no children, instances or apps; else `ConflictError`).
   *
   * @example
   * await client.tenants.delete(tenant.id);
   */
  delete(tenantId: string, options?: RequestOptions): Promise<void> {
    return unwrap(
      this._client.raw.DELETE('/v1/tenants/{tenantId}', {
        params: { path: { tenantId } },
        ...options,
      }),
    ) as Promise<void>;
  }

  /**
   * Gets a tenant's own quota limits and the effective ones after inheritance.
   *
   * @example
   * const { effective } = await client.tenants.getQuota(tenant.id);
   */
  getQuota(tenantId: string, options?: RequestOptions): Promise<Schemas['Quota']> {
    return unwrap(
      this._client.raw.GET('/v1/tenants/{tenantId}/quota', {
        params: { path: { tenantId } },
        ...options,
      }),
    );
  }

  /**
   * Sets a tenant's quota limits (`null` inherits the parent's).
   *
   * @example
   * await client.tenants.setQuota(tenant.id, { instances: 20, apps: 10, memoryMb: 32768, storageMb: 512000, replicas: 40 });
   */
  setQuota(
    tenantId: string,
    body: BodyOf<'setTenantQuota'>,
    options?: RequestOptions,
  ): Promise<Schemas['Quota']> {
    return unwrap(
      this._client.raw.PUT('/v1/tenants/{tenantId}/quota', {
        params: { path: { tenantId } },
        body,
        ...options,
      }),
    );
  }

  /**
   * Gets what a tenant (and by default its descendants) uses of its quota.
   *
   * @example
   * const usage = await client.tenants.getUsage(tenant.id);
   * console.log(`${usage.used.instances}/${usage.limits.instances} instances`);
   */
  getUsage(
    tenantId: string,
    query: QueryOf<'getTenantUsage'> = {},
    options?: RequestOptions,
  ): Promise<Schemas['TenantUsage']> {
    return unwrap(
      this._client.raw.GET('/v1/tenants/{tenantId}/usage', {
        params: { path: { tenantId }, query },
        ...options,
      }),
    );
  }
}
