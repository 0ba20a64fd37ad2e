import { NotFoundError, Zhengwu } from '@zhengwu/sdk';

export interface TenancyResult {
  provinceId: string;
  cityId: string;
  tokenId: string;
}

/**
 * Departments and quotas, step by step, with a platform-admin client: create a province and
 * a city under it, give the city a quota, create a developer token for the city, and read
 * the city's usage with that token — which sees the city but not the province above it.
 *
 * @param suffix appended to the tenant names so the example can run again on one platform
 */
export async function tenancy(
  admin: Zhengwu,
  log: (line: string) => void = console.log,
  suffix = Math.random().toString(36).slice(2, 8),
): Promise<TenancyResult> {
  log('① 创建省级租户 · Creating a province');
  const province = await admin.tenants.create({
    name: `zhejiang-${suffix}`,
    displayName: { zh: '浙江省', en: 'Zhejiang Province' },
    parentId: null,
    level: 'province',
    regionCode: '330000',
  });
  log(`   ${province.id} ${province.name} (${province.level})`);

  log('② 创建市级租户 · Creating a city under it');
  const city = await admin.tenants.create({
    name: `hangzhou-${suffix}`,
    displayName: { zh: '杭州市', en: 'Hangzhou' },
    parentId: province.id,
    level: 'city',
    regionCode: '330100',
    labels: { classification: 'internal' },
  });
  log(`   ${city.id} ${city.name} (${city.level}), path ${city.path.join(' → ')}`);

  log('③ 设置配额 · Setting the city’s quota (replicas inherited)');
  const quota = await admin.tenants.setQuota(city.id, {
    instances: 10,
    apps: 5,
    memoryMb: 16384,
    storageMb: 102400,
    replicas: null,
  });
  const e = quota.effective;
  log(
    `   effective: ${e.instances} instances, ${e.apps} apps, ${e.memoryMb} MiB memory, ${e.storageMb} MiB storage, ${e.replicas} replicas`,
  );

  log('④ 创建开发者令牌 · Creating a developer token for the city');
  const token = await admin.tokens.create({
    name: 'tenancy-example',
    tenantId: city.id,
    role: 'developer',
    expiresInDays: 1,
  });
  log(
    `   ${token.id} (${token.role}) secret ${token.secret.slice(0, 6)}… expires ${token.expiresAt}`,
  );

  log('⑤ 以开发者身份读取用量 · Reading usage as the developer');
  const developer = new Zhengwu({ baseUrl: admin.baseUrl, token: token.secret });
  const usage = await developer.tenants.getUsage(city.id);
  const u = usage.used;
  log(
    `   ${u.instances}/${usage.limits.instances} instances, ${u.apps}/${usage.limits.apps} apps, ${u.memoryMb}/${usage.limits.memoryMb} MiB memory (as of ${usage.asOf})`,
  );
  const hidden = await developer.tenants.retrieve(province.id).catch((error: unknown) => error);
  log(
    hidden instanceof NotFoundError
      ? '   上级租户对开发者不可见 · the province is not visible to the city’s developer (404)'
      : '   unexpected: the developer can see the province',
  );

  return { provinceId: province.id, cityId: city.id, tokenId: token.id };
}

/** Deletes what `tenancy` created (the token goes with its tenant). */
export async function cleanUp(admin: Zhengwu, result: TenancyResult): Promise<void> {
  await admin.tenants.delete(result.cityId);
  await admin.tenants.delete(result.provinceId);
}
