import {
  BadRequestError,
  NotFoundError,
  PermissionDeniedError,
  UnprocessableEntityError,
  type Zhengwu,
} from '@zhengwu/sdk';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChainedEvent, chainHash, GENESIS_HASH } from '../src/audit/chain';
import { toChainedEvent } from '../src/audit/log';
import { verifyChain } from '../src/audit/verify';
import type { TenantRow } from '../src/db/schema';
import { event, http, tenant, token } from './durability-helpers';
import { startTestPlatform, type TestPlatform } from './harness';

let platform: TestPlatform;
let zhejiang: TenantRow;
let hangzhou: TenantRow;
let jiangsu: TenantRow;
let provinceAuditor: Zhengwu;
let cityAuditor: Zhengwu;
let provinceAuditorSecret: string;
let developer: Zhengwu;
const seeded: (ChainedEvent & { hash: string })[] = [];

const head = async () =>
  (
    await platform.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.max('sequence').as('head'))
      .executeTakeFirstOrThrow()
  ).head as number;

beforeAll(async () => {
  platform = await startTestPlatform();
  const db = platform.db;
  zhejiang = await tenant(db, 'zhejiang');
  hangzhou = await tenant(db, 'hangzhou', zhejiang);
  jiangsu = await tenant(db, 'jiangsu');
  provinceAuditorSecret = await token(db, zhejiang.id, 'auditor');
  provinceAuditor = platform.clientWith(provinceAuditorSecret);
  cityAuditor = platform.clientWith(await token(db, hangzhou.id, 'auditor'));
  developer = platform.clientWith(await token(db, hangzhou.id, 'developer'));
  const audit = platform.context.audit;
  const seeds = [
    event({
      tenantId: zhejiang.id,
      action: 'tenant.update',
      target: { type: 'tenant', id: zhejiang.id },
    }),
    event({
      tenantId: hangzhou.id,
      action: 'instance.create',
      target: { type: 'instance', id: 'ins_0000000000000000hz01' },
      principal: { type: 'user', id: 'li.wei@hz-tax.gov.cn', name: '李伟' },
    }),
    event({
      tenantId: jiangsu.id,
      action: 'instance.create',
      target: { type: 'instance', id: 'ins_0000000000000000js01' },
    }),
    event({
      tenantId: null,
      action: 'auth.failure',
      outcome: 'denied',
      reason: 'unauthenticated',
      principal: { type: 'anonymous', id: null, name: null },
    }),
    event({
      tenantId: hangzhou.id,
      action: 'instance.delete',
      target: { type: 'instance', id: 'ins_0000000000000000hz01' },
      outcome: 'failure',
      reason: 'not_empty',
      principal: { type: 'user', id: 'li.wei@hz-tax.gov.cn', name: '李伟' },
    }),
  ];
  for (const seed of seeds) {
    const appended = await audit.append(db, seed);
    seeded.push(appended);
  }
}, 60_000);
afterAll(() => platform?.close());

describe('listAuditEvents', () => {
  it('shows each auditor only its subtrees; platform-level events need a root tenant', async () => {
    const province = await provinceAuditor.auditEvents
      .list({ action: 'instance.create' })
      .toArray({ max: 1000 });
    expect(province.map((e) => e.tenantId)).toEqual([hangzhou.id]);
    const all = await provinceAuditor.auditEvents.list().toArray({ max: 1000 });
    const tenants = new Set(all.map((e) => e.tenantId));
    expect(tenants.has(jiangsu.id)).toBe(false);
    expect(tenants.has(null)).toBe(true); // on a province: platform-level events too
    expect(tenants.has(zhejiang.id) && tenants.has(hangzhou.id)).toBe(true);

    const city = await cityAuditor.auditEvents.list().toArray({ max: 1000 });
    expect(city.length).toBeGreaterThan(0);
    expect(city.every((e) => e.tenantId === hangzhou.id)).toBe(true);
  });

  it('is newest first by sequence and pages with cursors bound to the filters', async () => {
    const all = await provinceAuditor.auditEvents.list().toArray({ max: 1000 });
    const sequences = all.map((e) => e.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => b - a));
    const paged = await provinceAuditor.auditEvents.list({ limit: 2 }).toArray({ max: 1000 });
    expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));

    const first = await provinceAuditor.auditEvents.list({ limit: 1, tenantId: hangzhou.id });
    expect(first.nextCursor).toEqual(expect.any(String));
    await expect(
      provinceAuditor.auditEvents.list({
        limit: 1,
        tenantId: zhejiang.id,
        cursor: first.nextCursor!,
      }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      provinceAuditor.auditEvents.list({ cursor: 'bm90LWEtY3Vyc29y' }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });

  it('filters by tenant (not descendants), principal, action, target, outcome and time', async () => {
    const own = await provinceAuditor.auditEvents
      .list({ tenantId: zhejiang.id })
      .toArray({ max: 1000 });
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((e) => e.tenantId === zhejiang.id)).toBe(true);

    const byPrincipal = await provinceAuditor.auditEvents
      .list({ principalId: 'li.wei@hz-tax.gov.cn' })
      .toArray({ max: 1000 });
    expect(byPrincipal.map((e) => e.action)).toEqual(['instance.delete', 'instance.create']);

    const byTarget = await provinceAuditor.auditEvents
      .list({ targetId: 'ins_0000000000000000hz01', outcome: 'failure' })
      .toArray({ max: 1000 });
    expect(byTarget).toHaveLength(1);
    expect(byTarget[0]).toMatchObject({ action: 'instance.delete', reason: 'not_empty' });

    const denied = await provinceAuditor.auditEvents
      .list({ action: 'auth.failure', outcome: 'denied' })
      .toArray({ max: 1000 });
    expect(denied.every((e) => e.tenantId === null && e.principal.type === 'anonymous')).toBe(true);

    const since = seeded[1]!.occurredAt;
    const until = seeded[4]!.occurredAt;
    const window = await provinceAuditor.auditEvents
      .list({ since, until, tenantId: hangzhou.id })
      .toArray({ max: 1000 });
    expect(window.map((e) => e.id)).toEqual([seeded[1]!.id]);

    // A tenant the caller cannot see filters to nothing (its events are not disclosed).
    expect(
      await provinceAuditor.auditEvents.list({ tenantId: jiangsu.id }).toArray({ max: 10 }),
    ).toEqual([]);
  });

  it('needs the auditor or audit-admin role (三权分立: not even platform-admin)', async () => {
    await expect(developer.auditEvents.list()).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(platform.admin.auditEvents.list()).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(platform.admin.auditEvents.verify()).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it('keeps the events of a deleted tenant readable to the auditors of its subtree only', async () => {
    const county = await tenant(platform.db, 'gone-county', hangzhou);
    const appended = await platform.context.audit.append(
      platform.db,
      event({ tenantId: county.id, action: 'tenant.update' }),
    );
    // As `deleteTenant` does: the tenant goes, its path stays in `deleted_tenants`.
    await platform.db.deleteFrom('tenants').where('id', '=', county.id).execute();
    await platform.db
      .insertInto('deleted_tenants')
      .values({ id: county.id, path: county.path })
      .execute();
    expect((await provinceAuditor.auditEvents.retrieve(appended.id)).tenantId).toBe(county.id);
    expect((await cityAuditor.auditEvents.retrieve(appended.id)).tenantId).toBe(county.id);
    const jiangsuAuditor = platform.clientWith(await token(platform.db, jiangsu.id, 'auditor'));
    await expect(jiangsuAuditor.auditEvents.retrieve(appended.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('getAuditEvent', () => {
  it('returns a visible event as stored, and 404 for one outside the scope', async () => {
    const hz = seeded[1]!;
    const got = await cityAuditor.auditEvents.retrieve(hz.id);
    expect(got).toEqual(hz);
    await expect(cityAuditor.auditEvents.retrieve(seeded[2]!.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(cityAuditor.auditEvents.retrieve(seeded[3]!.id)).rejects.toBeInstanceOf(
      NotFoundError,
    ); // platform-level: a city auditor does not see it
    await expect(
      provinceAuditor.auditEvents.retrieve('evt_00000000000000000000'),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(developer.auditEvents.retrieve(hz.id)).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
  });
});

describe('verifyAuditChain', () => {
  it('recomputes every HMAC-SM3 and reports an intact chain, and audits the check', async () => {
    const top = await head();
    const last = await platform.db
      .selectFrom('audit_events')
      .selectAll()
      .where('sequence', '=', top)
      .executeTakeFirstOrThrow();
    const report = await provinceAuditor.auditEvents.verify({ toSequence: top });
    expect(report).toMatchObject({
      valid: true,
      checked: top,
      firstSequence: 1,
      lastSequence: top,
      firstBroken: null,
      headHash: last.hash,
      algorithm: 'HMAC-SM3',
    });
    const first = await platform.db
      .selectFrom('audit_events')
      .selectAll()
      .where('sequence', '=', 1)
      .executeTakeFirstOrThrow();
    expect(first.prev_hash).toBe(GENESIS_HASH);
    const { hash, ...content } = toChainedEvent(first);
    expect(chainHash(platform.context.audit.key, content)).toBe(hash);

    const recorded = await provinceAuditor.auditEvents
      .list({ action: 'audit.verify' })
      .toArray({ max: 1000 });
    expect(recorded[0]).toMatchObject({ outcome: 'success', tenantId: zhejiang.id, reason: null });
  });

  it('points at exactly the row edited in the database (hash_mismatch)', async () => {
    const k = seeded[2]!.sequence;
    const before = await platform.db
      .selectFrom('audit_events')
      .select('reason')
      .where('sequence', '=', k)
      .executeTakeFirstOrThrow();
    await sql`UPDATE audit_events SET reason = 'x' WHERE sequence = ${k}`.execute(platform.db);
    try {
      const report = await provinceAuditor.auditEvents.verify();
      expect(report.valid).toBe(false);
      expect(report.firstBroken).toEqual({
        sequence: k,
        eventId: seeded[2]!.id,
        reason: 'hash_mismatch',
      });
      // The check itself is recorded as a failure with the reason.
      const [recorded] = await provinceAuditor.auditEvents
        .list({ action: 'audit.verify', limit: 1 })
        .toArray({ max: 1 });
      expect(recorded).toMatchObject({ outcome: 'failure', reason: 'hash_mismatch' });
    } finally {
      await platform.db
        .updateTable('audit_events')
        .set({ reason: before.reason })
        .where('sequence', '=', k)
        .execute();
    }
    expect((await provinceAuditor.auditEvents.verify()).valid).toBe(true);
  });

  it('reports a rewritten link as prev_hash_mismatch and a re-signed row by its successor', async () => {
    const k = seeded[3]!.sequence;
    const row = await platform.db
      .selectFrom('audit_events')
      .selectAll()
      .where('sequence', '=', k)
      .executeTakeFirstOrThrow();
    await platform.db
      .updateTable('audit_events')
      .set({ prev_hash: 'f'.repeat(64) })
      .where('sequence', '=', k)
      .execute();
    try {
      const report = await provinceAuditor.auditEvents.verify();
      expect(report.firstBroken).toEqual({
        sequence: k,
        eventId: row.id,
        reason: 'prev_hash_mismatch',
      });
      // Re-hashing the edited row with a guessed key cannot hide it: its successor breaks.
      await platform.db
        .updateTable('audit_events')
        .set({ prev_hash: row.prev_hash, reason: 'forged', hash: 'a'.repeat(64) })
        .where('sequence', '=', k)
        .execute();
      const again = await provinceAuditor.auditEvents.verify();
      expect(again.firstBroken).toMatchObject({ sequence: k, reason: 'hash_mismatch' });
    } finally {
      await platform.db
        .updateTable('audit_events')
        .set({ prev_hash: row.prev_hash, reason: row.reason, hash: row.hash })
        .where('sequence', '=', k)
        .execute();
    }
    expect((await provinceAuditor.auditEvents.verify()).valid).toBe(true);
  });

  it('reports a deleted middle row as a gap at the next event', async () => {
    const k = seeded[1]!.sequence;
    const row = await platform.db
      .selectFrom('audit_events')
      .selectAll()
      .where('sequence', '=', k)
      .executeTakeFirstOrThrow();
    await sql`DELETE FROM audit_events WHERE sequence = ${k}`.execute(platform.db);
    try {
      const report = await provinceAuditor.auditEvents.verify();
      expect(report.valid).toBe(false);
      expect(report.firstBroken).toEqual({
        sequence: k + 1,
        eventId: seeded[2]!.id,
        reason: 'sequence_gap',
      });
      // A span ending just before the hole still shows it, at the next event.
      const span = await provinceAuditor.auditEvents.verify({ fromSequence: 1, toSequence: k });
      expect(span.firstBroken).toMatchObject({ sequence: k + 1, reason: 'sequence_gap' });
      // Renumbering the rest to close the hole breaks the link instead.
      // (Through negative numbers: the primary key is checked row by row.)
      await sql`UPDATE audit_events SET sequence = -(sequence - 1) WHERE sequence > ${k}`.execute(
        platform.db,
      );
      await sql`UPDATE audit_events SET sequence = -sequence WHERE sequence < 0`.execute(
        platform.db,
      );
      // (Straight to the verifier: the API would append its own event to the altered chain.)
      const renumbered = await verifyChain(platform.db, platform.context.audit.key);
      expect(renumbered.firstBroken).toMatchObject({ sequence: k, eventId: seeded[2]!.id });
      expect(['prev_hash_mismatch', 'hash_mismatch']).toContain(renumbered.firstBroken!.reason);
      await sql`UPDATE audit_events SET sequence = -(sequence + 1) WHERE sequence >= ${k}`.execute(
        platform.db,
      );
      await sql`UPDATE audit_events SET sequence = -sequence WHERE sequence < 0`.execute(
        platform.db,
      );
    } finally {
      await platform.db.insertInto('audit_events').values(row).execute();
    }
    expect((await provinceAuditor.auditEvents.verify()).valid).toBe(true);
  });

  it('verifies a span, and refuses an empty or out-of-range one', async () => {
    const top = await head();
    const span = await provinceAuditor.auditEvents.verify({ fromSequence: 2, toSequence: 4 });
    expect(span).toMatchObject({ valid: true, checked: 3, firstSequence: 2, lastSequence: 4 });
    const fourth = await platform.db
      .selectFrom('audit_events')
      .select('hash')
      .where('sequence', '=', 4)
      .executeTakeFirstOrThrow();
    expect(span.headHash).toBe(fourth.hash);
    for (const body of [
      { fromSequence: 5, toSequence: 4 },
      { toSequence: top + 1_000 },
      { fromSequence: top + 1_000 },
    ]) {
      const err = await provinceAuditor.auditEvents.verify(body).catch((e) => e);
      expect(err).toBeInstanceOf(UnprocessableEntityError);
      expect(err.code).toBe('validation_failed');
    }
    const unknown = await http(platform, provinceAuditorSecret, 'POST', '/v1/audit-events/verify', {
      body: { fromSequence: 1, everything: true },
    });
    expect(unknown.status).toBe(422);
  });

  it('streams the chain in batches: the same answer at any batch size', async () => {
    const key = platform.context.audit.key;
    const whole = await verifyChain(platform.db, key);
    // (Pinned to the same head: refusals of earlier tests are audited after their response.)
    const toSequence = whole.lastSequence;
    for (const batchSize of [1, 2, 3, 7]) {
      const batched = await verifyChain(platform.db, key, { batchSize, toSequence });
      expect({ ...batched, verifiedAt: '' }).toEqual({ ...whole, verifiedAt: '' });
    }
    const k = seeded[4]!.sequence;
    await sql`UPDATE audit_events SET action = 'instance.update' WHERE sequence = ${k}`.execute(
      platform.db,
    );
    try {
      const broken = await verifyChain(platform.db, key, { batchSize: 2, toSequence });
      expect(broken.firstBroken).toEqual({
        sequence: k,
        eventId: seeded[4]!.id,
        reason: 'hash_mismatch',
      });
      expect(broken.checked).toBe(whole.checked);
    } finally {
      await sql`UPDATE audit_events SET action = 'instance.delete' WHERE sequence = ${k}`.execute(
        platform.db,
      );
    }
  });

  it('verifies a long chain with bounded memory', async () => {
    // 20 000 events written straight into the table (as 20 000 appends would, faster).
    const key = platform.context.audit.key;
    const top = await platform.db
      .selectFrom('audit_events')
      .select(['sequence', 'hash'])
      .orderBy('sequence', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    let prev = top.hash;
    let sequence = top.sequence;
    const start = Date.now();
    for (let batch = 0; batch < 20; batch++) {
      const rows = [];
      for (let i = 0; i < 1000; i++) {
        sequence++;
        const content = {
          id: `evt_bulk${String(sequence).padStart(16, '0')}`,
          sequence,
          occurredAt: new Date(start + sequence).toISOString(),
          principal: { type: 'system', id: 'bulk', name: null },
          tenantId: hangzhou.id,
          action: 'bulk.write',
          target: { type: 'instance', id: `ins_${String(sequence).padStart(20, '0')}` },
          outcome: 'success' as const,
          reason: null,
          sourceIp: '127.0.0.1',
          userAgent: null,
          requestId: `req_bulk_${sequence}`,
          prevHash: prev,
        };
        const hash = chainHash(key, content);
        rows.push({
          sequence,
          id: content.id,
          occurred_at: content.occurredAt,
          principal: JSON.stringify(content.principal),
          tenant_id: content.tenantId,
          action: content.action,
          target: JSON.stringify(content.target),
          outcome: content.outcome,
          reason: null,
          source_ip: content.sourceIp,
          user_agent: null,
          request_id: content.requestId,
          prev_hash: prev,
          hash,
        });
        prev = hash;
      }
      await platform.db.insertInto('audit_events').values(rows).execute();
    }
    const report = await provinceAuditor.auditEvents.verify();
    expect(report).toMatchObject({ valid: true, lastSequence: sequence, headHash: prev });
    expect(report.checked).toBe(sequence);
    await sql`UPDATE audit_events SET reason = 'x' WHERE sequence = ${sequence - 4321}`.execute(
      platform.db,
    );
    const broken = await verifyChain(platform.db, key, { batchSize: 500 });
    expect(broken.firstBroken).toMatchObject({
      sequence: sequence - 4321,
      reason: 'hash_mismatch',
    });
    await sql`UPDATE audit_events SET reason = NULL WHERE sequence = ${sequence - 4321}`.execute(
      platform.db,
    );
  }, 60_000);
});
