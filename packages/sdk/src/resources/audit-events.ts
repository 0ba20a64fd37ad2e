import type { Schemas } from '@zhengwu/openapi';
import { type PagePromise, paginate } from '../core/pagination';
import { APIResource, type BodyOf, type QueryOf, unwrap } from '../core/resource';
import type { RequestOptions } from '../core/types';

/** The tamper-evident audit log (HMAC-SM3 hash chain, ≥ 180 days retention). */
export class AuditEvents extends APIResource {
  /**
   * Lists audit events (auditor or audit-admin role).
   *
   * @example
   * for await (const e of client.auditEvents.list({ action: 'binding.rotate', since: '2026-11-01T00:00:00Z' })) {
   *   console.log(e.occurredAt, e.principal.name, e.outcome);
   * }
   */
  list(
    query: QueryOf<'listAuditEvents'> = {},
    options?: RequestOptions,
  ): PagePromise<Schemas['AuditEvent']> {
    return paginate(query, (q) =>
      this._client.raw.GET('/v1/audit-events', { params: { query: q }, ...options }),
    );
  }

  /**
   * Gets one audit event.
   *
   * @example
   * const event = await client.auditEvents.retrieve('evt_01hq3x9k2m4n5p6q7r8s');
   */
  retrieve(eventId: string, options?: RequestOptions): Promise<Schemas['AuditEvent']> {
    return unwrap(
      this._client.raw.GET('/v1/audit-events/{eventId}', {
        params: { path: { eventId } },
        ...options,
      }),
    );
  }

  /**
   * Verifies the hash chain and reports the first broken link, if any.
   *
   * @example
   * const report = await client.auditEvents.verify();
   * if (!report.valid) console.error('audit chain broken at', report.firstBroken);
   */
  verify(
    body: BodyOf<'verifyAuditChain'> = {},
    options?: RequestOptions,
  ): Promise<Schemas['AuditVerification']> {
    return unwrap(this._client.raw.POST('/v1/audit-events/verify', { body, ...options }));
  }
}
