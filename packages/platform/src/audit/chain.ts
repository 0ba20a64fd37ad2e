import { createHmac } from 'node:crypto';

/** `prevHash` of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields an event's hash covers, in their API shape. */
export interface ChainedEvent {
  id: string;
  sequence: number;
  occurredAt: string;
  principal: { type: string; id: string | null; name: string | null };
  tenantId: string | null;
  action: string;
  target: { type: string; id: string } | null;
  outcome: 'success' | 'failure' | 'denied';
  reason: string | null;
  sourceIp: string;
  userAgent: string | null;
  requestId: string;
  prevHash: string;
}

/** JSON with object keys sorted and no whitespace, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * `hash` = HMAC-SM3(key, canonical JSON of the event including `prevHash`), lower-case hex
 * (GB/T 32905 SM3 from Node's OpenSSL). Changing any field, or the order, breaks the chain.
 */
export function chainHash(key: Buffer, event: ChainedEvent): string {
  return createHmac('sm3', key).update(canonicalJson(event)).digest('hex');
}
