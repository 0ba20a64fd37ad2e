/**
 * The tamper-evident audit log: every event carries `prevHash` (the previous event's `hash`)
 * and `hash` = HMAC-SM3(chain key, prevHash ‖ canonical JSON of the event without `hash`),
 * lower-case hex. The mock's chain key is public (`MOCK_AUDIT_CHAIN_KEY`); the real platform
 * keeps its key in the key service.
 */

import { newId } from './ids';
import type { Runtime } from './runtime';
import { hmacSm3, toHex } from './sm3';
import type { Model } from './state';
import { nowIso } from './time';

type AuditEvent = Model['AuditEvent'];

/** The HMAC key of the mock's audit chain (public: this is a mock). */
export const MOCK_AUDIT_CHAIN_KEY = 'zhengwu-mock-audit-chain-key';

/** `prevHash` of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted and no whitespace (RFC 8785 for the values the log holds). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The `hash` an event must carry. */
export function auditHash(event: Omit<AuditEvent, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...rest } = event;
  return toHex(hmacSm3(MOCK_AUDIT_CHAIN_KEY, event.prevHash + canonicalJson(rest)));
}

export type AuditInput = Pick<
  AuditEvent,
  | 'principal'
  | 'tenantId'
  | 'action'
  | 'target'
  | 'outcome'
  | 'reason'
  | 'requestId'
  | 'sourceIp'
  | 'userAgent'
>;

export function appendAudit(rt: Runtime, input: AuditInput): AuditEvent {
  const chain = rt.state.auditEvents;
  const last = chain[chain.length - 1];
  const event: Omit<AuditEvent, 'hash'> = {
    id: newId('evt'),
    sequence: (last?.sequence ?? 0) + 1,
    occurredAt: nowIso(),
    ...input,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const full = { ...event, hash: auditHash(event) };
  chain.push(full);
  return full;
}

/** Recomputes the chain over `[from, to]` and reports the first broken event. */
export function verifyChain(
  events: readonly AuditEvent[],
  from: number,
  to: number,
): Model['AuditVerification'] {
  const span = events.filter((e) => e.sequence >= from && e.sequence <= to);
  let firstBroken: Model['ChainBreak'] | null = null;
  let previous = events.find((e) => e.sequence === from - 1);
  let expected = from;
  for (const event of span) {
    const reason =
      event.sequence !== expected
        ? 'sequence_gap'
        : event.prevHash !== (from === 1 && expected === 1 ? GENESIS_HASH : previous?.hash)
          ? 'prev_hash_mismatch'
          : auditHash(event) !== event.hash
            ? 'hash_mismatch'
            : undefined;
    if (reason) {
      firstBroken = { sequence: event.sequence, eventId: event.id, reason };
      break;
    }
    previous = event;
    expected = event.sequence + 1;
  }
  return {
    valid: firstBroken === null,
    checked: span.length,
    firstSequence: span[0]?.sequence ?? from,
    lastSequence: span[span.length - 1]?.sequence ?? to,
    firstBroken,
    headHash: span[span.length - 1]?.hash ?? GENESIS_HASH,
    algorithm: 'HMAC-SM3',
    verifiedAt: nowIso(),
  };
}
