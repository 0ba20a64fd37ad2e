import { sql } from 'kysely';
import { DUTY_OF, holds, type Principal, type Role } from '../auth/principal';
import type { PlatformConfig } from '../config';
import type { Db } from '../db/database';
import type { TenantRow } from '../db/schema';
import { ProblemError } from '../http/problems';

/**
 * Who may do what with identities, from the contract's operation descriptions:
 *
 * | operation                                  | needs, on the tenant or an ancestor |
 * |--------------------------------------------|-------------------------------------|
 * | listMembers, getMember                     | any role (else 404)                 |
 * | addMember, updateMember, removeMember      | security-admin                      |
 * | createToken (tenant-admin, developer)      | platform-admin or tenant-admin *    |
 * | createToken (auditor)                      | audit-admin *                       |
 * | revokeToken                                | security-admin, or as createToken   |
 * | listTokens, getToken                       | security-admin, auditor, an issuer  |
 *
 * (*) held by a member, never a token: tokens don't mint tokens. A token is a credential its
 * issuer holds, so it is issued by the duty its role belongs to (三权分立): operational tokens
 * by system administrators, auditor tokens by audit administrators — a security-admin, who
 * decides who holds which role, gets no bearer credential of another duty into its hands.
 *
 * The platform's bootstrap token (`Principal.system`) is the one exception: it holds
 * platform-admin platform-wide and may also administer identity, because on a fresh
 * platform nobody else can appoint the first security-admin (and without OIDC, tokens —
 * which never carry security-admin — are the only credentials there are). The exception
 * ends where it has done its job (三权分立): once a member who can sign in (OIDC is
 * configured) holds security-admin anywhere in a root tenant's tree (a province), members
 * and tokens in that whole tree are for security-admins alone — the bootstrap token can no
 * longer mint itself an auditor's token, appoint an audit-admin, or appoint a security-admin
 * above the one there to overrule them. Hence: appoint the root's security-admin first.
 */

/** Roles a token may carry: never the three administrator roles (三权分立). */
export const TOKEN_ROLES: readonly Role[] = ['tenant-admin', 'developer', 'auditor'];

/** The duty that issues tokens of each role (a member holding one of these roles). */
export const TOKEN_ISSUERS: Readonly<Record<'tenant-admin' | 'developer' | 'auditor', Role[]>> = {
  'tenant-admin': ['platform-admin', 'tenant-admin'],
  developer: ['platform-admin', 'tenant-admin'],
  auditor: ['audit-admin'],
};

/** Roles that may read tokens: the security-admin, auditors, and the issuers. */
export const TOKEN_READERS: readonly Role[] = [
  'security-admin',
  'auditor',
  'platform-admin',
  'tenant-admin',
  'audit-admin',
];

/**
 * 403 `forbidden` unless the principal may issue (or, `revoking`, revoke) a token of `role`
 * on `tenant`: a member of the role's issuing duty; a security-admin may also revoke; the
 * bootstrap token issues operational tokens as the platform's system administrator, and
 * auditor tokens only until identity in the tree is handed over.
 */
export async function requireTokenIssuer(
  ctx: IdentityContext,
  principal: Principal,
  tenant: Pick<TenantRow, 'id' | 'path'>,
  role: Role,
  revoking = false,
): Promise<void> {
  const issuers = TOKEN_ISSUERS[role as keyof typeof TOKEN_ISSUERS] ?? [];
  const what = `${revoking ? 'Revoking' : 'Issuing'} ${role === 'auditor' ? 'an' : 'a'} ${role} token`;
  if (principal.system === true) {
    if (role !== 'auditor' || !(await handedOver(ctx, tenant.path))) return;
    throw new ProblemError(
      'forbidden',
      `审计员令牌由审计管理员签发（三权分立），平台初始令牌不再签发 · ${what} on tenant ${tenant.id} is for an audit-admin: identity in its tree has been handed over, so the bootstrap token no longer issues auditor tokens there (separation of duties).`,
    );
  }
  if (principal.type !== 'token') {
    if (revoking && holds(principal, tenant.path, ['security-admin'])) return;
    if (holds(principal, tenant.path, issuers)) {
      // The issuer must hold no other duty anywhere (however its roles were gathered: a
      // session's subject and e-mail are two members), or the token would put two duties'
      // credentials in one pair of hands.
      const duty = DUTY_OF[issuers[0]!];
      const other = principal.roles.find((b) => DUTY_OF[b.role] && DUTY_OF[b.role] !== duty);
      if (!other) return;
      throw new ProblemError(
        'separation_of_duties',
        `${what} would give one principal credentials of two duties: you also hold ${other.role} (三权分立).`,
      );
    }
  }
  const held = rolesOn(principal, tenant.path);
  const needed = `${issuers.join(' or ')}${revoking ? ' or security-admin' : ''}`;
  const byToken =
    principal.type === 'token'
      ? ' Only members (signed in through OIDC) and the bootstrap token issue or revoke tokens, never another token.'
      : '';
  throw new ProblemError(
    'forbidden',
    `${revoking ? '吊销' : '签发'} ${role} 令牌需要在租户 ${tenant.id} 或其上级持有 ${needed} 角色的成员（OIDC 登录）；除平台初始令牌外，令牌不能签发或吊销令牌 · ${what} needs a member holding ${needed} on tenant ${tenant.id} or an ancestor; you hold ${
      held.length ? held.join(', ') : 'no role'
    } there.${byToken}`,
  );
}

/** Whether the principal may change members and tokens of the tenant at `path`. */
export async function administersIdentity(
  ctx: IdentityContext,
  principal: Principal,
  path: readonly string[],
): Promise<boolean> {
  if (principal.system === true) return !(await handedOver(ctx, path));
  return holds(principal, path, ['security-admin']);
}

/** What the handover check reads: the members, and whether members can sign in at all. */
export interface IdentityContext {
  db: Db;
  config: Pick<PlatformConfig, 'oidc'>;
}

/**
 * Whether identity in the tree of the tenant at `path` (everything under its root) belongs
 * to security-admin members who can sign in: then the bootstrap token no longer administers
 * it. The whole tree, not the tenant's own path: otherwise the bootstrap token could act one
 * level above a security-admin (an auditor token on the province reads the city's audit).
 */
export async function handedOver(ctx: IdentityContext, path: readonly string[]): Promise<boolean> {
  if (ctx.config.oidc === undefined || path.length === 0) return false;
  const holder = await ctx.db
    .selectFrom('members')
    .innerJoin('tenants', 'tenants.id', 'members.tenant_id')
    .select('members.id')
    .where('members.role', '=', 'security-admin')
    .where(sql<boolean>`tenants.path[1] = ${path[0]}`)
    .limit(1)
    .executeTakeFirst();
  return holder !== undefined;
}

/**
 * The roles through which the principal reads tokens: a token only as an auditor (a
 * tenant-admin token has no business with other tokens' metadata — who issued them, when
 * auditors were last active); a member also as the security-admin or an issuer.
 */
export function tokenReaderRoles(principal: Principal): readonly Role[] {
  return principal.type === 'token' ? ['auditor'] : TOKEN_READERS;
}

/** Whether the principal may read the tokens of the tenant at `path`. */
export function readsTokens(principal: Principal, path: readonly string[]): boolean {
  return principal.system === true || holds(principal, path, tokenReaderRoles(principal));
}

/** The roles the principal holds on the tenant at `path` (directly or through an ancestor). */
export function rolesOn(principal: Principal, path: readonly string[]): Role[] {
  return [
    ...new Set(
      principal.roles
        .filter((b) => b.tenantId === null || path.includes(b.tenantId))
        .map((b) => b.role),
    ),
  ];
}

/**
 * 403 `forbidden` unless the principal administers identity on `tenant`. The detail names
 * what was asked (e.g. granting platform-admin), the role it needs and what the caller has.
 */
export async function requireIdentityAdmin(
  ctx: IdentityContext,
  principal: Principal,
  tenant: Pick<TenantRow, 'id' | 'path'>,
  what: string,
): Promise<void> {
  if (await administersIdentity(ctx, principal, tenant.path)) return;
  if (principal.system === true) {
    throw new ProblemError(
      'forbidden',
      `租户 ${tenant.id} 所在的租户树已有安全管理员，成员与令牌由安全管理员管理（三权分立），平台初始令牌不再管理 · ${what} on tenant ${tenant.id} is for a security-admin: one has been appointed in its tree, so the bootstrap token no longer administers identity there (separation of duties).`,
    );
  }
  const held = rolesOn(principal, tenant.path);
  const viaToken = principal.type === 'token' ? ' Tokens never carry security-admin.' : '';
  throw new ProblemError(
    'forbidden',
    `此操作需要在租户 ${tenant.id} 或其上级持有 security-admin 角色 · ${what} needs the security-admin role on tenant ${tenant.id} or an ancestor; you hold ${
      held.length ? held.join(', ') : 'no role'
    } there.${viaToken}`,
  );
}

/** A member principal as stored: e-mail addresses compared case-insensitively. */
export function memberKey(principal: { type: 'user' | 'oidc'; id: string }): {
  type: 'user' | 'oidc';
  id: string;
} {
  return principal.type === 'user'
    ? { type: 'user', id: principal.id.trim().toLowerCase() }
    : principal;
}

/** Whether `member` is the caller itself (its OIDC subject, or its verified e-mail). */
export function isSelf(
  principal: Principal,
  member: { type: 'user' | 'oidc'; id: string },
): boolean {
  const key = memberKey(member);
  return (principal.identities ?? []).some((i) => i.type === key.type && i.id === key.id);
}
