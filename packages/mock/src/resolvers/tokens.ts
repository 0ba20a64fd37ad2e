/** Platform tokens (`zw_…`) and the current principal. */

import { canSee, visibleTenantIds } from '../access';
import { created, json } from '../context';
import { newId, randomBase62 } from '../ids';
import { paginate } from '../pagination';
import { invalidField, notFound, ProblemError } from '../problems';
import { type Model, newestFirst, remember } from '../state';
import { DAY_MS, daysFromNow, nowIso } from '../time';
import { type Body, type Resolvers, tenantForCreate } from './lookup';

export const tokenResolvers: Resolvers<
  'getCurrentPrincipal' | 'listTokens' | 'createToken' | 'getToken' | 'revokeToken'
> = {
  getCurrentPrincipal: (ctx) => {
    const { id, type, name, tenantId, roles, tokenId } = ctx.caller;
    const principal: Model['Principal'] = {
      id,
      type,
      name,
      tenantId,
      roles,
      ...(tokenId && { tokenId }),
    };
    return json(principal);
  },

  listTokens: (ctx) => {
    const visible = visibleTenantIds(ctx.rt, ctx.caller);
    const { tenantId, includeRevoked } = ctx.query;
    const tokens = newestFirst(ctx.state, ctx.state.tokens.values()).filter(
      (t) =>
        visible.has(t.tenantId) &&
        (tenantId === undefined || t.tenantId === tenantId) &&
        (includeRevoked === true || t.revokedAt === null),
    );
    return json(paginate(tokens, (t) => t.id, ctx.query, 'listTokens'));
  },

  createToken: (ctx) => {
    const body = ctx.body as Body<'createToken'>;
    const tenant = tenantForCreate(ctx, body.tenantId);
    ctx.audit.tenantId = tenant.id;
    if (body.expiresAt !== undefined && body.expiresInDays !== undefined) {
      throw new ProblemError(
        'validation_failed',
        'Give at most one of expiresAt and expiresInDays.',
        [{ path: '/body/expiresInDays', message: 'not together with expiresAt', code: 'oneOf' }],
      );
    }
    let expiresAt = daysFromNow(body.expiresInDays ?? 90);
    if (body.expiresAt !== undefined) {
      const at = Date.parse(body.expiresAt);
      if (at <= Date.now())
        throw invalidField('/body/expiresAt', 'must be in the future', 'minimum');
      if (at > Date.now() + 366 * DAY_MS)
        throw invalidField('/body/expiresAt', 'must be at most 366 days ahead', 'maximum');
      expiresAt = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    const secret = `zw_${randomBase62(40)}`;
    const token: Model['Token'] = {
      id: newId('tok'),
      name: body.name,
      tenantId: tenant.id,
      role: body.role,
      prefix: secret.slice(3, 11),
      createdAt: nowIso(),
      expiresAt,
      lastUsedAt: null,
      revokedAt: null,
      createdBy: ctx.caller.id,
    };
    ctx.state.tokens.set(token.id, token);
    ctx.state.tokenSecrets.set(secret, token.id);
    remember(ctx.state, token.id);
    return created({ ...token, secret }, `/v1/tokens/${token.id}`, { 'cache-control': 'no-store' });
  },

  getToken: (ctx) => {
    const token = ctx.state.tokens.get(ctx.path.tokenId!);
    if (!token || !canSee(ctx.rt, ctx.caller, token.tenantId))
      throw notFound('Token', ctx.path.tokenId!);
    return json(token);
  },

  revokeToken: (ctx) => {
    const token = ctx.state.tokens.get(ctx.path.tokenId!);
    if (!token || !canSee(ctx.rt, ctx.caller, token.tenantId))
      throw notFound('Token', ctx.path.tokenId!);
    ctx.audit.tenantId = token.tenantId;
    token.revokedAt ??= nowIso();
    return json(token);
  },
};
