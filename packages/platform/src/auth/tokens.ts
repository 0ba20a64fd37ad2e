import type { Db } from '../db/database';
import type { Principal } from './principal';
import { hashSecret } from './secrets';
import type { TokenCache } from './token-cache';

export type TokenFailure = 'unauthenticated' | 'token_expired' | 'token_revoked';

/**
 * Why a credential was refused, and — when it named a known token (revoked or expired) —
 * which one, so the audit event says who tried. Never carries the secret.
 */
export interface AuthFailure {
  failure: TokenFailure;
  token?: { id: string; name: string; tenantId: string | null; at: Date };
}

/** Don't write `last_used_at` on every request: once a minute per token is enough. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Resolves a `zw_…` secret to its principal, or says why it is refused. Only the secret's
 * hash is looked up; the secret itself is never stored or logged. With a `cache`, a known
 * token skips the database for a few seconds (see `TokenCache` for how revocation clears it).
 */
export async function authenticateToken(
  db: Db,
  secret: string,
  cache?: TokenCache,
  now = new Date(),
): Promise<Principal | AuthFailure> {
  const hash = hashSecret(secret);
  const cached = cache?.get(hash, now.getTime());
  if (cached) return cached;
  const generation = cache?.generation ?? 0;
  const token = await db
    .selectFrom('tokens')
    .select([
      'id',
      'name',
      'tenant_id',
      'role',
      'system',
      'expires_at',
      'revoked_at',
      'last_used_at',
    ])
    .where('secret_hash', '=', hash)
    .executeTakeFirst();
  if (!token) return { failure: 'unauthenticated' };
  const known = { id: token.id, name: token.name, tenantId: token.tenant_id };
  if (token.revoked_at)
    return { failure: 'token_revoked', token: { ...known, at: token.revoked_at } };
  if (token.expires_at <= now)
    return { failure: 'token_expired', token: { ...known, at: token.expires_at } };
  if (
    !token.last_used_at ||
    now.getTime() - token.last_used_at.getTime() > LAST_USED_RESOLUTION_MS
  ) {
    // Only while still valid: a revocation committing meanwhile (this waits on its row lock)
    // makes the update find nothing, and the request is refused rather than let through.
    const touched = await db
      .updateTable('tokens')
      .set({ last_used_at: now })
      .where('id', '=', token.id)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!touched) return { failure: 'token_revoked', token: { ...known, at: now } };
  }
  const principal: Principal = {
    id: token.id,
    type: 'token',
    name: token.name,
    tenantId: token.tenant_id,
    roles: [{ tenantId: token.tenant_id, role: token.role }],
    tokenId: token.id,
    ...(token.system && { system: true as const }),
  };
  cache?.set(hash, principal, token.expires_at, generation, now.getTime());
  return principal;
}
