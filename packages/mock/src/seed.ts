/**
 * The state every mock platform starts from (and `reset()` returns to): the province tenant
 * 浙江省 (`zhejiang`), whose administrator is the principal of the mock token, and the
 * built-in catalog.
 */

import { builtInCatalog } from '@zhengwu/catalog';
import { emptyState, type MockState, type Model, remember } from './state';
import { nowIso } from './time';

/** The seeded province tenant 浙江省 (`zhejiang`). */
export const MOCK_TENANT_ID = 'ten_zhejiangProvince0001';

/** The id of the principal behind `MOCK_TOKEN`: the province's platform administrator. */
export const MOCK_ADMIN_ID = 'admin@zhejiang.gov.cn';

/**
 * The token the mock accepts by default: documented and fixed, so it is obviously not a
 * secret. Pass `token` to `createMockPlatform` to use another.
 */
export const MOCK_TOKEN = 'zw_mock_PlatformAdmin_NotASecret_0000000000000';

/** Effective limits of a province root whose own limits are all `null` (platform defaults). */
export const ROOT_DEFAULT_LIMITS: Model['QuotaLimits'] = {
  instances: 50,
  apps: 20,
  memoryMb: 262144,
  storageMb: 4194304,
  replicas: 200,
};

export function seedState(): MockState {
  const state = emptyState(builtInCatalog());
  const at = nowIso();
  state.tenants.set(MOCK_TENANT_ID, {
    id: MOCK_TENANT_ID,
    name: 'zhejiang',
    displayName: { zh: '浙江省', en: 'Zhejiang Province' },
    parentId: null,
    path: [],
    level: 'province',
    regionCode: '330000',
    labels: { classification: 'internal' },
    createdAt: at,
    updatedAt: at,
  });
  remember(state, MOCK_TENANT_ID);
  state.quotas.set(MOCK_TENANT_ID, {
    instances: null,
    apps: null,
    memoryMb: null,
    storageMb: null,
    replicas: null,
  });
  const memberId = 'mem_zhejiangPlatformAdmin';
  state.members.set(memberId, {
    id: memberId,
    tenantId: MOCK_TENANT_ID,
    principal: { type: 'user', id: MOCK_ADMIN_ID },
    displayName: '浙江省平台管理员',
    role: 'platform-admin',
    createdAt: at,
    updatedAt: at,
    createdBy: 'system',
  });
  remember(state, memberId);
  return state;
}
