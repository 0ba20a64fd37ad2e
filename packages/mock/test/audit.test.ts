import { createHmac, getHashes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  auditHash,
  GENESIS_HASH,
  MOCK_AUDIT_CHAIN_KEY,
  MOCK_TENANT_ID,
  tamperAuditEvent,
} from '../src/index';
import { hmacSm3, sm3, toHex } from '../src/sm3';
import { brisk, setup } from './helpers';

const { client, clientWith, platform } = setup();

/** Canonical JSON written independently of the mock's: sorted keys, no whitespace. */
const canonical = (v: unknown): string =>
  v === null || typeof v !== 'object'
    ? JSON.stringify(v)
    : Array.isArray(v)
      ? `[${v.map(canonical).join(',')}]`
      : `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`;

async function someActivity() {
  const db = await client.instances.create({
    name: 'audit-db',
    service: 'postgresql',
    plan: 'dev',
  });
  await client.instances.waitUntilReady(db.id, brisk);
  const binding = await client.bindings.create({ instanceId: db.id, name: 'reader' });
  await client.bindings.waitUntilReady(binding.id, brisk);
  await client.bindings.credentials(binding.id);
  await clientWith('zw_not_a_token')
    .instances.retrieve(db.id)
    .catch(() => {});
  return { db, binding };
}

describe('SM3 and HMAC-SM3', () => {
  it('match the GB/T 32905-2016 test vectors', () => {
    expect(toHex(sm3('abc'))).toBe(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
    expect(toHex(sm3('abcd'.repeat(16)))).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    );
  });

  it.skipIf(!getHashes().includes('sm3'))('HMAC-SM3 matches OpenSSL', () => {
    for (const [key, data] of [
      ['key', 'The quick brown fox jumps over the lazy dog'],
      ['k'.repeat(100), 'x'.repeat(1000)],
      ['', ''],
    ]) {
      expect(toHex(hmacSm3(key!, data!))).toBe(createHmac('sm3', key!).update(data!).digest('hex'));
    }
  });
});

describe('the audit log', () => {
  it('records mutations, credential reads and failed authentications', async () => {
    const { db, binding } = await someActivity();
    const events = await client.auditEvents.list().toArray({ max: 100 });
    expect(events.map((e) => e.sequence)).toEqual(
      [...events.map((e) => e.sequence)].sort((a, b) => b - a),
    );
    const byAction = (action: string) => events.find((e) => e.action === action)!;
    expect(byAction('instance.create')).toMatchObject({
      outcome: 'success',
      tenantId: MOCK_TENANT_ID,
      target: { type: 'instance', id: db.id },
      principal: { type: 'user', id: 'admin@zhejiang.gov.cn' },
      sourceIp: '127.0.0.1',
      reason: null,
    });
    expect(byAction('binding.credentials.read')).toMatchObject({
      target: { type: 'binding', id: binding.id },
    });
    expect(byAction('auth.failure')).toMatchObject({
      outcome: 'failure',
      reason: 'unauthenticated',
      principal: { type: 'anonymous', id: null },
      tenantId: null,
      target: null,
    });
    expect(byAction('instance.create').userAgent).toMatch(/^zhengwu-sdk\//);
    const one = await client.auditEvents.retrieve(events[0]!.id);
    expect(one).toEqual(events[0]);
    expect((await client.auditEvents.list({ action: 'binding.create' })).data).toHaveLength(1);
    expect((await client.auditEvents.list({ outcome: 'failure' })).data).toHaveLength(1);
  });

  it('records failed mutations with their problem code', async () => {
    await client.apps.create({ name: 'dup' });
    await client.apps.create({ name: 'dup' }).catch(() => {});
    const [failed] = (await client.auditEvents.list({ action: 'app.create', outcome: 'failure' }))
      .data;
    expect(failed).toMatchObject({ reason: 'already_exists', tenantId: MOCK_TENANT_ID });
  });

  it('verifies the chain, which anyone can recompute with the published key', async () => {
    await someActivity();
    const chain = platform.state.auditEvents;
    const length = chain.length;
    const report = await client.auditEvents.verify();
    expect(report).toMatchObject({
      valid: true,
      checked: length,
      firstSequence: 1,
      lastSequence: length,
      firstBroken: null,
      algorithm: 'HMAC-SM3',
      headHash: chain[length - 1]!.hash,
    });
    // The verification is itself audited.
    expect(platform.state.auditEvents.at(-1)).toMatchObject({
      action: 'audit.verify',
      sequence: length + 1,
    });
    let prev = GENESIS_HASH;
    for (const event of platform.state.auditEvents) {
      const { hash, ...rest } = event;
      expect(event.prevHash).toBe(prev);
      expect(auditHash(event)).toBe(hash);
      if (getHashes().includes('sm3')) {
        expect(
          createHmac('sm3', MOCK_AUDIT_CHAIN_KEY)
            .update(event.prevHash + canonical(rest))
            .digest('hex'),
        ).toBe(hash);
      }
      prev = hash;
    }
    expect(await client.auditEvents.verify({ fromSequence: 2, toSequence: 3 })).toMatchObject({
      valid: true,
      checked: 2,
    });
    await expect(
      client.auditEvents.verify({ fromSequence: 1, toSequence: 10_000 }),
    ).rejects.toMatchObject({
      status: 422,
      code: 'validation_failed',
    });
  });

  it('detects tampering: the changed event, or the broken link after it', async () => {
    await someActivity();
    tamperAuditEvent(platform, 2, { outcome: 'denied' });
    expect(await client.auditEvents.verify()).toMatchObject({
      valid: false,
      firstBroken: {
        sequence: 2,
        reason: 'hash_mismatch',
        eventId: platform.state.auditEvents[1]!.id,
      },
    });
    platform.reset();
    await someActivity();
    const third = platform.state.auditEvents[2]!;
    const forged = { ...third, action: 'instance.read' };
    tamperAuditEvent(platform, 3, { action: 'instance.read', hash: auditHash(forged) });
    expect((await client.auditEvents.verify()).firstBroken).toMatchObject({
      sequence: 4,
      reason: 'prev_hash_mismatch',
    });
    expect(() => tamperAuditEvent(platform, 10_000, {})).toThrow(RangeError);
  });
});
