import type { Schemas } from '@zhengwu/openapi';
import { type PagePromise, paginate } from '../core/pagination';
import { APIResource, type BodyOf, type QueryOf, unwrap } from '../core/resource';
import type { RequestOptions } from '../core/types';

/** API tokens (`zw_…`): scoped to a tenant and a role, shown once, expiring, revocable. */
export class Tokens extends APIResource {
  /**
   * Lists token metadata (never the secrets).
   *
   * @example
   * for await (const token of client.tokens.list({ tenantId: tenant.id })) console.log(token.name, token.expiresAt);
   */
  list(query: QueryOf<'listTokens'> = {}, options?: RequestOptions): PagePromise<Schemas['Token']> {
    return paginate(query, (q) =>
      this._client.raw.GET('/v1/tokens', { params: { query: q }, ...options }),
    );
  }

  /**
   * Creates a token. Its `secret` is in this response only: store it now.
   *
   * @example
   * const { secret } = await client.tokens.create({ name: 'ci-deploy', tenantId: tenant.id, role: 'developer', expiresInDays: 30 });
   */
  create(
    body: BodyOf<'createToken'>,
    options?: RequestOptions,
  ): Promise<Schemas['TokenWithSecret']> {
    return unwrap(this._client.raw.POST('/v1/tokens', { body, ...options }));
  }

  /**
   * Gets a token's metadata.
   *
   * @example
   * const token = await client.tokens.retrieve('tok_01hq3x9k2m4n5p6q7r8s');
   */
  retrieve(tokenId: string, options?: RequestOptions): Promise<Schemas['Token']> {
    return unwrap(
      this._client.raw.GET('/v1/tokens/{tokenId}', { params: { path: { tokenId } }, ...options }),
    );
  }

  /**
   * Revokes a token at once; later calls with it fail with `AuthenticationError`.
   *
   * @example
   * await client.tokens.revoke(token.id);
   */
  revoke(tokenId: string, options?: RequestOptions): Promise<Schemas['Token']> {
    return unwrap(
      this._client.raw.DELETE('/v1/tokens/{tokenId}', {
        params: { path: { tokenId } },
        ...options,
      }),
    );
  }

  /**
   * Who the client's credentials belong to: principal, tenant and roles.
   *
   * @example
   * const me = await client.tokens.whoami();
   * console.log(me.name, me.roles);
   */
  whoami(options?: RequestOptions): Promise<Schemas['Principal']> {
    return unwrap(this._client.raw.GET('/v1/me', options));
  }
}
