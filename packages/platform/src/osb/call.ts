import type { FastifyRequest } from 'fastify';
import type { AuditInput } from '../audit/log';
import type { Principal } from '../auth/principal';
import type { PlatformContext } from '../http/context';
import type { ActingRequest } from '../services/acting';
import { badRequest } from './errors';
import { describeIdentity, type OriginatingIdentity } from './identity';

/** What the guard of every `/v2` route established about a request. */
export interface OsbCall {
  /** `X-Broker-API-Version: 2.<minor>`. */
  minor: number;
  identity: OriginatingIdentity | undefined;
  /** The principal the domain code checks: platform-admin on every tenant. */
  principal: Principal;
  /** What the audit log records: the OSB platform's account and the user behind it. */
  auditPrincipal: AuditInput['principal'];
}

const calls = new WeakMap<FastifyRequest, OsbCall>();

/** Starts an authenticated call (its version and identity are set once checked). */
export function beginCall(request: FastifyRequest, username: string): OsbCall {
  const call: OsbCall = {
    minor: 0,
    identity: undefined,
    principal: {
      id: `osb:${username}`,
      type: 'user',
      name: `OSB ${username}`,
      tenantId: null,
      roles: [{ tenantId: null, role: 'platform-admin' }],
    },
    auditPrincipal: { type: 'system', id: `osb:${username}`, name: `osb ${username}` },
  };
  calls.set(request, call);
  return call;
}

/** Records the platform user behind the call; audit events name them. */
export function identify(call: OsbCall, identity: OriginatingIdentity | undefined): void {
  call.identity = identity;
  if (identity) call.auditPrincipal = { ...call.auditPrincipal, name: describeIdentity(identity) };
}

export function callOf(request: FastifyRequest): OsbCall {
  const call = calls.get(request);
  if (!call) throw new Error('OSB route reached without its guard');
  return call;
}

/** The request-like object the domain code (`src/services`) acts and audits for. */
export function actingFor(request: FastifyRequest, action: string): ActingRequest {
  return {
    id: request.id,
    ip: request.ip,
    headers: request.headers,
    auditAction: action,
    auditPrincipal: callOf(request).auditPrincipal,
    auditTenantId: null,
    auditTarget: null,
    audited: false,
  };
}

/**
 * Appends the audit event of a mutating call the domain code did not record itself: a
 * refusal (reason: the OSB error code) or an idempotent repeat answered from what exists.
 */
export async function auditUnlessDone(
  ctx: PlatformContext,
  acting: ActingRequest,
  status: number,
  code: string | undefined,
  fallbackTarget: { type: string; id: string },
): Promise<void> {
  if (acting.audited) return;
  await ctx.audit.append(ctx.db, {
    principal: acting.auditPrincipal ?? { type: 'anonymous', id: null, name: null },
    tenantId: acting.auditTenantId,
    action: acting.auditAction ?? 'osb.unknown',
    target: acting.auditTarget ?? fallbackTarget,
    outcome: status < 400 ? 'success' : [401, 403, 404].includes(status) ? 'denied' : 'failure',
    reason: status < 400 ? null : (code ?? `HTTP ${status}`),
    sourceIp: acting.ip,
    userAgent: acting.headers['user-agent'] ?? null,
    requestId: acting.id,
  });
  acting.audited = true;
}

/** `context.platform`, when sent, must be the originating identity's platform (spec). */
export function checkContextPlatform(
  call: OsbCall,
  context: Record<string, unknown> | undefined,
): void {
  const platform = context?.platform;
  if (call.identity && typeof platform === 'string' && platform !== call.identity.platform) {
    throw badRequest(
      `context.platform（${platform}）与 X-Broker-API-Originating-Identity 的平台（${call.identity.platform}）不一致`,
      `context.platform "${platform}" differs from the X-Broker-API-Originating-Identity platform "${call.identity.platform}"`,
    );
  }
}
