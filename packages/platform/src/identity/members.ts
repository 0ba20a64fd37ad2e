import type { Schemas } from '@zhengwu/openapi';
import { sql } from 'kysely';
import { DUTY_OF, type Role } from '../auth/principal';
import type { Db } from '../db/database';
import type { MemberRow } from '../db/schema';
import { invalidField, ProblemError } from '../http/problems';

/** A member row in the API's shape. */
export function toApiMember(row: MemberRow): Schemas['Member'] {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    principal: { type: row.principal_type, id: row.principal_id },
    displayName: row.display_name,
    role: row.role,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    createdBy: row.created_by,
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks a member principal from a request body: a user is identified by an e-mail. */
export function checkMemberPrincipal(principal: { type: 'user' | 'oidc'; id: string }): void {
  if (principal.type === 'user' && !EMAIL.test(principal.id.trim())) {
    throw invalidField('/body/principal/id', 'must be an e-mail address for a user', 'format');
  }
  if (principal.id.trim() === '') {
    throw invalidField('/body/principal/id', 'must not be blank', 'minLength');
  }
}

/** Lock namespace (first key of the two-key advisory lock) for member principals. */
const MEMBER_LOCK_SPACE = 7_070;

/**
 * Serialises membership changes of one principal until the transaction ends, so two
 * concurrent grants can't both pass the separation-of-duties check.
 */
export async function lockPrincipal(
  trx: Db,
  principal: { type: 'user' | 'oidc'; id: string },
): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${MEMBER_LOCK_SPACE}, hashtext(${`${principal.type}:${principal.id}`}))`.execute(
    trx,
  );
}

/**
 * 三权分立: 403 `separation_of_duties` when giving `role` to the principal would let it hold
 * roles of two duties anywhere on the platform: system (platform-admin, tenant-admin),
 * security (security-admin) and audit (audit-admin). `exceptMemberId` is the membership
 * being changed (its current role doesn't count).
 */
export async function checkSeparation(
  trx: Db,
  principal: { type: 'user' | 'oidc'; id: string },
  role: Role,
  exceptMemberId?: string,
): Promise<void> {
  const duty = DUTY_OF[role];
  if (!duty) return;
  const otherDuties = (Object.keys(DUTY_OF) as Role[]).filter((r) => DUTY_OF[r] !== duty);
  let query = trx
    .selectFrom('members')
    .select('role')
    .where('principal_type', '=', principal.type)
    .where('principal_id', '=', principal.id)
    .where('role', 'in', otherDuties);
  if (exceptMemberId) query = query.where('id', '!=', exceptMemberId);
  const other = await query.orderBy('created_at').executeTakeFirst();
  if (other) {
    throw new ProblemError(
      'separation_of_duties',
      `${principal.id} already holds ${other.role} and can't also be ${role}: the system (platform-admin, tenant-admin), security (security-admin) and audit (audit-admin) duties are held by different principals (三权分立).`,
    );
  }
}
