import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditCheckpointRow } from '../db/durability-schema';
import { canonicalJson, GENESIS_HASH } from './chain';

/**
 * Where the retained chain starts: after the last pruned event (`sequence`, `hash`), or at
 * genesis (`sequence` 0, `GENESIS_HASH`) when nothing was pruned.
 */
export interface ChainBase {
  sequence: number;
  hash: string;
}

export const GENESIS_BASE: ChainBase = { sequence: 0, hash: GENESIS_HASH };

/**
 * HMAC-SM3 of a retention checkpoint under the chain key. Without the key a checkpoint
 * cannot be forged, so deleting the head of the chain and writing a checkpoint over the
 * hole is detected; the `type` member keeps a checkpoint's MAC from ever equalling an
 * event's hash.
 */
export function checkpointMac(
  key: Buffer,
  checkpoint: Pick<AuditCheckpointRow, 'sequence' | 'hash' | 'pruned_from'> & {
    occurred_at: Date;
    created_at: Date;
  },
): string {
  return createHmac('sm3', key)
    .update(
      canonicalJson({
        type: 'audit-checkpoint',
        sequence: checkpoint.sequence,
        hash: checkpoint.hash,
        prunedFrom: checkpoint.pruned_from,
        occurredAt: checkpoint.occurred_at.toISOString(),
        createdAt: checkpoint.created_at.toISOString(),
      }),
    )
    .digest('hex');
}

/** Whether a stored checkpoint carries the MAC the chain key gives it. */
export function checkpointIsAuthentic(key: Buffer, row: AuditCheckpointRow): boolean {
  const expected = Buffer.from(checkpointMac(key, row), 'hex');
  const actual = Buffer.from(row.mac, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
