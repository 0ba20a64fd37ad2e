import { hashSecret, newTokenSecret, prefixOf } from '../src/auth/secrets';
import type { Db } from '../src/db/database';
import type { Role } from '../src/db/schema';
import { newId } from '../src/ids';

/**
 * A tenant-scoped token written straight into `tokens`, the way `createToken` stores one
 * (only the SHA-256 of the secret): for tests that need a principal with a given role on a
 * given tenant without going through the identity routes.
 *
 * @returns the secret, to use as `platform.clientWith(secret)`
 */
export async function insertToken(
  db: Db,
  tenantId: string,
  role: Role,
  options: { name?: string; expiresAt?: Date } = {},
): Promise<string> {
  const secret = newTokenSecret();
  await db
    .insertInto('tokens')
    .values({
      id: newId('tok'),
      name: options.name ?? `test ${role} on ${tenantId}`,
      tenant_id: tenantId,
      role,
      prefix: prefixOf(secret),
      secret_hash: hashSecret(secret),
      expires_at: options.expiresAt ?? new Date(Date.now() + 86_400_000),
      created_by: 'test-fixture',
    })
    .execute();
  return secret;
}
