/** `zw tenants`, `zw tokens`, `zw audit` against the mock. */
import { tamperAuditEvent } from '@zhengwu/mock';
import { describe, expect, it } from 'vitest';
import { useMock } from './helpers';

const t = useMock();
const TENANT = 'ten_zhejiangProvince0001';

describe('zw tenants', () => {
  it('list, create a child, show it with quota and usage', async () => {
    const list = await t.zw(['tenants', 'list', '--json']);
    expect(list.json()).toEqual([
      expect.objectContaining({ id: TENANT, name: 'zhejiang', level: 'province' }),
    ]);

    const created = await t.zw([
      'tenants',
      'create',
      'hangzhou',
      '--zh',
      '杭州市',
      '--en',
      'Hangzhou',
      '--level',
      'city',
      '--region',
      '330100',
      '--json',
    ]);
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

    const dup = await t.zw([
      'tenants',
      'create',
      'hangzhou',
      '--zh',
      '杭州市',
      '--en',
      'Hangzhou',
      '--level',
      'city',
    ]);
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
    const revoked = await t.zw(['tokens', 'revoke', token.id, '--yes', '--json']);
    expect(revoked.json().revokedAt).not.toBeNull();
    const after = await t.zw(['whoami'], { env: asDeveloper });
    expect(after.code).toBe(3);
    expect(after.stderr).toMatch(/运行 zw login · run zw login/);
    expect((await t.zw(['tokens', 'revoke', 'tok_0000000000000000000000', '--yes'])).code).toBe(4);
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
