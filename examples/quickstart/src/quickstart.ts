import { Zhengwu } from '@zhengwu/sdk';

/** Waits poll briskly here; a real program can keep the SDK defaults (1 s to 15 s). */
const brisk = { minDelay: 50, maxDelay: 500, maxWaitTime: 120_000 };

/** Hides all but the start of a secret. */
const mask = (value: unknown) => `${String(value).slice(0, 3)}…`;

/**
 * The quick start, step by step: who am I, what does the marketplace offer, provision a
 * PostgreSQL instance, bind it, rotate the credentials, check the audit chain, clean up.
 */
export async function quickstart(
  client: Zhengwu,
  log: (line: string) => void = console.log,
): Promise<void> {
  const me = await client.tokens.whoami();
  log(`① 当前身份 · Signed in as ${me.name} (${me.roles.map((r) => r.role).join(', ')})`);

  log('② 服务目录 · Marketplace');
  for await (const service of client.catalog.services.list()) {
    const plans = service.plans
      .map((p) => `${p.id}${p.compliance.gmCrypto ? '·国密' : ''}·等保${p.compliance.dengbaoLevel}`)
      .join('  ');
    const note = service.available
      ? ''
      : ` (不可用 · unavailable: ${service.unavailableReason?.en})`;
    log(
      `   ${service.id.padEnd(15)} ${service.displayName.zh} / ${service.displayName.en} — ${plans}${note}`,
    );
  }

  // A platform-wide token (the platform's bootstrap admin) belongs to no tenant: make one.
  const tenant = me.tenantId
    ? undefined
    : await client.tenants.create({
        parentId: null,
        name: `quickstart-${Date.now().toString(36)}`,
        displayName: { zh: '快速入门', en: 'Quick start' },
        level: 'province',
      });
  const tenantId = me.tenantId ?? tenant!.id;

  log('③ 开通 PostgreSQL · Provisioning PostgreSQL (plan s)');
  const db = await client.instances.create({
    tenantId,
    name: 'quickstart-db',
    service: 'postgresql',
    plan: 's',
  });
  const ready = await client.instances.waitUntilReady(db.id, {
    ...brisk,
    onPoll: (state) => log(`   … ${(state as { state: string }).state}`),
  });
  log(`   ${ready.id} is ${ready.state}`);

  log('④ 绑定 · Binding credentials');
  const binding = await client.bindings.create({ instanceId: db.id, name: 'quickstart-web' });
  await client.bindings.waitUntilReady(binding.id, brisk);
  const first = await client.bindings.credentials(binding.id);
  log(
    `   v${first.version} user ${first.credentials.username} password ${mask(first.credentials.password)}`,
  );

  log('⑤ 轮换凭据 · Rotating credentials');
  await client.bindings.rotate(binding.id);
  await client.bindings.waitUntilReady(binding.id, brisk);
  const second = await client.bindings.credentials(binding.id);
  log(
    `   v${second.version} user ${second.credentials.username} password ${mask(second.credentials.password)}`,
  );

  log('⑥ 审计 · Audit chain');
  // 三权分立: an administrator does not audit itself; an auditor's token verifies the chain.
  const auditor = tenant
    ? new Zhengwu({
        baseUrl: client.baseUrl,
        token: (
          await client.tokens.create({
            name: 'quickstart-auditor',
            tenantId,
            role: 'auditor',
            expiresInDays: 1,
          })
        ).secret,
      })
    : client;
  const report = await auditor.auditEvents.verify();
  log(
    `   ${report.valid ? '完整 · intact' : '已损坏 · BROKEN'}: ${report.checked} events checked (${report.algorithm})`,
  );

  log('⑦ 清理 · Cleaning up');
  await client.bindings.delete(binding.id);
  await client.instances.delete(db.id);
  await client.instances.waitUntilDeleted(db.id, brisk);
  if (tenant) await client.tenants.delete(tenant.id);
  log('   done · 完成');
}
