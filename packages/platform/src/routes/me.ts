import type { Schemas } from '@zhengwu/openapi';
import { type Handlers, principalOf } from '../http/context';

/** `GET /v1/me`: who this request authenticated as, with its role bindings. */
export const meHandlers: Handlers = {
  getCurrentPrincipal: (request) => {
    const principal = principalOf(request);
    const seen = new Set<string>();
    const roles: Schemas['RoleBinding'][] = [];
    for (const { tenantId, role } of principal.roles) {
      // `tenantId: null` is a platform-wide role (the bootstrap token's).
      if (seen.has(`${tenantId} ${role}`)) continue;
      seen.add(`${tenantId} ${role}`);
      roles.push({ tenantId, role });
    }
    return {
      id: principal.id,
      type: principal.type,
      name: principal.name,
      tenantId: principal.tenantId,
      roles,
      ...(principal.tokenId && { tokenId: principal.tokenId }),
    };
  },
};
