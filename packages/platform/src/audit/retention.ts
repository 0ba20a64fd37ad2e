import { sql } from 'kysely';
import type { Db } from '../db/database';
import { durable } from '../db/durability-schema';
import { checkpointIsAuthentic, checkpointMac, GENESIS_BASE } from './checkpoint';
import type { AuditLog } from './log';
import { breakOf } from './verify';

/** 网络安全法: network logs are kept for at least six months. */
export const MIN_RETENTION_DAYS = 180;
const DAY_MS = 86_400_000;
/** Only one replica prunes at a time. */
const PRUNE_LOCK = 7_070_002;

export interface RetentionOptions {
  /** Days events are kept (`ZW_AUDIT_RETENTION_DAYS`); at least 180. */
  retentionDays: number;
  /**
   * Tests only: accept a retention below the 180-day legal minimum (fractions of a day
   * too). Never set from configuration: the environment cannot lower the floor.
   */
  allowBelowLegalMinimum?: boolean;
  /** Events pruned per transaction. */
  batchSize?: number;
}

export interface PruneResult {
  /** Events deleted by this run. */
  pruned: number;
  /** The newest checkpoint after the run (`null` when nothing was ever pruned). */
  checkpoint: number | null;
  /**
   * Why the run stopped without pruning what it should have: the newest checkpoint is not
   * authentic (`checkpoint_mac_mismatch`), or the events to prune are broken (`sequence_gap`,
   * `prev_hash_mismatch`, `hash_mismatch` at `refusedAt`).
   */
  refused: string | null;
  refusedAt?: number;
}

/**
 * Audit retention: deletes events older than the retention period, oldest first, without
 * breaking verification. Each batch runs in one transaction that
 *
 * 1. starts after the newest checkpoint, and refuses to go on if that checkpoint's MAC is
 *    wrong (it would launder a forged checkpoint into an authentic one);
 * 2. takes the oldest events that are older than the cutoff — a contiguous prefix of the
 *    chain, never the newest event (the head the next append links to);
 * 3. verifies that prefix (sequence, links, HMAC-SM3) and refuses to delete a tampered
 *    one, so pruning never erases the evidence of tampering;
 * 4. deletes it and writes a checkpoint with the last pruned event's sequence and hash,
 *    MACed with the chain key.
 *
 * Verification then starts from the checkpoint: the first retained event must follow it
 * and link to its hash. A run that pruned anything, or refused to, appends `audit.prune`.
 */
export class AuditRetention {
  readonly retentionMs: number;
  readonly #batchSize: number;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    options: RetentionOptions,
  ) {
    if (!(options.retentionDays > 0)) throw new RangeError('retentionDays must be positive');
    if (options.retentionDays < MIN_RETENTION_DAYS && !options.allowBelowLegalMinimum) {
      throw new RangeError(
        `审计日志至少保留 ${MIN_RETENTION_DAYS} 天 · audit events are kept at least ${MIN_RETENTION_DAYS} days (got ${options.retentionDays})`,
      );
    }
    this.retentionMs = options.retentionDays * DAY_MS;
    this.#batchSize = options.batchSize ?? 5000;
  }

  /** Prunes every event older than `now` minus the retention period. */
  async prune(now: Date = new Date()): Promise<PruneResult> {
    const cutoff = new Date(now.getTime() - this.retentionMs);
    let pruned = 0;
    let refused: string | null = null;
    let refusedAt: number | undefined;
    let checkpoint: number | null = null;
    for (;;) {
      const step = await this.#pruneBatch(cutoff);
      if (step === 'busy') return { pruned, checkpoint, refused: null }; // another replica prunes
      checkpoint = step.checkpoint;
      pruned += step.pruned;
      refused = step.refused;
      refusedAt = step.refusedAt;
      if (refused || step.pruned < this.#batchSize) break;
    }
    if (pruned > 0 || refused) {
      await this.audit.append(this.db, {
        principal: { type: 'system', id: 'audit-retention', name: 'audit retention' },
        tenantId: null,
        action: 'audit.prune',
        target:
          refusedAt !== undefined
            ? { type: 'audit-event', id: String(refusedAt) }
            : checkpoint === null
              ? null
              : { type: 'audit-checkpoint', id: String(checkpoint) },
        outcome: refused ? 'failure' : 'success',
        reason: refused,
        sourceIp: '127.0.0.1',
        userAgent: null,
        requestId: `retention-${now.getTime()}`,
      });
    }
    return { pruned, checkpoint, refused, ...(refusedAt !== undefined && { refusedAt }) };
  }

  async #pruneBatch(cutoff: Date): Promise<'busy' | PruneResult> {
    return this.db.transaction().execute(async (plain) => {
      const trx = durable(plain);
      const { rows } = await sql<{
        locked: boolean;
      }>`SELECT pg_try_advisory_xact_lock(${PRUNE_LOCK}) AS locked`.execute(trx);
      if (!rows[0]?.locked) return 'busy';

      const latest = await trx
        .selectFrom('audit_checkpoints')
        .selectAll()
        .orderBy('sequence', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (latest && !checkpointIsAuthentic(this.audit.key, latest)) {
        return { pruned: 0, checkpoint: latest.sequence, refused: 'checkpoint_mac_mismatch' };
      }
      const base = latest ?? GENESIS_BASE;
      const head = await trx
        .selectFrom('audit_events')
        .select((eb) => eb.fn.max('sequence').as('head'))
        .executeTakeFirstOrThrow();
      const events = await trx
        .selectFrom('audit_events')
        .selectAll()
        .where('sequence', '>', base.sequence)
        .where('occurred_at', '<', cutoff)
        .where('sequence', '<', head.head as number)
        .orderBy('sequence')
        .limit(this.#batchSize)
        .execute();
      // Only a contiguous prefix: stop at the first event that is not old enough.
      const prefix = [];
      let expected = base.sequence + 1;
      let prevHash = base.hash;
      for (const event of events) {
        if (event.sequence !== expected) {
          // The next event in sequence is younger than the cutoff (clock skew between
          // replicas) or missing; a missing one is tampering.
          const exists = await trx
            .selectFrom('audit_events')
            .select('sequence')
            .where('sequence', '=', expected)
            .executeTakeFirst();
          if (!exists) {
            return {
              pruned: 0,
              checkpoint: latest?.sequence ?? null,
              refused: 'sequence_gap',
              refusedAt: event.sequence,
            };
          }
          break;
        }
        const reason = breakOf(this.audit.key, event, expected, prevHash);
        if (reason) {
          return {
            pruned: 0,
            checkpoint: latest?.sequence ?? null,
            refused: reason,
            refusedAt: event.sequence,
          };
        }
        prefix.push(event);
        prevHash = event.hash;
        expected++;
      }
      const last = prefix[prefix.length - 1];
      if (!last) return { pruned: 0, checkpoint: latest?.sequence ?? null, refused: null };

      await trx
        .deleteFrom('audit_events')
        .where('sequence', '>', base.sequence)
        .where('sequence', '<=', last.sequence)
        .execute();
      const row = {
        sequence: last.sequence,
        hash: last.hash,
        occurred_at: last.occurred_at,
        pruned_from: base.sequence + 1,
        created_at: new Date(),
      };
      await trx
        .insertInto('audit_checkpoints')
        .values({ ...row, mac: checkpointMac(this.audit.key, row) })
        .execute();
      return { pruned: prefix.length, checkpoint: last.sequence, refused: null };
    });
  }
}
