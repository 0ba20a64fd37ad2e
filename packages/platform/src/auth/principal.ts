import type { Role } from '../db/schema';

export type { Role };

/** A role on a tenant subtree; `tenantId: null` is platform-wide (the bootstrap token). */
export interface RoleBinding {
  tenantId: string | null;
  role: Role;
}

/** Who is calling, as authentication established it. */
export interface Principal {
  /** `tok_…` for tokens, the OIDC subject or the user's e-mail otherwise. */
  id: string;
  type: 'token' | 'oidc' | 'user';
  name: string;
  /** The tenant the principal belongs to (a token's tenant); null when platform-wide or none. */
  tenantId: string | null;
  roles: RoleBinding[];
  tokenId?: string;
  /**
   * The platform's own bootstrap token (`tokens.system`): besides its platform-wide
   * platform-admin role it may administer identity (tokens, members) so that the first
   * security-admin can be appointed; see `identity/permissions.ts`.
   */
  system?: true;
  /**
   * The member principals this caller authenticated as (an OIDC subject and, with a
   * verified e-mail, that user): what "its own membership" means for 三权分立.
   */
  identities?: { type: 'user' | 'oidc'; id: string }[];
}

/** The three administrator duties that one principal may not combine (三权分立). */
export const ADMIN_ROLES: readonly Role[] = ['platform-admin', 'security-admin', 'audit-admin'];

export type Duty = 'system' | 'security' | 'audit';

/**
 * The duty of each administrative role: tenant-admin is the system duty delegated to a
 * subtree (it runs tenants and issues operational tokens), so it too is kept apart from the
 * security and audit duties. developer and auditor are no duty of their own.
 */
export const DUTY_OF: Readonly<Partial<Record<Role, Duty>>> = {
  'platform-admin': 'system',
  'tenant-admin': 'system',
  'security-admin': 'security',
  'audit-admin': 'audit',
};

/** The duties the principal's roles belong to. */
export function dutiesOf(roles: readonly { role: Role }[]): Set<Duty> {
  const duties = new Set<Duty>();
  for (const { role } of roles) {
    const duty = DUTY_OF[role];
    if (duty) duties.add(duty);
  }
  return duties;
}

/** Every role: "any role on the tenant or an ancestor". */
export const ANY_ROLE: readonly Role[] = [
  'platform-admin',
  'security-admin',
  'audit-admin',
  'tenant-admin',
  'developer',
  'auditor',
];

/**
 * Whether the principal holds one of `roles` on the tenant whose `path` (ancestors then
 * itself) is given, directly or through an ancestor; platform-wide bindings cover all.
 */
export function holds(
  principal: Principal,
  tenantPath: readonly string[],
  roles: readonly Role[],
): boolean {
  return principal.roles.some(
    (b) => roles.includes(b.role) && (b.tenantId === null || tenantPath.includes(b.tenantId)),
  );
}

/** Whether the principal holds one of `roles` platform-wide. */
export function holdsGlobally(principal: Principal, roles: readonly Role[]): boolean {
  return principal.roles.some((b) => b.tenantId === null && roles.includes(b.role));
}

/**
 * The tenant subtrees in which the principal holds one of `roles`: `'all'` when it holds one
 * platform-wide, else the roots of those subtrees (for filtering lists).
 */
export function subtreesOf(
  principal: Principal,
  roles: readonly Role[] = ANY_ROLE,
): 'all' | string[] {
  const bindings = principal.roles.filter((b) => roles.includes(b.role));
  if (bindings.some((b) => b.tenantId === null)) return 'all';
  return [...new Set(bindings.map((b) => b.tenantId as string))];
}
