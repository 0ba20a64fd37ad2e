import type { Principal } from '../auth/principal';
import type { Db } from '../db/database';
import type { MemberRow } from '../db/schema';
import { type Handlers, principalOf } from '../http/context';
import { createdPositionOf, isCreatedPosition, ScopedCursor } from '../http/cursor';
import { notFound, ProblemError } from '../http/problems';
import { auditingRefusals, successEvent } from '../identity/audit';
import {
  checkMemberPrincipal,
  checkSeparation,
  lockPrincipal,
  toApiMember,
} from '../identity/members';
import { isSelf, memberKey, requireIdentityAdmin } from '../identity/permissions';
import { newId } from '../ids';
import { visibleTenant } from '../tenancy/access';

/** A member of `tenantId` (bound directly to it); 404 for a member of another tenant. */
async function memberOf(db: Db, tenantId: string, memberId: string): Promise<MemberRow> {
  const row = await db
    .selectFrom('members')
    .selectAll()
    .where('id', '=', memberId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  if (!row) throw notFound('Member', memberId);
  return row;
}

/** 三权分立: nobody changes their own membership (a security-admin can't promote itself). */
function refuseSelf(principal: Principal, member: { type: 'user' | 'oidc'; id: string }): void {
  if (isSelf(principal, member)) {
    throw new ProblemError(
      'separation_of_duties',
      `You can't change your own membership (${member.type} ${member.id}); another security-admin must do it.`,
    );
  }
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/** Members: principals' role bindings on tenant subtrees, with the separation of duties. */
export const memberHandlers: Handlers = {
  listMembers: async (request, _reply, ctx) => {
    const principal = principalOf(request);
    const tenant = await visibleTenant(ctx.db, principal, request.params.tenantId);
    const { limit = 50, cursor } = request.query;
    const cursors = new ScopedCursor('members', { tenantId: tenant.id }, isCreatedPosition);
    const after = cursors.decode(cursor);
    let query = ctx.db.selectFrom('members').selectAll().where('tenant_id', '=', tenant.id);
    if (after) {
      query = query.where((eb) =>
        eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(new Date(after[0]), after[1])),
      );
    }
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    return cursors.page(rows, limit, createdPositionOf, toApiMember);
  },

  getMember: async (request, _reply, ctx) => {
    const principal = principalOf(request);
    const tenant = await visibleTenant(ctx.db, principal, request.params.tenantId);
    return toApiMember(await memberOf(ctx.db, tenant.id, request.params.memberId));
  },

  addMember: auditingRefusals<'addMember'>(async (request, reply, ctx) => {
    const principal = principalOf(request);
    const body = request.body;
    const tenant = await visibleTenant(ctx.db, principal, request.params.tenantId);
    request.auditTenantId = tenant.id;
    await requireIdentityAdmin(ctx, principal, tenant, `Granting the ${body.role} role`);
    checkMemberPrincipal(body.principal);
    const who = memberKey(body.principal);
    refuseSelf(principal, who);
    const now = new Date();
    const id = newId('mem');
    let row: MemberRow;
    try {
      row = await ctx.db.transaction().execute(async (trx) => {
        await lockPrincipal(trx, who);
        const existing = await trx
          .selectFrom('members')
          .select('id')
          .where('tenant_id', '=', tenant.id)
          .where('principal_type', '=', who.type)
          .where('principal_id', '=', who.id)
          .executeTakeFirst();
        if (existing) {
          throw new ProblemError(
            'already_exists',
            `${who.type} ${who.id} is already a member of tenant ${tenant.id} (${existing.id}); change that member's role instead.`,
          );
        }
        await checkSeparation(trx, who, body.role);
        const inserted = await trx
          .insertInto('members')
          .values({
            id,
            tenant_id: tenant.id,
            principal_type: who.type,
            principal_id: who.id,
            display_name: body.displayName ?? null,
            role: body.role,
            created_at: now,
            updated_at: now,
            created_by: principal.id,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await ctx.audit.append(
          trx,
          successEvent(request, principal, tenant.id, { type: 'member', id }),
        );
        return inserted;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ProblemError(
          'already_exists',
          `${who.type} ${who.id} is already a member of tenant ${tenant.id}.`,
        );
      }
      throw error;
    }
    request.audited = true;
    reply.code(201).header('location', `/v1/tenants/${tenant.id}/members/${id}`);
    return toApiMember(row);
  }),

  updateMember: auditingRefusals<'updateMember'>(async (request, _reply, ctx) => {
    const principal = principalOf(request);
    const { role } = request.body;
    request.auditTarget = { type: 'member', id: request.params.memberId };
    const tenant = await visibleTenant(ctx.db, principal, request.params.tenantId);
    request.auditTenantId = tenant.id;
    await requireIdentityAdmin(ctx, principal, tenant, `Changing a member's role to ${role}`);
    const member = await memberOf(ctx.db, tenant.id, request.params.memberId);
    const who = { type: member.principal_type, id: member.principal_id };
    refuseSelf(principal, who);
    const row = await ctx.db.transaction().execute(async (trx) => {
      await lockPrincipal(trx, who);
      await memberOf(trx, tenant.id, member.id); // still there once we hold the lock
      await checkSeparation(trx, who, role, member.id);
      const updated = await trx
        .updateTable('members')
        .set({ role, updated_at: new Date() })
        .where('id', '=', member.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await ctx.audit.append(
        trx,
        successEvent(request, principal, tenant.id, request.auditTarget!),
      );
      return updated;
    });
    request.audited = true;
    return toApiMember(row);
  }),

  removeMember: auditingRefusals<'removeMember'>(async (request, reply, ctx) => {
    const principal = principalOf(request);
    request.auditTarget = { type: 'member', id: request.params.memberId };
    const tenant = await visibleTenant(ctx.db, principal, request.params.tenantId);
    request.auditTenantId = tenant.id;
    await requireIdentityAdmin(ctx, principal, tenant, 'Removing a member');
    const member = await memberOf(ctx.db, tenant.id, request.params.memberId);
    refuseSelf(principal, { type: member.principal_type, id: member.principal_id });
    await ctx.db.transaction().execute(async (trx) => {
      const deleted = await trx
        .deleteFrom('members')
        .where('id', '=', member.id)
        .returning('id')
        .executeTakeFirst();
      if (!deleted) throw notFound('Member', member.id);
      await ctx.audit.append(
        trx,
        successEvent(request, principal, tenant.id, request.auditTarget!),
      );
    });
    request.audited = true;
    return reply.code(204).send();
  }),
};
