/** Hooks for tests of audit tooling: break the chain on purpose. */
import type { Schemas } from '@zhengwu/openapi';
import { type MockPlatform, runtimeOf } from './platform';

/**
 * Changes a stored audit event in place (its `hash` is not recomputed unless you pass one),
 * so `verifyAuditChain` reports `valid: false` with `firstBroken` at that event (or, if you
 * also rewrite its `hash`, at the next one). For testing audit tooling only.
 *
 * @example
 * tamperAuditEvent(platform, 3, { outcome: 'success' });
 * const report = await client.auditEvents.verify(); // report.firstBroken.sequence === 3
 */
export function tamperAuditEvent(
  platform: MockPlatform,
  sequence: number,
  changes: Partial<Schemas['AuditEvent']>,
): void {
  const event = runtimeOf(platform).state.auditEvents.find((e) => e.sequence === sequence);
  if (!event) throw new RangeError(`No audit event with sequence ${sequence}`);
  Object.assign(event, changes);
}
