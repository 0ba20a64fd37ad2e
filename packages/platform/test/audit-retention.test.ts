import { UnprocessableEntityError, type Zhengwu } from '@zhengwu/sdk';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointMac } from '../src/audit/checkpoint';
import { AuditRetention } from '../src/audit/retention';
import { verifyChain } from '../src/audit/verify';
import { ConfigError, loadConfig } from '../src/config';
import { durable } from '../src/db/durability-schema';
import { event, sleep, tenant, token } from './durability-helpers';
import { startTestPlatform, type TestPlatform } from './harness';

let platform: TestPlatform;
let auditor: Zhengwu;
/** Retention of 0.4 s: a test-only constructor option, below the legal 180 days. */
let retention: AuditRetention;

const checkpoints = () =>
  durable(platform.db).selectFrom('audit_checkpoints').selectAll().orderBy('sequence').execute();
const events = () =>
  platform.db.selectFrom('audit_events').selectAll().orderBy('sequence').execute();
async function append(n: number, action = 'test.seed') {
  for (let i = 0; i < n; i++) await platform.context.audit.append(platform.db, event({ action }));
}

beforeAll(async () => {
  platform = await startTestPlatform();
  const province = await tenant(platform.db, 'anhui');
  auditor = platform.clientWith(await token(platform.db, province.id, 'auditor'));
  retention = new AuditRetention(platform.db, platform.context.audit, {
    retentionDays: 0.4 / 86_400,
    allowBelowLegalMinimum: true,
    batchSize: 4,
  });
}, 60_000);
afterAll(() => platform?.close());

describe('audit retention', () => {
  it('never goes below 180 days unless a test asks in code', () => {
    expect(() => loadConfig({ ZW_AUDIT_RETENTION_DAYS: '179' })).toThrow(ConfigError);
    expect(loadConfig({}).auditRetentionDays).toBe(180);
    expect(
      () => new AuditRetention(platform.db, platform.context.audit, { retentionDays: 30 }),
    ).toThrow(/180/);
    expect(platform.durability.retention.retentionMs).toBe(180 * 86_400_000);
  });

  it('keeps 180 days; after that, everything but the chain head goes', async () => {
    await append(3);
    const real = new AuditRetention(platform.db, platform.context.audit, { retentionDays: 180 });
    expect(await real.prune()).toEqual({ pruned: 0, checkpoint: null, refused: null });
    expect(await checkpoints()).toEqual([]);
    const before = await events();
    const result = await real.prune(new Date(Date.now() + 181 * 86_400_000));
    expect(result).toMatchObject({ pruned: before.length - 1, refused: null });
    const left = await events();
    expect(left.map((e) => e.id)).toEqual([before.at(-1)!.id, expect.any(String)]);
    expect(left[1]!.action).toBe('audit.prune');
    expect((await auditor.auditEvents.verify()).valid).toBe(true);
  });

  it('prunes old events in batches, leaves a checkpoint, and the chain still verifies', async () => {
    await append(6);
    await sleep(500);
    await append(2, 'test.recent');
    const all = await events();
    const old = all.filter((e) => e.action !== 'test.recent');
    const result = await retention.prune();
    expect(result).toMatchObject({ pruned: old.length, refused: null });
    const lastPruned = old[old.length - 1]!;
    expect(result.checkpoint).toBe(lastPruned.sequence);

    const left = await events();
    // What remains: the two recent events and the `audit.prune` record of this run.
    expect(left.map((e) => e.action)).toEqual(['test.recent', 'test.recent', 'audit.prune']);
    expect(left[2]).toMatchObject({
      outcome: 'success',
      principal: { type: 'system', id: 'audit-retention', name: 'audit retention' },
      target: { type: 'audit-checkpoint', id: String(lastPruned.sequence) },
    });
    // One checkpoint per batch of 4, contiguous, the last one at the last pruned event.
    const marks = await checkpoints();
    expect(marks.length).toBe(1 + Math.ceil(old.length / 4));
    expect(marks[0]!.pruned_from).toBe(1);
    for (let i = 1; i < marks.length; i++) {
      expect(marks[i]!.pruned_from).toBe(marks[i - 1]!.sequence + 1);
    }
    expect(marks.at(-1)).toMatchObject({ sequence: lastPruned.sequence, hash: lastPruned.hash });

    const report = await auditor.auditEvents.verify();
    expect(report).toMatchObject({
      valid: true,
      firstSequence: lastPruned.sequence + 1,
      checked: 3,
      firstBroken: null,
    });
    // Pruned sequences are out of range now.
    const err = await auditor.auditEvents.verify({ fromSequence: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(UnprocessableEntityError);
    expect(err.problem.detail).toMatch(/pruned/);
  });

  it('still detects tampering with what it kept', async () => {
    const [first] = await events();
    await sql`UPDATE audit_events SET reason = 'x' WHERE sequence = ${first!.sequence}`.execute(
      platform.db,
    );
    const report = await verifyChain(platform.db, platform.context.audit.key);
    expect(report.firstBroken).toEqual({
      sequence: first!.sequence,
      eventId: first!.id,
      reason: 'hash_mismatch',
    });
    // …and will not prune it away: the evidence stays.
    await sleep(500);
    await append(1, 'test.recent');
    const refused = await retention.prune();
    expect(refused).toMatchObject({
      pruned: 0,
      refused: 'hash_mismatch',
      refusedAt: first!.sequence,
    });
    expect((await events())[0]!.id).toBe(first!.id);
    const [record] = await auditor.auditEvents.list({ action: 'audit.prune', limit: 1 }).toArray({
      max: 1,
    });
    expect(record).toMatchObject({ outcome: 'failure', reason: 'hash_mismatch' });
    await sql`UPDATE audit_events SET reason = NULL WHERE sequence = ${first!.sequence}`.execute(
      platform.db,
    );
    expect((await auditor.auditEvents.verify()).valid).toBe(true);
  });

  it('detects head events deleted under a forged checkpoint', async () => {
    await sleep(500);
    await append(1, 'test.recent');
    expect((await retention.prune()).refused).toBeNull();
    await append(3, 'test.recent');
    const kept = await events();
    expect((await auditor.auditEvents.verify()).valid).toBe(true);
    // An intruder deletes the two oldest retained events and writes a checkpoint over the
    // hole, copying the stored hash — but cannot compute its MAC without the chain key.
    const [a, b, c] = kept;
    await platform.db.deleteFrom('audit_events').where('sequence', '<=', b!.sequence).execute();
    const forged = {
      sequence: b!.sequence,
      hash: b!.hash,
      occurred_at: b!.occurred_at,
      pruned_from: a!.sequence,
      created_at: new Date(),
    };
    await durable(platform.db)
      .insertInto('audit_checkpoints')
      .values({ ...forged, mac: checkpointMac(Buffer.from('a guessed key'), forged) })
      .execute();
    const report = await verifyChain(platform.db, platform.context.audit.key);
    expect(report.valid).toBe(false);
    expect(report.firstBroken).toEqual({
      sequence: c!.sequence,
      eventId: c!.id,
      reason: 'sequence_gap',
    });
    // Retention refuses to build on the forged checkpoint.
    expect((await retention.prune()).refused).toBe('checkpoint_mac_mismatch');
  });
});
