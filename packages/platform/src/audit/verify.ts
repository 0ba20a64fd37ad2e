import type { Schemas } from '@zhengwu/openapi';
import type { Db } from '../db/database';
import { type DurableDb, durable } from '../db/durability-schema';
import type { AuditEventRow } from '../db/schema';
import { invalidField } from '../http/problems';
import type { AnchorState } from './anchor';
import { chainHash } from './chain';
import { type ChainBase, checkpointIsAuthentic, GENESIS_BASE } from './checkpoint';
import { toChainedEvent } from './log';

export type AuditVerification = Schemas['AuditVerification'];
export type ChainBreak = NonNullable<AuditVerification['firstBroken']>;

export interface VerifyOptions {
  /** First sequence (inclusive); default: the first retained event. */
  fromSequence?: number | undefined;
  /** Last sequence (inclusive); default: the chain head. */
  toSequence?: number | undefined;
  /** Events read per query: memory stays bounded whatever the chain's length. */
  batchSize?: number;
  /**
   * The head anchor kept outside the database: a span that ends at the table head must
   * reach the anchored sequence, and the event there must carry the anchored hash.
   */
  anchor?: AnchorState | undefined;
}

/** Events read per query by default (a few MB of rows at most). */
export const VERIFY_BATCH = 2000;

/**
 * The newest checkpoint whose MAC is valid, or genesis. A checkpoint with a wrong MAC is
 * ignored (it was not written by the platform), so whatever it claims to cover shows up
 * as missing events.
 */
export async function chainBase(db: DurableDb, key: Buffer): Promise<ChainBase> {
  const checkpoints = await db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .orderBy('sequence', 'desc')
    .execute();
  const authentic = checkpoints.find((c) => checkpointIsAuthentic(key, c));
  return authentic ? { sequence: authentic.sequence, hash: authentic.hash } : GENESIS_BASE;
}

/**
 * Why `row` breaks the chain, if it does: a sequence that does not follow the previous
 * event's (`sequence_gap`), a `prevHash` that is not the previous event's hash
 * (`prev_hash_mismatch`), or a stored hash that is not the HMAC-SM3 of its content
 * (`hash_mismatch`). `prevHash` null skips the link check (the previous event is not known).
 */
export function breakOf(
  key: Buffer,
  row: AuditEventRow,
  expectedSequence: number,
  prevHash: string | null,
): ChainBreak['reason'] | null {
  if (row.sequence !== expectedSequence) return 'sequence_gap';
  if (prevHash !== null && row.prev_hash !== prevHash) return 'prev_hash_mismatch';
  const { hash, ...event } = toChainedEvent(row);
  if (chainHash(key, event) !== hash) return 'hash_mismatch';
  return null;
}

/**
 * Recomputes the HMAC-SM3 of every event in the span and checks sequence continuity and
 * `prevHash` links, reading the table in batches inside one REPEATABLE READ snapshot (a
 * concurrent append or retention run cannot make it see a half-pruned chain). The retained
 * chain starts after the newest authentic checkpoint. Throws 422 `validation_failed` for
 * an empty or out-of-range span.
 *
 * With `anchor`, truncation and rollback show too, which the chain alone cannot: a table
 * head below the anchor is `sequence_gap` at the anchored event (missing), another event
 * at the anchored sequence is `anchor_mismatch`, and so is an anchor file that failed its
 * MAC check (at the head: nothing vouches for the head then).
 */
export async function verifyChain(
  db: Db,
  key: Buffer,
  options: VerifyOptions = {},
): Promise<AuditVerification> {
  const batchSize = options.batchSize ?? VERIFY_BATCH;
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (plain) => {
      const trx = durable(plain);
      const base = await chainBase(trx, key);
      const bounds = await trx
        .selectFrom('audit_events')
        .select((eb) => [eb.fn.max('sequence').as('head')])
        .executeTakeFirstOrThrow();
      const head = bounds.head as number | null;
      const anchored = options.anchor?.head ?? null;
      if (head === null) {
        throw invalidField(
          '/body',
          anchored
            ? `the audit chain is empty, but events up to ${anchored.sequence} were recorded (head anchor): they were deleted`
            : 'the audit chain has no events yet',
          'empty',
        );
      }
      const from = options.fromSequence ?? base.sequence + 1;
      const to = options.toSequence ?? head;
      if (from > to) {
        throw invalidField('/body/fromSequence', `must not be after toSequence (${to})`, 'range');
      }
      if (to > head) {
        throw invalidField(
          '/body/toSequence',
          `must not be after the chain head (${head})`,
          'range',
        );
      }
      if (from <= base.sequence) {
        throw invalidField(
          '/body/fromSequence',
          `events up to ${base.sequence} were pruned by retention; start at ${base.sequence + 1} or later`,
          'range',
        );
      }

      // The hash the first event of the span must link to.
      let prevHash: string | null = base.hash;
      if (from > base.sequence + 1) {
        const before = await trx
          .selectFrom('audit_events')
          .select('hash')
          .where('sequence', '=', from - 1)
          .executeTakeFirst();
        prevHash = before?.hash ?? null; // deleted: reported as a gap before the span, not in it
      }

      let firstBroken: ChainBreak | null = null;
      let expected = from;
      let checked = 0;
      let headHash = '';
      let headId = '';
      const batch = (after: number) =>
        trx
          .selectFrom('audit_events')
          .selectAll()
          .where('sequence', '>', after)
          .where('sequence', '<=', to)
          .orderBy('sequence')
          .limit(batchSize)
          .execute();
      let next = batch(from - 1);
      for (;;) {
        const rows = await next;
        // The database reads the next batch while this one is hashed.
        const full = rows.length === batchSize;
        if (full) next = batch(rows[rows.length - 1]!.sequence);
        for (const row of rows) {
          const reason = breakOf(key, row, expected, prevHash);
          if (reason && !firstBroken) {
            firstBroken = { sequence: row.sequence, eventId: row.id, reason };
          }
          if (row.sequence === anchored?.sequence && row.hash !== anchored.hash && !firstBroken) {
            firstBroken = { sequence: row.sequence, eventId: row.id, reason: 'anchor_mismatch' };
          }
          prevHash = row.hash;
          expected = row.sequence + 1;
          headHash = row.hash;
          headId = row.id;
          checked++;
        }
        if (!full) break;
      }

      if (expected !== to + 1) {
        // Events at the end of the span are missing: the next event shows the gap.
        const next = await trx
          .selectFrom('audit_events')
          .select(['sequence', 'id', 'hash'])
          .where('sequence', '>', to)
          .orderBy('sequence')
          .limit(1)
          .executeTakeFirst();
        if (next && !firstBroken) {
          firstBroken = { sequence: next.sequence, eventId: next.id, reason: 'sequence_gap' };
        }
        if (checked === 0 && next) {
          checked = 1;
          headHash = next.hash;
          headId = next.id;
        }
      }

      // The anchor is about the head: only a span that ends there is checked against it.
      if (to === head && !firstBroken) {
        if (anchored && anchored.sequence > head) {
          // Events up to the anchored one were recorded and are gone (truncation, or a
          // wiped table that started again from genesis).
          firstBroken = {
            sequence: anchored.sequence,
            eventId: anchored.eventId,
            reason: 'sequence_gap',
          };
        } else if (
          anchored?.sequence === base.sequence &&
          from === base.sequence + 1 &&
          anchored.hash !== base.hash
        ) {
          // Pruned up to the anchored event, but not the event the platform anchored.
          firstBroken = {
            sequence: anchored.sequence,
            eventId: anchored.eventId,
            reason: 'anchor_mismatch',
          };
        } else if (options.anchor?.rejected && headId) {
          firstBroken = { sequence: head, eventId: headId, reason: 'anchor_mismatch' };
        }
      }

      return {
        valid: firstBroken === null,
        checked,
        firstSequence: from,
        lastSequence: to,
        firstBroken,
        headHash,
        algorithm: 'HMAC-SM3',
        verifiedAt: new Date().toISOString(),
      };
    });
}
