/**
 * Bearer authentication: the platform's own token (the mock admin) or a token made with
 * `createToken`. Missing or unknown: 401 `unauthenticated`; revoked: `token_revoked`;
 * expired: `token_expired`.
 */

import type { Caller } from './access';
import { ProblemError } from './problems';
import type { Runtime } from './runtime';
import { MOCK_ADMIN_ID, MOCK_TENANT_ID } from './seed';
import type { Model } from './state';
import { nowIsoMinute } from './time';

/** A 401 with who tried (for the `auth.failure` audit event). */
export class AuthError extends ProblemError {
  constructor(
    code: 'unauthenticated' | 'token_expired' | 'token_revoked',
    detail: string,
    readonly principal: Model['AuditPrincipal'],
    readonly tenantId: string | null,
  ) {
    super(code, detail, undefined, {
      'www-authenticate':
        code === 'unauthenticated' &&
        principal.type === 'anonymous' &&
        detail.startsWith('No credential')
          ? 'Bearer realm="zhengwu"'
          : 'Bearer realm="zhengwu", error="invalid_token"',
    });
  }
}

const ANONYMOUS: Model['AuditPrincipal'] = { type: 'anonymous', id: null, name: null };

export function adminCaller(): Caller {
  return {
    id: MOCK_ADMIN_ID,
    type: 'user',
    name: '浙江省平台管理员（模拟）· Zhejiang platform administrator (mock)',
    tenantId: MOCK_TENANT_ID,
    roles: [{ tenantId: MOCK_TENANT_ID, role: 'platform-admin' }],
    superuser: true,
  };
}

export function authenticate(rt: Runtime, request: Request): Caller {
  const header = request.headers.get('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) {
    throw new AuthError(
      'unauthenticated',
      header
        ? 'The Authorization header is not a Bearer credential.'
        : 'No credential: send Authorization: Bearer <token>.',
      ANONYMOUS,
      null,
    );
  }
  const secret = match[1]!;
  if (secret === rt.options.token) return adminCaller();
  const token = rt.state.tokens.get(rt.state.tokenSecrets.get(secret) ?? '');
  if (!token) throw new AuthError('unauthenticated', 'The token is not valid.', ANONYMOUS, null);
  const who: Model['AuditPrincipal'] = { type: 'token', id: token.id, name: token.name };
  if (token.revokedAt) {
    throw new AuthError(
      'token_revoked',
      `The token ${token.id} was revoked at ${token.revokedAt}.`,
      who,
      token.tenantId,
    );
  }
  if (Date.parse(token.expiresAt) <= Date.now()) {
    throw new AuthError(
      'token_expired',
      `The token ${token.id} expired at ${token.expiresAt}.`,
      who,
      token.tenantId,
    );
  }
  token.lastUsedAt = nowIsoMinute();
  return {
    id: token.id,
    type: 'token',
    name: token.name,
    tenantId: token.tenantId,
    roles: [{ tenantId: token.tenantId, role: token.role }],
    tokenId: token.id,
    superuser: false,
  };
}
