import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANCHOR_FILE, type AnchoredHead, REJECTED_ANCHOR_FILE } from '../src/audit/anchor';
import { AuditLog } from '../src/audit/log';
import { AuditRetention } from '../src/audit/retention';
import { event, http, sleep, tenant, token } from './durability-helpers';
import { startTestPlatform, type TestPlatform } from './harness';

/**
 * The audit head anchor (`<dataDir>/audit-head`): what the hash chain alone cannot show —
 * its newest events deleted, or the table wiped and restarted from genesis — shows against
 * a MACed (sequence, hash) kept outside the database. And verification of the platform-wide
 * chain is for platform-wide or root-tenant auditors only.
 */

const anchorFile = (p: TestPlatform) => join(p.context.config.dataDir, ANCHOR_FILE);
const readAnchor = async (p: TestPlatform) =>
  JSON.parse(await readFile(anchorFile(p), 'utf8')) as AnchoredHead & { mac: string };
const chainHead = async (p: TestPlatform) =>
  p.db
    .selectFrom('audit_events')
    .select(['sequence', 'hash', 'id'])
    .orderBy('sequence', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
async function append(p: TestPlatform, n: number, action = 'test.seed') {
  let last: Awaited<ReturnType<AuditLog['append']>> | undefined;
  for (let i = 0; i < n; i++) last = await p.context.audit.append(p.db, event({ action }));
  return last!;
}
const alarms = async (p: TestPlatform) =>
  (
    await p.context.metrics.registry.getSingleMetric('zhengwu_audit_anchor_alarms_total')?.get()
  )?.values.reduce((sum, v) => sum + v.value, 0) ?? 0;
const verify = async (p: TestPlatform, secret: string, body: object = {}) => {
  const res = await http(p, secret, 'POST', '/v1/audit-events/verify', { body });
  expect(res.status).toBe(200);
  return res.body as {
    valid: boolean;
    checked: number;
    firstBroken: { sequence: number; eventId: string; reason: string } | null;
  };
};

describe('audit head anchor and verification scope', () => {
  let platform: TestPlatform;
  let provinceSecret: string;
  let citySecret: string;

  beforeAll(async () => {
    platform = await startTestPlatform();
    const province = await tenant(platform.db, 'shaanxi');
    const city = await tenant(platform.db, 'xian', province);
    provinceSecret = await token(platform.db, province.id, 'auditor');
    citySecret = await token(platform.db, city.id, 'auditor');
    await append(platform, 3);
  }, 60_000);
  afterAll(() => platform?.close());

  it('lets a province auditor verify the whole chain, and answers 403 to a city auditor', async () => {
    const city = await http(platform, citySecret, 'POST', '/v1/audit-events/verify', { body: {} });
    expect(city.status).toBe(403);
    expect(city.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(city.body).toMatchObject({ code: 'forbidden' });
    expect(city.body.detail).toMatch(/^校验审计链.*·.*Verifying the audit chain/);
    expect(city.body).not.toHaveProperty('checked');
    const span = await http(platform, citySecret, 'POST', '/v1/audit-events/verify', {
      body: { fromSequence: 1, toSequence: 1 },
    });
    expect(span.status).toBe(403);

    const report = await verify(platform, provinceSecret);
    expect(report).toMatchObject({ valid: true, firstBroken: null });
  });

  it('writes the anchor at stop: it survives a restart (mode 600, MACed)', async () => {
    const last = await append(platform, 4);
    platform = await platform.restart(); // no timer flush in between: the stop wrote it
    const anchor = await readAnchor(platform);
    expect(anchor.sequence).toBeGreaterThanOrEqual(last.sequence);
    expect(anchor.mac).toMatch(/^[0-9a-f]{64}$/);
    if (anchor.sequence === last.sequence) {
      expect(anchor).toMatchObject({ hash: last.hash, eventId: last.id });
    }
    expect((await stat(anchorFile(platform))).mode & 0o777).toBe(0o600);
    expect(platform.context.audit.anchor!.head!.sequence).toBeGreaterThanOrEqual(last.sequence);
    expect((await verify(platform, provinceSecret)).valid).toBe(true);
    expect(await alarms(platform)).toBe(0);
  }, 60_000);

  it('reports an edited anchor file, and sets it aside as evidence', async () => {
    await platform.context.audit.anchor!.flush();
    const anchor = await readAnchor(platform);
    // Moved back to hide a truncation, keeping the old MAC (the key is not in the file).
    // (Nothing is appended meanwhile, so the stop has no newer head to write over it.)
    await writeFile(anchorFile(platform), JSON.stringify({ ...anchor, sequence: 1 }));
    platform = await platform.restart();
    expect(await alarms(platform)).toBe(1);
    const dataDir = platform.context.config.dataDir;
    expect(await readFile(join(dataDir, REJECTED_ANCHOR_FILE), 'utf8')).toContain('"sequence":1');
    const report = await verify(platform, provinceSecret);
    const head = await chainHead(platform);
    expect(report.valid).toBe(false);
    expect(report.firstBroken).toMatchObject({ reason: 'anchor_mismatch' });
    expect(report.firstBroken!.sequence).toBeLessThanOrEqual(head.sequence);
    // Acknowledged by the operator: the evidence file goes, verification is clean again.
    await rm(join(dataDir, REJECTED_ANCHOR_FILE));
    expect((await verify(platform, provinceSecret)).valid).toBe(true);
  }, 60_000);

  it('counts and logs a data dir without an anchor next to a chain with events', async () => {
    // A replica joining, or the file deleted to hide a truncation: only the operator can
    // tell, so it is an alarm (metric and log), not a broken chain.
    await platform.context.audit.anchor!.flush();
    await rm(anchorFile(platform));
    platform = await platform.restart(); // nothing new to anchor: the stop writes no file
    const missing = (
      await platform.context.metrics.registry
        .getSingleMetric('zhengwu_audit_anchor_alarms_total')
        ?.get()
    )?.values.find((v) => v.labels.kind === 'missing');
    expect(missing?.value).toBe(1);
    expect((await verify(platform, provinceSecret)).valid).toBe(true);
  }, 60_000);

  it('reports deleted newest events (truncation), and does not anchor the new events over the hole', async () => {
    await append(platform, 7);
    await platform.context.audit.anchor!.flush();
    const anchored = platform.context.audit.anchor!.head!;
    expect(anchored).toEqual(
      expect.objectContaining({ sequence: (await chainHead(platform)).sequence }),
    );
    const cut = anchored.sequence - 7;
    await sql`DELETE FROM audit_events WHERE sequence > ${cut}`.execute(platform.db);

    // The chain that is left is intact on its own; the anchor shows what is gone.
    const report = await verify(platform, provinceSecret);
    expect(report.valid).toBe(false);
    expect(report.firstBroken).toEqual({
      sequence: anchored.sequence,
      eventId: anchored.eventId,
      reason: 'sequence_gap',
    });
    // A span that stops before the head is about the span only.
    expect((await verify(platform, provinceSecret, { toSequence: cut })).valid).toBe(true);

    // New events refill the sequence numbers past the anchor: the anchored one is replaced.
    await append(platform, 10);
    await platform.context.audit.anchor!.flush();
    expect(platform.context.audit.anchor!.head).toEqual(anchored); // frozen, not laundered
    const later = await verify(platform, provinceSecret);
    expect(later.valid).toBe(false);
    expect(later.firstBroken).toMatchObject({
      sequence: anchored.sequence,
      reason: 'anchor_mismatch',
    });
    expect(later.firstBroken!.eventId).not.toBe(anchored.eventId);
    expect(await alarms(platform)).toBeGreaterThan(0);
    // Still there after a restart: the file kept the anchor.
    platform = await platform.restart();
    expect((await verify(platform, provinceSecret)).firstBroken).toMatchObject({
      sequence: anchored.sequence,
      reason: 'anchor_mismatch',
    });
  }, 60_000);
});

describe('audit head anchor: wiped table', () => {
  let platform: TestPlatform;
  let secret: string;

  beforeAll(async () => {
    platform = await startTestPlatform();
    secret = await token(platform.db, (await tenant(platform.db, 'gansu')).id, 'auditor');
  }, 60_000);
  afterAll(() => platform?.close());

  it('reports a wiped table restarted from genesis by one new event', async () => {
    await append(platform, 11);
    await platform.context.audit.anchor!.flush();
    const anchored = platform.context.audit.anchor!.head!;
    await sql`DELETE FROM audit_events`.execute(platform.db);
    const fresh = await append(platform, 1, 'tenant.update');
    expect(fresh.sequence).toBe(1);
    const report = await verify(platform, secret);
    expect(report).toMatchObject({
      valid: false,
      checked: 1,
      firstBroken: {
        sequence: anchored.sequence,
        eventId: anchored.eventId,
        reason: 'sequence_gap',
      },
    });
    expect(await alarms(platform)).toBeGreaterThan(0);
  });
});

describe('audit head anchor and retention', () => {
  let platform: TestPlatform;
  let secret: string;

  beforeAll(async () => {
    platform = await startTestPlatform();
    secret = await token(platform.db, (await tenant(platform.db, 'qinghai')).id, 'auditor');
  }, 60_000);
  afterAll(() => platform?.close());

  it('raises no alarm when retention prunes the anchored event', async () => {
    const anchoredEvent = await append(platform, 5);
    await platform.context.audit.anchor!.flush();
    expect(platform.context.audit.anchor!.head!.sequence).toBe(anchoredEvent.sequence);
    await sleep(500);
    // Another replica (same database and key, its own anchor) appends the newer events.
    const replica = new AuditLog(platform.context.audit.key);
    for (let i = 0; i < 2; i++) await replica.append(platform.db, event({ action: 'test.recent' }));
    const retention = new AuditRetention(platform.db, platform.context.audit, {
      retentionDays: 0.4 / 86_400,
      allowBelowLegalMinimum: true,
    });
    const pruned = await retention.prune();
    // Up to and including the anchored event.
    expect(pruned).toMatchObject({ checkpoint: anchoredEvent.sequence, refused: null });
    expect(await verify(platform, secret)).toMatchObject({ valid: true, firstBroken: null });

    // The anchor moves on past the pruned event, and a restart checks it without alarm.
    await append(platform, 1);
    await platform.context.audit.anchor!.flush();
    expect(platform.context.audit.anchor!.head!.sequence).toBeGreaterThan(anchoredEvent.sequence);
    expect(await alarms(platform)).toBe(0);
    platform = await platform.restart();
    expect(await verify(platform, secret)).toMatchObject({ valid: true, firstBroken: null });
    expect(await alarms(platform)).toBe(0);
  }, 60_000);
});
