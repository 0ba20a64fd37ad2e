/** `zw tenants`, `zw tokens`, `zw audit` against the mock. */
import { tamperAuditEvent } from '@zhengwu/mock';
import { describe, expect, it } from 'vitest';
import { CREATE_HANGZHOU, useMock } from './helpers';

const t = useMock();
const TENANT = 'ten_zhejiangProvince0001';

describe('zw tenants', () => {
  it('list, create a child, show it with quota and usage', async () => {
    const list = await t.zw(['tenants', 'list', '--json']);
    expect(list.json()).toEqual([
      expect.objectContaining({ id: TENANT, name: 'zhejiang', level: 'province' }),
    ]);

    const created = await t.zw([...CREATE_HANGZHOU, '--region', '330100', '--json']);
    expect(created.code).toBe(0);
    expect(created.json()).toMatchObject({
      name: 'hangzhou',
      parentId: TENANT,
      level: 'city',
      regionCode: '330100',
    });

    const table = await t.zw(['tenants', 'list', '--parent', 'zhejiang']);
    expect(table.stdout).toMatch(
      /hangzhou\s+杭州市 · Hangzhou\s+city\s+330100\s+ten_\w+\s+ten_zhejiang/,
    );

    const show = await t.zw(['tenants', 'show', 'hangzhou', '--json']);
    expect(show.json()).toMatchObject({
      tenant: { name: 'hangzhou' },
      quota: { effective: { instances: expect.any(Number) } },
      usage: { used: { instances: 0 } },
    });
    const mine = await t.zw(['tenants', 'show']);
    expect(mine.stdout).toMatch(/浙江省/);
    expect(mine.stdout).toMatch(/实例 instances\s+0\s+50\s+/);

    const dup = await t.zw(CREATE_HANGZHOU);
    expect(dup.code).toBe(5);
    const badLevel = await t.zw([
      'tenants',
      'create',
      'x',
      '--zh',
      'x',
      '--en',
      'x',
      '--level',
      'village',
    ]);
    expect(badLevel.code).toBe(2);
    expect((await t.zw(['tenants', 'show', 'atlantis'])).code).toBe(4);

    // Deleting asks for confirmation; an empty tenant goes, one with children does not.
    expect((await t.zw(['tenants', 'delete', 'hangzhou'])).code).toBe(2);
    const deleted = await t.zw(['tenants', 'delete', 'hangzhou', '--yes', '--json']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.json()).toMatchObject({ name: 'hangzhou', deleted: true });
    expect((await t.zw(['tenants', 'show', 'hangzhou'])).code).toBe(4);
    await t.zw(CREATE_HANGZHOU);
    const parent = await t.zw(['tenants', 'delete', 'zhejiang', '--yes']);
    expect(parent.code).toBe(5);
    expect(parent.stderr).toMatch(/not_empty/);
  });
});

describe('zw tokens', () => {
  it('create shows the secret once; the token works; revoke stops it (exit 3 after)', async () => {
    const created = await t.zw([
      'tokens',
      'create',
      'ci deploys',
      '--role',
      'developer',
      '--days',
      '30',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const token = created.json();
    expect(token).toMatchObject({ name: 'ci deploys', role: 'developer', tenantId: TENANT });
    expect(token.secret).toMatch(/^zw_/);
    expect(created.stderr).toMatch(/令牌密钥只显示这一次/);

    const list = await t.zw(['tokens', 'list', '--json']);
    expect(list.json().map((x: { id: string }) => x.id)).toContain(token.id);
    expect(JSON.stringify(list.json())).not.toContain(token.secret);

    const asDeveloper = await t.env({ ZHENGWU_TOKEN: token.secret });
    expect((await t.zw(['whoami', '--json'], { env: asDeveloper })).json().principal.id).toBe(
      token.id,
    );
    // A developer may not list tokens: 403 is exit 3 with a hint about roles.
    const denied = await t.zw(['tokens', 'list'], { env: asDeveloper });
    expect(denied.code).toBe(3);
    expect(denied.stderr).toMatch(/security-admin/);

    expect((await t.zw(['tokens', 'revoke', token.id])).code).toBe(2);
    // By name as well as by id.
    const revoked = await t.zw(['tokens', 'revoke', 'ci deploys', '--yes', '--json']);
    expect(revoked.json()).toMatchObject({ id: token.id, revokedAt: expect.any(String) });
    const after = await t.zw(['whoami'], { env: asDeveloper });
    expect(after.code).toBe(3);
    // The revoked token came from ZHENGWU_TOKEN: zw login would not replace it.
    expect(after.stderr).toMatch(/unset ZHENGWU_TOKEN/);
    expect((await t.zw(['tokens', 'revoke', 'tok_0000000000000000000000', '--yes'])).code).toBe(4);
    const unknown = await t.zw(['tokens', 'revoke', 'no-such-token', '--yes']);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/令牌不存在 · Token not found: no-such-token/);
  });
});

describe('zw audit', () => {
  it('lists events with filters, and verifies the hash chain', async () => {
    await t.zw(['services', 'create', 'redis', 'dev', 'audited']);
    const events = await t.zw(['audit', '--action', 'instance.create', '--since', '1h', '--json']);
    expect(events.code).toBe(0);
    expect(events.json()).toEqual([
      expect.objectContaining({ action: 'instance.create', outcome: 'success' }),
    ]);
    const table = await t.zw(['audit', '--limit', '5']);
    expect(table.stdout.split('\n')[0]).toMatch(
      /^序号 SEQ\s+时间 TIME\s+主体 PRINCIPAL\s+动作 ACTION/,
    );

    const ok = await t.zw(['audit', '--verify', '--json']);
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({ valid: true, algorithm: 'HMAC-SM3', firstBroken: null });
  });

  it('--verify fails (exit 1) and names the first broken event when the chain was tampered with', async () => {
    await t.zw(['services', 'create', 'redis', 'dev', 'a1']);
    await t.zw(['services', 'create', 'redis', 'dev', 'a2']);
    tamperAuditEvent(t.mock.platform, 1, { outcome: 'failure' });
    const r = await t.zw(['audit', '--verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/哈希链已断开 · The audit chain is BROKEN/);
    expect(r.stdout).toMatch(/首个断点 First break\s+#1 evt_\w+ \(hash_mismatch\)/);
    expect(r.stderr).toMatch(/审计链在 #1 处断开/);
  });

  it('rejects a bad --since (exit 2)', async () => {
    const r = await t.zw(['audit', '--since', 'last tuesday']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--since 须为 ISO 时间或时长/);
  });
});

describe('zw tenants quota', () => {
  const createHangzhou = () => t.zw(CREATE_HANGZHOU);

  it('without options shows quota and usage: a table, or { quota, usage } with --json', async () => {
    await createHangzhou();
    const r = await t.zw(['tenants', 'quota', 'hangzhou']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^杭州市 · Hangzhou \(hangzhou, ten_\w+\)\n/);
    expect(r.stdout).toMatch(/配额 QUOTA\s+已用 USED\s+上限 LIMIT\s+来源 SOURCE/);
    expect(r.stdout).toMatch(/实例 instances\s+0\s+50\s+继承 inherited/);
    expect(r.stdout).toMatch(/zw tenants quota hangzhou --instances <n>/);

    const json = await t.zw(['tenants', 'quota', 'hangzhou', '--json']);
    expect(json.code).toBe(0);
    expect(json.json()).toMatchObject({
      quota: {
        limits: { instances: null, apps: null, memoryMb: null, storageMb: null, replicas: null },
        effective: { instances: 50 },
      },
      usage: { used: { instances: 0, apps: 0 } },
    });
    expect((await t.zw(['tenants', 'quota', 'atlantis'])).code).toBe(4);
  });

  it('sets the limits given and keeps the others; inherit clears one', async () => {
    await createHangzhou();
    const set = await t.zw([
      'tenants',
      'quota',
      'hangzhou',
      '--instances',
      '20',
      '--memory-mb',
      '65536',
      '--json',
    ]);
    expect(set.code).toBe(0);
    expect(set.json().quota.limits).toEqual({
      instances: 20,
      apps: null,
      memoryMb: 65536,
      storageMb: null,
      replicas: null,
    });

    const more = await t.zw(['tenants', 'quota', 'hangzhou', '--apps', '5']);
    expect(more.code).toBe(0);
    expect(more.stdout).toMatch(/已设置配额 · Quota set: apps 继承 inherit → 5/);
    expect(more.stdout).toMatch(/实例 instances\s+0\s+20\s+自设 own/);
    expect(more.stdout).toMatch(/应用 apps\s+0\s+5\s+自设 own/);
    expect(more.stdout).toMatch(/内存 memory\s+0 MiB\s+64 GiB\s+自设 own/);

    const cleared = await t.zw([
      'tenants',
      'quota',
      'hangzhou',
      '--instances',
      'inherit',
      '--json',
    ]);
    expect(cleared.json().quota.limits).toEqual({
      instances: null,
      apps: 5,
      memoryMb: 65536,
      storageMb: null,
      replicas: null,
    });
    expect(cleared.json().quota.effective.instances).toBe(50);
  });

  it('warns when a limit is below what is used', async () => {
    await createHangzhou();
    await t.zw(['services', 'create', 'redis', 'dev', 'hz-cache', '--tenant', 'hangzhou']);
    const r = await t.zw(['tenants', 'quota', 'hangzhou', '--instances', '0']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--instances 的上限 0 低于当前用量 1/);
    expect(r.stdout).toMatch(/实例 instances\s+1\s+0\s+自设 own/);
  });

  it('rejects bad numbers (exit 2), limits above the parent (exit 6) and your own tenant (exit 3)', async () => {
    await createHangzhou();
    for (const bad of ['-1', '1.5', 'lots', '']) {
      const r = await t.zw(['tenants', 'quota', 'hangzhou', '--apps', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/须为非负整数，或 inherit/);
    }
    const unlimited = await t.zw(['tenants', 'quota', 'hangzhou', '--replicas', 'unlimited']);
    expect(unlimited.code).toBe(2);
    expect(unlimited.stderr).toMatch(/a quota cannot be unlimited: use inherit/);

    const above = await t.zw(['tenants', 'quota', 'hangzhou', '--instances', '51', '--json']);
    expect(above.code).toBe(6);
    expect(above.error()).toMatchObject({ status: 422, code: 'quota_exceeded' });
    const unchanged = await t.zw(['tenants', 'quota', 'hangzhou', '--json']);
    expect(unchanged.json().quota.limits.instances).toBeNull();

    const token = (
      await t.zw([
        'tokens',
        'create',
        'hz admin',
        '--role',
        'tenant-admin',
        '--tenant',
        'hangzhou',
        '--json',
      ])
    ).json();
    const asHangzhou = await t.env({ ZHENGWU_TOKEN: token.secret });
    const own = await t.zw(['tenants', 'quota', 'hangzhou', '--apps', '3'], { env: asHangzhou });
    expect(own.code).toBe(3);
    expect(own.stderr).toMatch(/tenant-admin on an ancestor, or platform-admin/);
    const look = await t.zw(['tenants', 'quota', 'hangzhou', '--json'], { env: asHangzhou });
    expect(look.code).toBe(0);
  });
});
