import {
  createRemoteJWKSet,
  errors,
  type FlattenedJWSInput,
  type JWSHeaderParameters,
  type JWTPayload,
  jwtVerify,
} from 'jose';
import type { Db } from '../db/database';
import { ProblemError } from '../http/problems';
import type { OidcVerifier } from './authenticate';
import { DUTY_OF, dutiesOf, type Principal, type RoleBinding } from './principal';

export interface OidcSettings {
  /** The issuer exactly as it appears in the tokens' `iss` (`ZW_OIDC_ISSUER`). */
  issuer: string;
  /** The audience the tokens must name in `aud` (`ZW_OIDC_AUDIENCE`). */
  audience: string;
  /** The JWKS (`ZW_OIDC_JWKS_URL`); unset = `jwks_uri` of the issuer's discovery document. */
  jwksUrl: string | undefined;
}

/** Skew allowed between the identity provider's clock and ours, for `exp`, `nbf` and `iat`. */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** How long a discovery or JWKS request may take before the provider counts as unreachable. */
const FETCH_TIMEOUT_MS = 5_000;
/** Asymmetric signatures only: a JWKS never holds a shared secret, and `none` is never valid. */
const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/** The identity provider could not be reached: the caller is not at fault (503, not 401). */
class ProviderUnavailable extends Error {}

const unavailable = (issuer: string) =>
  new ProblemError(
    'unavailable',
    `The identity provider ${issuer} can't be reached to verify the token; retry shortly.`,
    undefined,
    { 'retry-after': '5' },
  );

/** Reads `jwks_uri` from the issuer's OpenID Provider Configuration (OIDC Discovery 1.0 §4). */
async function discoverJwks(issuer: string): Promise<URL> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let document: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      redirect: 'error',
      headers: { accept: 'application/json' },
    });
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    document = (await response.json()) as typeof document;
  } catch (cause) {
    throw new ProviderUnavailable(`discovery failed: ${String(cause)}`);
  }
  // §4.3: the document's issuer must be the one configured, or its keys aren't for us.
  if (document.issuer !== issuer || typeof document.jwks_uri !== 'string') {
    throw new ProviderUnavailable(`${url} is not the discovery document of ${issuer}`);
  }
  return new URL(document.jwks_uri);
}

/**
 * Verifies OIDC bearer JWTs against the configured issuer's JWKS (signature, `iss`, `aud`,
 * `exp`/`nbf` with clock tolerance; `sub` and `exp` required) and maps them to a principal:
 * the subject `oidc:<sub>` and, when the token carries a verified `email`, the user
 * `user:<email>`. Its roles are those members' roles, read on every request (so a removed
 * membership stops working at once); without any membership it has no roles.
 *
 * Expired → `token_expired`; any other invalid token → `unauthenticated`; a provider that
 * can't be reached → 503 `unavailable` (thrown), which isn't counted as a failed login.
 */
export function oidcVerifier(db: Db, settings: OidcSettings): OidcVerifier {
  let jwks: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const keySet = () => {
    if (!jwks) {
      const pending = (
        settings.jwksUrl
          ? Promise.resolve(new URL(settings.jwksUrl))
          : discoverJwks(settings.issuer)
      ).then((url) => createRemoteJWKSet(url, { timeoutDuration: FETCH_TIMEOUT_MS }));
      // A failed discovery is retried by the next request rather than cached.
      pending.catch(() => {
        if (jwks === pending) jwks = undefined;
      });
      jwks = pending;
    }
    return jwks;
  };
  const getKey = async (header: JWSHeaderParameters, token: FlattenedJWSInput) => {
    const set = await keySet();
    try {
      return await set(header, token);
    } catch (error) {
      // No key with this `kid` (after a refetch) means a bad token, not a bad provider.
      if (error instanceof errors.JWKSNoMatchingKey) throw error;
      if (error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      if (error instanceof errors.JOSENotSupported) throw error;
      throw new ProviderUnavailable(String(error));
    }
  };

  return async (jwt) => {
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(jwt, getKey, {
        issuer: settings.issuer,
        audience: settings.audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        algorithms: ALGORITHMS,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      if (error instanceof ProviderUnavailable) throw unavailable(settings.issuer);
      if (error instanceof errors.JWTExpired) return 'token_expired';
      return 'unauthenticated';
    }
    return principalOfClaims(db, claims);
  };
}

const text = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 200) : undefined;

/** The principal of verified claims, with the roles of its memberships. */
async function principalOfClaims(db: Db, claims: JWTPayload): Promise<Principal> {
  const sub = claims.sub as string;
  const email =
    claims.email_verified === true && typeof claims.email === 'string'
      ? claims.email.trim().toLowerCase()
      : undefined;
  const identities: NonNullable<Principal['identities']> = [{ type: 'oidc', id: sub }];
  if (email) identities.push({ type: 'user', id: email });
  const members = await db
    .selectFrom('members')
    .select(['tenant_id', 'role'])
    .where((eb) =>
      eb.or(
        identities.map((i) =>
          eb.and([eb('principal_type', '=', i.type), eb('principal_id', '=', i.id)]),
        ),
      ),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  let roles: RoleBinding[] = members.map((m) => ({ tenantId: m.tenant_id, role: m.role }));
  // 三权分立 across identities: the subject and its e-mail may each hold roles of a different
  // duty (each grant was checked per member principal). One person must not combine them,
  // so such a session keeps none of its administrative roles.
  if (dutiesOf(roles).size > 1) roles = roles.filter((b) => DUTY_OF[b.role] === undefined);
  return {
    id: sub,
    type: 'oidc',
    name: text(claims.name) ?? text(claims.preferred_username) ?? email ?? sub.slice(0, 200),
    tenantId: members[0]?.tenant_id ?? null,
    roles,
    identities,
  };
}
