import type { Schemas } from '@zhengwu/openapi';
import { type PagePromise, paginate } from '../core/pagination';
import { APIResource, type BodyOf, type QueryOf, unwrap } from '../core/resource';
import type { RequestOptions } from '../core/types';

/** Who holds which role on a tenant subtree (三权分立 enforced by the platform). */
export class Members extends APIResource {
  /**
   * Lists a tenant's members.
   *
   * @example
   * for await (const m of client.tenants.members.list(tenant.id)) console.log(m.principal.id, m.role);
   */
  list(
    tenantId: string,
    query: QueryOf<'listMembers'> = {},
    options?: RequestOptions,
  ): PagePromise<Schemas['Member']> {
    return paginate(query, (q) =>
      this._client.raw.GET('/v1/tenants/{tenantId}/members', {
        params: { path: { tenantId }, query: q },
        ...options,
      }),
    );
  }

  /**
   * Grants a role on the tenant's subtree to a person or OIDC subject.
   *
   * @example
   * await client.tenants.members.add(tenant.id, {
   *   principal: { type: 'user', id: 'li.lei@hz.gov.cn' }, role: 'developer',
   * });
   */
  add(
    tenantId: string,
    body: BodyOf<'addMember'>,
    options?: RequestOptions,
  ): Promise<Schemas['Member']> {
    return unwrap(
      this._client.raw.POST('/v1/tenants/{tenantId}/members', {
        params: { path: { tenantId } },
        body,
        ...options,
      }),
    );
  }

  /**
   * Gets one member.
   *
   * @example
   * const member = await client.tenants.members.retrieve(tenant.id, 'mem_01hq3x9k2m4n5p6q7r8s');
   */
  retrieve(
    tenantId: string,
    memberId: string,
    options?: RequestOptions,
  ): Promise<Schemas['Member']> {
    return unwrap(
      this._client.raw.GET('/v1/tenants/{tenantId}/members/{memberId}', {
        params: { path: { tenantId, memberId } },
        ...options,
      }),
    );
  }

  /**
   * Changes a member's role.
   *
   * @example
   * await client.tenants.members.update(tenant.id, member.id, { role: 'auditor' });
   */
  update(
    tenantId: string,
    memberId: string,
    body: BodyOf<'updateMember'>,
    options?: RequestOptions,
  ): Promise<Schemas['Member']> {
    return unwrap(
      this._client.raw.PATCH('/v1/tenants/{tenantId}/members/{memberId}', {
        params: { path: { tenantId, memberId } },
        body,
        ...options,
      }),
    );
  }

  /**
   * Removes a member's role binding.
   *
   * @example
   * await client.tenants.members.remove(tenant.id, member.id);
   */
  remove(tenantId: string, memberId: string, options?: RequestOptions): Promise<void> {
    return unwrap(
      this._client.raw.DELETE('/v1/tenants/{tenantId}/members/{memberId}', {
        params: { path: { tenantId, memberId } },
        ...options,
      }),
    ) as Promise<void>;
  }
}
