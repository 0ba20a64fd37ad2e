import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { FailureLimiter, limiterKey } from '../auth/failure-limiter';
import type { PlatformContext } from '../http/context';
import { OsbError, text } from './errors';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Equal strings, in time that depends on neither (fixed-length digests compared safely). */
function sameSecret(given: string, expected: Buffer): boolean {
  return timingSafeEqual(digest(given), expected);
}

const BASIC = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i;

/** `user:password` of an `Authorization: Basic …` header, or undefined. */
function basicCredentials(
  header: string | undefined,
): { user: string; password: string } | undefined {
  const encoded = header ? BASIC.exec(header)?.[1] : undefined;
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0
    ? undefined
    : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * HTTP Basic authentication of the OSB platform (`ZW_OSB_USERNAME` / `ZW_OSB_PASSWORD`),
 * with the same failure handling as the platform's token authentication (等保 登录失败处理):
 * every failure audited as `auth.failure` (reason `osb_unauthenticated`), the one that
 * reaches `authFailuresPerMinute` from an address as `auth.lockout`, and that address
 * refused with 429 until its oldest failure ages out (those refusals are counted in
 * metrics, not audited one by one). Returns the authenticated username; throws the refusal.
 */
export function basicAuthenticator(
  ctx: PlatformContext,
  credentials: { username: string; password: string },
) {
  const limiter = new FailureLimiter(ctx.config.authFailuresPerMinute);
  const expectedUser = digest(credentials.username);
  const expectedPassword = digest(credentials.password);

  return async (request: FastifyRequest): Promise<string> => {
    const address = limiterKey(request.ip);
    const wait = limiter.retryAfter(address);
    if (wait > 0) {
      ctx.metrics.authFailures.inc({ reason: 'rate_limited' });
      throw new OsbError(
        429,
        'RateLimited',
        text(
          `认证失败次数过多，请 ${wait} 秒后重试`,
          `Too many failed authentications from this address; retry after ${wait} s`,
        ),
        {},
        { 'retry-after': String(wait) },
      );
    }
    const given = basicCredentials(request.headers.authorization);
    // Both compared every time: which of the two is wrong takes no different time.
    const userOk = sameSecret(given?.user ?? '', expectedUser);
    const passwordOk = sameSecret(given?.password ?? '', expectedPassword);
    if (given && userOk && passwordOk) return given.user;

    limiter.record(address);
    const locksOut = limiter.failures(address) === limiter.perMinute;
    ctx.metrics.authFailures.inc({ reason: 'osb_unauthenticated' });
    const base = {
      principal: { type: 'anonymous', id: null, name: null },
      tenantId: null,
      target: null,
      outcome: 'denied',
      sourceIp: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      requestId: request.id,
    } as const;
    await ctx.audit.append(ctx.db, {
      ...base,
      action: 'auth.failure',
      reason: 'osb_unauthenticated',
    });
    if (locksOut) {
      await ctx.audit.append(ctx.db, { ...base, action: 'auth.lockout', reason: 'rate_limited' });
    }
    throw new OsbError(
      401,
      'Unauthorized',
      text(
        '须以 HTTP Basic 认证提供正确的服务代理凭据',
        'Send the broker credentials with HTTP Basic authentication',
      ),
      {},
      { 'www-authenticate': 'Basic realm="zhengwu"' },
    );
  };
}
