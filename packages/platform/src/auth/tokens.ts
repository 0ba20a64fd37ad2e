import type { Db } from '../db/database';
import type { Principal } from './principal';
import { hashSecret } from './secrets';

export type TokenFailure = 'unauthenticated' | 'token_expired' | 'token_revoked';

/** Don't write `last_used_at` on every request: once a minute per token is enough. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Resolves a `zw_…` secret to its principal, or says why it is refused. Only the secret's
 * hash is looked up; the secret itself is never stored or logged.
 */
export async function authenticateToken(
  db: Db,
  secret: string,
  now = new Date(),
): Promise<Principal | TokenFailure> {
  const token = await db
    .selectFrom('tokens')
    .select(['id', 'name', 'tenant_id', 'role', 'expires_at', 'revoked_at', 'last_used_at'])
    .where('secret_hash', '=', hashSecret(secret))
    .executeTakeFirst();
  if (!token) return 'unauthenticated';
  if (token.revoked_at) return 'token_revoked';
  if (token.expires_at <= now) return 'token_expired';
  if (
    !token.last_used_at ||
    now.getTime() - token.last_used_at.getTime() > LAST_USED_RESOLUTION_MS
  ) {
    await db.updateTable('tokens').set({ last_used_at: now }).where('id', '=', token.id).execute();
  }
  return {
    id: token.id,
    type: 'token',
    name: token.name,
    tenantId: token.tenant_id,
    roles: [{ tenantId: token.tenant_id, role: token.role }],
    tokenId: token.id,
  };
}
