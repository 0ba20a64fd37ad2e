/** Members: a principal's role on a tenant subtree, with the separation of duties (三权分立). */

import type { RequestContext } from '../context';
import { created, json, noContent } from '../context';
import { newId } from '../ids';
import { paginate } from '../pagination';
import { notFound, ProblemError } from '../problems';
import { type Model, newestFirst, remember } from '../state';
import { nowIso } from '../time';
import { type Body, findTenant, type Resolvers } from './lookup';

/** The duty of each administrative role, as the platform has it (tenant-admin is system). */
const DUTY_OF: Partial<Record<Model['Role'], string>> = {
  'platform-admin': 'system',
  'tenant-admin': 'system',
  'security-admin': 'security',
  'audit-admin': 'audit',
};

/** 403 `separation_of_duties` if `principalId` would hold roles of two duties. */
function checkSeparation(
  ctx: RequestContext,
  principalId: string,
  role: Model['Role'],
  exceptMemberId?: string,
) {
  if (principalId === ctx.caller.id) {
    throw new ProblemError('separation_of_duties', "You can't change your own membership.");
  }
  const duty = DUTY_OF[role];
  if (!duty) return;
  for (const m of ctx.state.members.values()) {
    const other = DUTY_OF[m.role];
    if (m.id !== exceptMemberId && m.principal.id === principalId && other && other !== duty) {
      throw new ProblemError(
        'separation_of_duties',
        `${principalId} already holds ${m.role} and can't also be ${role}.`,
      );
    }
  }
}

function findMember(ctx: RequestContext): Model['Member'] {
  const tenant = findTenant(ctx, ctx.path.tenantId!);
  ctx.audit.tenantId = tenant.id;
  const member = ctx.state.members.get(ctx.path.memberId!);
  if (!member || member.tenantId !== tenant.id) throw notFound('Member', ctx.path.memberId!);
  return member;
}

export const memberResolvers: Resolvers<
  'listMembers' | 'addMember' | 'getMember' | 'updateMember' | 'removeMember'
> = {
  listMembers: (ctx) => {
    const tenant = findTenant(ctx, ctx.path.tenantId!);
    const members = newestFirst(ctx.state, ctx.state.members.values()).filter(
      (m) => m.tenantId === tenant.id,
    );
    return json(paginate(members, (m) => m.id, ctx.query, `listMembers ${tenant.id}`));
  },

  addMember: (ctx) => {
    const tenant = findTenant(ctx, ctx.path.tenantId!);
    ctx.audit.tenantId = tenant.id;
    const body = ctx.body as Body<'addMember'>;
    if (
      [...ctx.state.members.values()].some(
        (m) => m.tenantId === tenant.id && m.principal.id === body.principal.id,
      )
    ) {
      throw new ProblemError(
        'already_exists',
        `${body.principal.id} is already a member of ${tenant.id}.`,
      );
    }
    checkSeparation(ctx, body.principal.id, body.role);
    const at = nowIso();
    const member: Model['Member'] = {
      id: newId('mem'),
      tenantId: tenant.id,
      principal: body.principal,
      displayName: body.displayName ?? null,
      role: body.role,
      createdAt: at,
      updatedAt: at,
      createdBy: ctx.caller.id,
    };
    ctx.state.members.set(member.id, member);
    remember(ctx.state, member.id);
    return created(member, `/v1/tenants/${tenant.id}/members/${member.id}`);
  },

  getMember: (ctx) => json(findMember(ctx)),

  updateMember: (ctx) => {
    const member = findMember(ctx);
    const { role } = ctx.body as Body<'updateMember'>;
    checkSeparation(ctx, member.principal.id, role, member.id);
    member.role = role;
    member.updatedAt = nowIso();
    return json(member);
  },

  removeMember: (ctx) => {
    const member = findMember(ctx);
    if (member.principal.id === ctx.caller.id) {
      throw new ProblemError('separation_of_duties', "You can't change your own membership.");
    }
    ctx.state.members.delete(member.id);
    return noContent();
  },
};
