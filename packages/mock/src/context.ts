/** What a resolver gets for one request, and small helpers to answer it. */
import type { OperationInfo } from '@zhengwu/openapi';
import type { Caller } from './access';
import type { Runtime } from './runtime';
import type { MockState, Model } from './state';

export interface RequestContext {
  readonly rt: Runtime;
  readonly state: MockState;
  readonly op: OperationInfo;
  readonly request: Request;
  readonly requestId: string;
  /** The authenticated principal (an anonymous one without roles on `/healthz` and `/readyz`). */
  readonly caller: Caller;
  /** Validated path parameters. */
  readonly path: Record<string, string>;
  /** Validated query parameters, coerced to their types, with the contract's defaults. */
  readonly query: Record<string, unknown>;
  /** The validated JSON body (`undefined` when none was sent), or the bytes of a binary upload. */
  readonly body: unknown;
  /** What the audit event of a mutating call records; resolvers fill it in. */
  readonly audit: { target?: Model['AuditTarget'] | null; tenantId?: string | null };
}

/** Answers one operation. */
export type Resolver = (ctx: RequestContext) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...headers, 'content-type': 'application/json' },
  });
}

export const created = (body: unknown, location: string, headers: Record<string, string> = {}) =>
  json(body, 201, { ...headers, location });

export const accepted = (body: unknown, location?: string) =>
  json(body, 202, location ? { location } : {});

export const noContent = () => new Response(null, { status: 204 });
