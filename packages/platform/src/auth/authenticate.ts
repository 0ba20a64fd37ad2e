import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/database';
import type { Principal } from './principal';
import { authenticateToken, type TokenFailure } from './tokens';

/** Verifies an OIDC access token (JWT) and maps it to a principal; set when OIDC is configured. */
export type OidcVerifier = (jwt: string) => Promise<Principal | TokenFailure>;

/**
 * Establishes who is calling from `Authorization: Bearer …`: a `zw_` API token, or an OIDC
 * JWT when an issuer is configured. Returns the principal or the reason for refusing.
 */
export async function authenticate(
  request: FastifyRequest,
  db: Db,
  oidc: OidcVerifier | undefined,
): Promise<Principal | TokenFailure> {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) return 'unauthenticated';
  const credential = match[1]!;
  if (credential.startsWith('zw_')) return authenticateToken(db, credential);
  if (oidc && credential.split('.').length === 3) return oidc(credential);
  return 'unauthenticated';
}
