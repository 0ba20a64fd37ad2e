import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { Fields } from './body';
import { badRequest } from './errors';

/**
 * The tenant label that ties a platform's organization to a Zhengwu tenant: an operator
 * sets `osb/organization-guid: <Cloud Foundry org GUID or Kubernetes cluster id>` on the
 * department's tenant (`PATCH /v1/tenants/{id}`).
 */
export const ORGANIZATION_LABEL = 'osb/organization-guid';

/**
 * The tenant a new instance belongs to: `context.tenant_id` when the platform is Zhengwu
 * itself (`context.platform: "zhengwu"`), else the tenant whose id is `organization_guid`
 * or whose `osb/organization-guid` label is it. 400 when none or several match.
 */
export async function resolveTenant(
  db: Db,
  context: Fields | undefined,
  organizationGuid: string,
): Promise<string> {
  if (context?.platform === 'zhengwu' && typeof context.tenant_id === 'string') {
    const found = await db
      .selectFrom('tenants')
      .select('id')
      .where('id', '=', context.tenant_id)
      .executeTakeFirst();
    if (found) return found.id;
    throw badRequest(
      `租户 ${context.tenant_id} 不存在`,
      `context.tenant_id names no tenant: ${context.tenant_id} was not found`,
    );
  }
  const rows = await db
    .selectFrom('tenants')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('id', '=', organizationGuid),
        eb(sql`labels ->> ${ORGANIZATION_LABEL}`, '=', organizationGuid),
      ]),
    )
    .limit(2)
    .execute();
  if (rows.length === 1) return rows[0]!.id;
  throw badRequest(
    rows.length === 0
      ? `组织 ${organizationGuid} 未对应任何租户：请在租户上设置标签 ${ORGANIZATION_LABEL}`
      : `组织 ${organizationGuid} 对应多个租户`,
    rows.length === 0
      ? `organization_guid ${organizationGuid} maps to no Zhengwu tenant: label the department's tenant with ${ORGANIZATION_LABEL}=${organizationGuid} (or send context.platform "zhengwu" with context.tenant_id)`
      : `organization_guid ${organizationGuid} maps to several tenants; keep the ${ORGANIZATION_LABEL} label on one`,
  );
}
