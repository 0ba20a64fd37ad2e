import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database';
import type { PlatformContext } from '../http/context';
import { sendProblem } from '../http/problems';
import { FailureLimiter, limiterKey } from './failure-limiter';
import type { Principal } from './principal';
import { hashSecret } from './secrets';
import { recordFailure } from './shared-failures';
import type { TokenCache } from './token-cache';
import { type AuthFailure, authenticateToken, type TokenFailure } from './tokens';

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
  cache?: TokenCache,
): Promise<Principal | (AuthFailure & { presented: boolean })> {
  const header = request.headers.authorization;
  const credential = bearerOf(header);
  if (!credential) return { failure: 'unauthenticated', presented: header !== undefined };
  if (credential.startsWith('zw_')) {
    const result = await authenticateToken(db, credential, cache);
    return 'failure' in result ? { ...result, presented: true } : result;
  }
  if (oidc && credential.split('.').length === 3) {
    const result = await oidc(credential);
    return typeof result === 'string' ? { failure: result, presented: true } : result;
  }
  return { failure: 'unauthenticated', presented: true };
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The credential of an `Authorization: Bearer …` header. */
function bearerOf(header: string | undefined): string | undefined {
  return header ? BEARER.exec(header)?.[1] : undefined;
}

/**
 * The principal of a `zw_` token this replica verified in the last few seconds (see
 * `TokenCache`), found without a database round trip or an `await`.
 */
function cachedPrincipal(request: FastifyRequest, cache: TokenCache): Principal | undefined {
  const credential = bearerOf(request.headers.authorization);
  return credential?.startsWith('zw_') ? cache.get(hashSecret(credential)) : undefined;
}

const authMessage = {
  unauthenticated: 'Send a valid token: Authorization: Bearer zw_… (or an OIDC access token).',
  token_expired: 'The token has expired; create a new one.',
  token_revoked: 'The token was revoked; create a new one.',
} as const;

function refusal(failure: AuthFailure): string {
  const token = failure.token;
  if (!token) return authMessage[failure.failure];
  const at = token.at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return failure.failure === 'token_revoked'
    ? `The token ${token.id} was revoked at ${at}; create a new one.`
    : `The token ${token.id} expired at ${at}; create a new one.`;
}

/**
 * The `onRequest` hook of every authenticated route (等保 身份鉴别 b, 登录失败处理):
 *
 * - a source address (an IPv6 /64 counts as one) with `authFailuresPerMinute` failed
 *   authentications in the last minute gets 429 `rate_limited` with `Retry-After`, whatever
 *   it sends, until the oldest failure ages out (attempts of a failing address still in
 *   flight count too, so a concurrent burst can't overshoot the limit);
 * - every failed authentication appends an `auth.failure` event (outcome `denied`, reason
 *   the problem code, the token's id when a revoked or expired one was used) and the
 *   failure that starts a lockout appends one `auth.lockout` event; requests refused during
 *   the lockout are counted in metrics but not audited one by one, so a flood cannot grow
 *   the audit chain.
 */
export function authenticationHook(ctx: PlatformContext, oidc: OidcVerifier | undefined) {
  const limiter = new FailureLimiter(ctx.config.authFailuresPerMinute);

  /** Verifies the credential (database, OIDC); answers the refusal itself. */
  const verify = async (request: FastifyRequest, reply: FastifyReply, address: string) => {
    const done = limiter.begin(address);
    let result: Awaited<ReturnType<typeof authenticate>>;
    try {
      result = await authenticate(request, ctx.db, oidc, ctx.tokenCache);
    } catch (error) {
      done();
      throw error;
    }
    if (!('failure' in result)) {
      done();
      request.principal = result;
      return;
    }
    // The attempt counts as in flight until its failure is recorded, so a concurrent burst
    // can't slip past the limit meanwhile. Exactly one failure, on whichever replica, is the
    // limit-th of the window and starts the lockout.
    let locksOut: boolean;
    try {
      const shared = await recordFailure(ctx.db, address, limiter.windowMs);
      limiter.adopt(address, shared.times);
      locksOut = shared.rank === limiter.perMinute;
    } catch (error) {
      // The state database failed: count it on this replica at least.
      request.log.error({ err: error }, 'recording a failed authentication failed');
      limiter.record(address);
      locksOut = limiter.failures(address) === limiter.perMinute;
    } finally {
      done();
    }
    ctx.metrics.authFailures.inc({ reason: result.failure });
    const base = {
      sourceIp: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      requestId: request.id,
    };
    await ctx.audit.append(ctx.db, {
      ...base,
      principal: result.token
        ? { type: 'token', id: result.token.id, name: result.token.name }
        : { type: 'anonymous', id: null, name: null },
      tenantId: result.token?.tenantId ?? null,
      action: 'auth.failure',
      target: null,
      outcome: 'denied',
      reason: result.failure,
    });
    if (locksOut) {
      await ctx.audit.append(ctx.db, {
        ...base,
        principal: { type: 'anonymous', id: null, name: null },
        tenantId: null,
        action: 'auth.lockout',
        target: null,
        outcome: 'denied',
        reason: 'rate_limited',
      });
    }
    request.audited = true;
    sendProblem(reply, result.failure, refusal(result), {
      headers: {
        'www-authenticate': result.presented
          ? 'Bearer realm="zhengwu", error="invalid_token"'
          : 'Bearer realm="zhengwu"',
      },
    });
  };

  // Not async: a hot client's token is in the cache, and that path then costs no promise.
  return (request: FastifyRequest, reply: FastifyReply, next: (error?: Error) => void) => {
    const address = limiterKey(request.ip);
    const wait = limiter.retryAfter(address);
    if (wait > 0) {
      request.audited = true;
      ctx.metrics.authFailures.inc({ reason: 'rate_limited' });
      sendProblem(
        reply,
        'rate_limited',
        `Too many failed authentications from this address; retry after ${wait} s.`,
        { headers: { 'retry-after': String(wait) } },
      );
      return;
    }
    const principal = cachedPrincipal(request, ctx.tokenCache);
    if (principal) {
      request.principal = principal;
      next();
      return;
    }
    // Answered (refused) or authenticated: only the latter goes on to the handler.
    verify(request, reply, address).then(
      () => {
        if (request.principal) next();
      },
      (error: Error) => next(error),
    );
  };
}
