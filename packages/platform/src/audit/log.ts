import { sql } from 'kysely';
import type { Db } from '../db/database';
import { durable } from '../db/durability-schema';
import type { AuditEventRow } from '../db/schema';
import { newId } from '../ids';
import type { HeadAnchor } from './anchor';
import { type ChainedEvent, chainHash, GENESIS_HASH } from './chain';

/** What a caller tells the audit log; id, sequence, time and hashes are the log's. */
export interface AuditInput {
  principal: {
    type: 'user' | 'token' | 'oidc' | 'system' | 'anonymous';
    id: string | null;
    name: string | null;
  };
  tenantId: string | null;
  action: string;
  target: { type: string; id: string } | null;
  outcome: 'success' | 'failure' | 'denied';
  reason: string | null;
  sourceIp: string;
  userAgent: string | null;
  requestId: string;
}

/** Serialises appends: each event needs the previous one's hash and sequence. */
export const CHAIN_LOCK = 7_070_001;

/** The API shape of a stored event (also what its hash covers, plus `hash`). */
export function toChainedEvent(row: AuditEventRow): ChainedEvent & { hash: string } {
  return {
    id: row.id,
    sequence: row.sequence,
    occurredAt: row.occurred_at.toISOString(),
    principal: row.principal,
    tenantId: row.tenant_id,
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    reason: row.reason,
    sourceIp: row.source_ip,
    userAgent: row.user_agent,
    requestId: row.request_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** The append side of the tamper-evident audit log (an HMAC-SM3 hash chain in PostgreSQL). */
export class AuditLog {
  /** `anchor`: the head anchor outside the database (the platform's; none in unit tests). */
  constructor(
    readonly key: Buffer,
    readonly anchor?: HeadAnchor,
  ) {}

  /**
   * Appends one event. Inside a caller's transaction the event commits or rolls back with
   * the change it records; the chain lock is held until then, so events never interleave.
   */
  async append(db: Db, input: AuditInput): Promise<ChainedEvent & { hash: string }> {
    if (!db.isTransaction) return db.transaction().execute((trx) => this.append(trx, input));
    await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(db);
    // Retention never prunes the newest event; should the table still be empty after
    // pruning, the chain continues from the last checkpoint rather than from genesis.
    const last =
      (await db
        .selectFrom('audit_events')
        .select(['sequence', 'hash'])
        .orderBy('sequence', 'desc')
        .limit(1)
        .executeTakeFirst()) ??
      (await durable(db)
        .selectFrom('audit_checkpoints')
        .select(['sequence', 'hash'])
        .orderBy('sequence', 'desc')
        .limit(1)
        .executeTakeFirst());
    this.anchor?.checkAppend(last);
    const event: ChainedEvent = {
      id: newId('evt'),
      sequence: (last?.sequence ?? 0) + 1,
      occurredAt: new Date().toISOString(),
      ...input,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const hash = chainHash(this.key, event);
    await db
      .insertInto('audit_events')
      .values({
        sequence: event.sequence,
        id: event.id,
        occurred_at: event.occurredAt,
        principal: JSON.stringify(event.principal),
        tenant_id: event.tenantId,
        action: event.action,
        target: event.target ? JSON.stringify(event.target) : null,
        outcome: event.outcome,
        reason: event.reason,
        source_ip: event.sourceIp,
        user_agent: event.userAgent,
        request_id: event.requestId,
        prev_hash: event.prevHash,
        hash,
      })
      .execute();
    this.anchor?.noted({ sequence: event.sequence, hash, id: event.id });
    return { ...event, hash };
  }
}
