import { sql } from 'kysely';
import { ANY_ROLE, holds, type Principal, subtreesOf } from '../auth/principal';
import { hashSecret, newTokenSecret, prefixOf } from '../auth/secrets';
import { authChanged } from '../auth/token-cache';
import type { Db } from '../db/database';
import type { TenantRow, TokenRow } from '../db/schema';
import { type Handlers, principalOf } from '../http/context';
import { createdPositionOf, isCreatedPosition, ScopedCursor } from '../http/cursor';
import { invalidField, notFound, ProblemError } from '../http/problems';
import { auditingRefusals, successEvent } from '../identity/audit';
import {
  readsTokens,
  requireTokenIssuer,
  rolesOn,
  TOKEN_READERS,
  TOKEN_ROLES,
  tokenReaderRoles,
} from '../identity/permissions';
import { toApiToken, tokenExpiry } from '../identity/tokens';
import { newId } from '../ids';

/**
 * The tenant a new token is for. createToken declares no 404, so a tenant that does not
 * exist or that the caller can't see is the same field error (its existence isn't disclosed).
 */
async function tenantForToken(db: Db, principal: Principal, id: string): Promise<TenantRow> {
  const tenant = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
  if (!tenant || !holds(principal, tenant.path, ANY_ROLE)) {
    throw invalidField('/body/tenantId', `no tenant ${id} that you can see`, 'not_found');
  }
  return tenant;
}

/**
 * A token the caller may see with its tenant's path: 404 when it does not exist, is a
 * system token, or belongs to a tenant outside every subtree the caller holds a role on.
 */
async function visibleToken(
  db: Db,
  principal: Principal,
  id: string,
): Promise<{ token: TokenRow; path: string[] }> {
  const row = await db
    .selectFrom('tokens')
    .innerJoin('tenants', 'tenants.id', 'tokens.tenant_id')
    .selectAll('tokens')
    .select('tenants.path')
    .where('tokens.id', '=', id)
    .where('tokens.system', '=', false)
    .executeTakeFirst();
  if (!row || !holds(principal, row.path, ANY_ROLE)) throw notFound('Token', id);
  const { path, ...token } = row;
  return { token, path };
}

const READERS = TOKEN_READERS.join(', ');

/** Platform tokens: issued once with their secret, listed and read without it, revoked. */
export const tokenHandlers: Handlers = {
  listTokens: async (request, _reply, ctx) => {
    const principal = principalOf(request);
    const { tenantId, includeRevoked = false, limit = 50, cursor } = request.query;
    const subtrees = principal.system ? 'all' : subtreesOf(principal, tokenReaderRoles(principal));
    if (subtrees !== 'all' && subtrees.length === 0) {
      throw new ProblemError(
        'forbidden',
        `列出令牌需要在某个租户上持有 ${READERS} 之一 · Listing tokens needs one of the ${READERS} roles on a tenant.`,
      );
    }
    if (tenantId !== undefined) {
      const tenant = await ctx.db
        .selectFrom('tenants')
        .select('path')
        .where('id', '=', tenantId)
        .executeTakeFirst();
      // A tenant the caller can see but where it may not read tokens: 403; one it can't
      // see (or that doesn't exist) simply has no tokens for it.
      if (
        tenant &&
        holds(principal, tenant.path, ANY_ROLE) &&
        !readsTokens(principal, tenant.path)
      ) {
        throw new ProblemError(
          'forbidden',
          `列出租户 ${tenantId} 的令牌需要在它或其上级持有 ${READERS} 之一 · Listing the tokens of tenant ${tenantId} needs one of the ${READERS} roles on it or an ancestor; you hold ${rolesOn(principal, tenant.path).join(', ')} there.`,
        );
      }
    }
    const cursors = new ScopedCursor('tokens', { tenantId, includeRevoked }, isCreatedPosition);
    const after = cursors.decode(cursor);
    let query = ctx.db
      .selectFrom('tokens')
      .innerJoin('tenants', 'tenants.id', 'tokens.tenant_id')
      .selectAll('tokens')
      .where('tokens.system', '=', false);
    if (subtrees !== 'all') query = query.where(sql<boolean>`tenants.path && ${subtrees}::text[]`);
    if (tenantId !== undefined) query = query.where('tokens.tenant_id', '=', tenantId);
    if (!includeRevoked) query = query.where('tokens.revoked_at', 'is', null);
    if (after) {
      query = query.where((eb) =>
        eb(
          eb.refTuple('tokens.created_at', 'tokens.id'),
          '<',
          eb.tuple(new Date(after[0]), after[1]),
        ),
      );
    }
    const rows = await query
      .orderBy('tokens.created_at', 'desc')
      .orderBy('tokens.id', 'desc')
      .limit(limit + 1)
      .execute();
    return cursors.page(rows, limit, createdPositionOf, toApiToken);
  },

  createToken: auditingRefusals<'createToken'>(async (request, reply, ctx) => {
    const principal = principalOf(request);
    const body = request.body;
    const tenant = await tenantForToken(ctx.db, principal, body.tenantId);
    request.auditTenantId = tenant.id;
    if (!TOKEN_ROLES.includes(body.role)) {
      // The contract's enum already refuses these; kept so no code path can mint one.
      throw invalidField('/body/role', `must be one of ${TOKEN_ROLES.join(', ')}`, 'enum');
    }
    await requireTokenIssuer(ctx, principal, tenant, body.role);
    const now = new Date();
    const expiresAt = tokenExpiry(body, now);
    const secret = newTokenSecret();
    const id = newId('tok');
    request.auditTarget = { type: 'token', id };
    const row = await ctx.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('tokens')
        .values({
          id,
          name: body.name,
          tenant_id: tenant.id,
          role: body.role,
          prefix: prefixOf(secret),
          secret_hash: hashSecret(secret),
          system: false,
          created_at: now,
          expires_at: expiresAt,
          created_by: principal.id,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await ctx.audit.append(
        trx,
        successEvent(request, principal, tenant.id, request.auditTarget!),
      );
      return inserted;
    });
    request.audited = true;
    reply.code(201).header('location', `/v1/tokens/${id}`).header('cache-control', 'no-store');
    return { ...toApiToken(row), secret };
  }),

  getToken: async (request, _reply, ctx) => {
    const principal = principalOf(request);
    const { token, path } = await visibleToken(ctx.db, principal, request.params.tokenId);
    if (!readsTokens(principal, path)) {
      throw new ProblemError(
        'forbidden',
        `读取令牌 ${token.id} 需要在租户 ${token.tenant_id} 或其上级持有 ${READERS} 之一 · Reading token ${token.id} needs one of the ${READERS} roles on tenant ${token.tenant_id} or an ancestor; you hold ${rolesOn(principal, path).join(', ')} there.`,
      );
    }
    return toApiToken(token);
  },

  revokeToken: auditingRefusals<'revokeToken'>(async (request, _reply, ctx) => {
    const principal = principalOf(request);
    request.auditTarget = { type: 'token', id: request.params.tokenId };
    const { token, path } = await visibleToken(ctx.db, principal, request.params.tokenId);
    const tenantId = token.tenant_id as string;
    request.auditTenantId = tenantId;
    // Who may not even read the token learns nothing of it (its role) from the refusal.
    if (!readsTokens(principal, path)) {
      throw new ProblemError(
        'forbidden',
        `吊销令牌 ${token.id} 需要在租户 ${tenantId} 或其上级持有 ${READERS} 之一 · Revoking token ${token.id} needs one of the ${READERS} roles on tenant ${tenantId} or an ancestor; you hold ${rolesOn(principal, path).join(', ') || 'no role'} there.`,
      );
    }
    await requireTokenIssuer(ctx, principal, { id: tenantId, path }, token.role, true);
    const row = await ctx.db.transaction().execute(async (trx) => {
      // Revoking a revoked token changes nothing and answers the same.
      const updated = await trx
        .updateTable('tokens')
        .set({ revoked_at: sql`coalesce(revoked_at, now())` })
        .where('id', '=', token.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await ctx.audit.append(trx, successEvent(request, principal, tenantId, request.auditTarget!));
      return updated;
    });
    request.audited = true;
    await authChanged(ctx);
    return toApiToken(row);
  }),
};
