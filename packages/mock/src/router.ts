/**
 * Builds the msw handlers: one per operation of the contract (its path with `{id}` turned
 * into msw's `:id`), each running the same pipeline before the operation's resolver:
 *
 *   request id → injected fault → authentication (401) → role (403) → path (404) →
 *   query and headers (400) → body: media type (415), size (413), JSON (400), schema (422) →
 *   idempotency (replay, 409, 422) → resolver → audit event → `X-Request-Id`
 *
 * and a last handler that answers 404 for any other path under the base URL.
 */
import {
  auditActionOf,
  type OperationId,
  type OperationInfo,
  operations,
  transientConflicts,
} from '@zhengwu/openapi';
import { delay, type HttpHandler, HttpResponse, http } from 'msw';
import { type Caller, checkRole } from './access';
import { appendAudit } from './audit';
import { AuthError, authenticate } from './auth';
import type { RequestContext, Resolver } from './context';
import type { Fault } from './faults';
import { contract } from './generated/contract';
import { kindOf, newId } from './ids';
import { type FieldError, ProblemError, problemBody } from './problems';
import { sourceIpOf, userAgentOf } from './request-info';
import type { Runtime } from './runtime';
import { sm3, toHex } from './sm3';

const MAX_JSON_BYTES = 1024 * 1024;
const MAX_ARCHIVE_BYTES = 200 * 1024 * 1024;
const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
const REQUEST_ID = /^[A-Za-z0-9._-]{1,200}$/;

const ANONYMOUS: Caller = {
  id: 'anonymous',
  type: 'user',
  name: 'anonymous',
  tenantId: null,
  roles: [],
  superuser: false,
};

/** `/v1/instances/{instanceId}` → `/v1/instances/:instanceId`. */
export const toMswPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

function problemResponse(
  requestId: string,
  code: string,
  detail: string,
  instance: string,
  extra: { status?: number; errors?: FieldError[]; headers?: Record<string, string> } = {},
): Response {
  const body = problemBody(code, detail, requestId, {
    status: extra.status,
    instance,
    errors: extra.errors,
  });
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: {
      ...extra.headers,
      // Tells clients whether retrying a conflict can help (see the contract's X-Should-Retry).
      ...(body.status === 409 && { 'x-should-retry': String(transientConflicts.has(code)) }),
      'content-type': 'application/problem+json',
      'x-request-id': requestId,
    },
  });
}

function withRequestId(
  response: Response,
  requestId: string,
  extra: Record<string, string> = {},
): Response {
  const headers = new Headers(response.headers);
  headers.set('x-request-id', requestId);
  for (const [k, v] of Object.entries(extra)) headers.set(k, v);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

function faultResponse(
  fault: Fault,
  requestId: string,
  op: OperationInfo,
  pathname: string,
): Response {
  const status = fault.status ?? 503;
  const retry = status === 429 || status === 503 || fault.retryAfter !== undefined;
  const headers: Record<string, string> = retry
    ? { 'retry-after': String(fault.retryAfter ?? 0) }
    : {};
  if (op.operationId === 'getReadiness' && status === 503) {
    // `/readyz` answers 503 with its report, not a problem.
    return HttpResponse.json(
      {
        status: 'not_ready',
        checks: [
          { name: 'state-store', status: 'pass' },
          {
            name: 'audit-pipeline',
            status: 'fail',
            detail: fault.detail ?? 'fault injected by the mock',
          },
        ],
      },
      { status, headers: { ...headers, 'x-request-id': requestId } },
    );
  }
  const code = fault.code ?? defaultCode(status);
  return problemResponse(
    requestId,
    code,
    fault.detail ?? `Fault injected by the mock (${op.operationId}).`,
    pathname,
    {
      status,
      headers,
    },
  );
}

function defaultCode(status: number): string {
  return (
    (
      {
        400: 'bad_request',
        401: 'unauthenticated',
        403: 'forbidden',
        404: 'not_found',
        409: 'conflict',
        413: 'payload_too_large',
        415: 'unsupported_media_type',
        422: 'validation_failed',
        429: 'rate_limited',
        500: 'internal',
        503: 'unavailable',
      } as Record<number, string>
    )[status] ?? (status >= 500 ? 'internal' : 'bad_request')
  );
}

/** The parsed body, or a problem (415, 413, 400, 422). */
async function readBody(
  rt: Runtime,
  operationId: OperationId,
  request: Request,
): Promise<{ body: unknown; raw: Uint8Array }> {
  const spec = contract.operations[operationId]?.requestBody;
  const raw = new Uint8Array(await request.arrayBuffer());
  if (!spec) return { body: undefined, raw };
  if (raw.length === 0) {
    if (spec.required) {
      throw new ProblemError('validation_failed', 'The request body is required.', [
        { path: '/body', message: 'is required', code: 'required' },
      ]);
    }
    return { body: undefined, raw };
  }
  const contentType = request.headers.get('content-type') ?? '';
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (mediaType !== spec.mediaType) {
    throw new ProblemError(
      'unsupported_media_type',
      `Expected Content-Type ${spec.mediaType}, got ${contentType || 'none'}.`,
    );
  }
  if (mediaType !== 'application/json') {
    if (raw.length > MAX_ARCHIVE_BYTES) {
      throw new ProblemError(
        'payload_too_large',
        `Source archives are limited to ${MAX_ARCHIVE_BYTES} bytes.`,
      );
    }
    return { body: raw, raw };
  }
  if (raw.length > MAX_JSON_BYTES) {
    throw new ProblemError(
      'payload_too_large',
      `JSON bodies are limited to ${MAX_JSON_BYTES} bytes.`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (error) {
    throw new ProblemError(
      'invalid_json',
      `The body isn't valid JSON: ${(error as Error).message}`,
    );
  }
  const errors = rt.validators.body(operationId, body);
  if (errors.length > 0) {
    throw new ProblemError(
      'validation_failed',
      `${errors.length} problem${errors.length === 1 ? '' : 's'} in the request body.`,
      errors,
    );
  }
  return { body, raw };
}

function queryOf(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  const errors: FieldError[] = [];
  for (const [name, value] of url.searchParams) {
    if (name in out)
      errors.push({ path: `/query/${name}`, message: 'given more than once', code: 'duplicate' });
    out[name] = value;
  }
  if (errors.length > 0) throw new ProblemError('bad_request', 'Invalid query parameters.', errors);
  return out;
}

async function handle(
  rt: Runtime,
  op: OperationInfo,
  resolve: Resolver,
  request: Request,
  params: Record<string, string | readonly string[] | undefined>,
): Promise<Response> {
  const header = request.headers.get('x-request-id');
  const requestId = header && REQUEST_ID.test(header) ? header : newId('req');
  const url = new URL(request.url);
  const spec = contract.operations[op.operationId]!;
  const action = auditActionOf(op.operationId);
  let caller: Caller | undefined;
  let ctx: RequestContext | undefined;
  let response: Response;
  /** The code of the problem answered, for the audit event. */
  let problemCode: string | null = null;
  let pendingFingerprint: string | undefined;

  const fault = rt.faults.take(op.operationId);
  if (fault) {
    if (fault.delayMs) await delay(fault.delayMs);
    if (fault.networkError) return HttpResponse.error();
    return fault.status === undefined && fault.delayMs && !fault.code
      ? run()
      : faultResponse(fault, requestId, op, url.pathname);
  }
  return run();

  async function run(): Promise<Response> {
    let idempotencyKey: string | undefined;
    try {
      caller = spec.anonymous ? ANONYMOUS : authenticate(rt, request);
      if (!spec.anonymous) checkRole(caller, op.operationId);

      const path = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
      const pathErrors = rt.validators.path(op.operationId, path);
      if (pathErrors.length > 0) {
        throw new ProblemError(
          'not_found',
          `No resource at ${url.pathname} (${pathErrors[0]!.path} ${pathErrors[0]!.message}).`,
        );
      }
      const query = rt.validators.query(op.operationId, queryOf(url));
      const headerNames = Object.keys(
        (spec.parameters.header?.properties as object | undefined) ?? {},
      );
      const headers: Record<string, string> = {};
      for (const name of headerNames) {
        const value = request.headers.get(name);
        if (value !== null && name !== 'x-request-id') headers[name] = value;
      }
      const paramErrors = [...query.errors, ...rt.validators.header(op.operationId, headers)];
      if (paramErrors.length > 0) {
        throw new ProblemError(
          'bad_request',
          `${paramErrors.map((e) => `${e.path} ${e.message}`).join('; ')}.`,
          paramErrors,
        );
      }
      const { body, raw } = await readBody(rt, op.operationId, request);

      // Idempotency: the first response to a key is kept (per principal) and replayed.
      const key = op.mutating ? request.headers.get('idempotency-key') : null;
      if (key) {
        idempotencyKey = `${caller.id}\u241f${key}`;
        const fingerprint = `${op.method} ${url.pathname}${url.search} ${toHex(sm3(raw))}`;
        const stored = rt.idempotency.get(idempotencyKey);
        if (stored === 'pending') {
          idempotencyKey = undefined;
          throw new ProblemError(
            'idempotency_key_in_use',
            'A request with this Idempotency-Key is still being processed; retry after it finishes.',
          );
        }
        if (stored && Date.now() - stored.at < IDEMPOTENCY_TTL_MS) {
          idempotencyKey = undefined;
          if (stored.fingerprint !== fingerprint) {
            throw new ProblemError(
              'idempotency_key_reused',
              'This Idempotency-Key was first used with a different request.',
            );
          }
          return new Response(
            stored.body.byteLength ? (stored.body as Uint8Array<ArrayBuffer>) : null,
            {
              status: stored.status,
              headers: [
                ...stored.headers,
                ['idempotency-replayed', 'true'],
                ['x-request-id', requestId],
              ],
            },
          );
        }
        rt.idempotency.set(idempotencyKey, 'pending');
        pendingFingerprint = fingerprint;
      }

      ctx = {
        rt,
        state: rt.state,
        op,
        request,
        requestId,
        caller,
        path,
        query: query.value,
        body,
        audit: {},
      };
      response = await resolve(ctx);
    } catch (error) {
      response = errorResponse(error, requestId, url.pathname);
    }
    response = withRequestId(response, requestId);
    count(rt, op.operationId, response.status);
    if (idempotencyKey) await remember(idempotencyKey, response);
    record(response);
    return response;
  }

  async function remember(key: string, answer: Response): Promise<void> {
    if (answer.status >= 500 || pendingFingerprint === undefined) {
      rt.idempotency.delete(key);
      return;
    }
    const headers = [...answer.headers].filter(([name]) => name !== 'x-request-id') as [
      string,
      string,
    ][];
    rt.idempotency.set(key, {
      fingerprint: pendingFingerprint,
      status: answer.status,
      headers,
      body: new Uint8Array(await answer.clone().arrayBuffer()),
      at: Date.now(),
    });
  }

  /** The audit event: every mutating call, and every failed authentication. */
  function record(answer: Response): void {
    const base = { requestId, sourceIp: sourceIpOf(request), userAgent: userAgentOf(request) };
    if (!caller || !action) return;
    const code = answer.status >= 400 ? (problemCode ?? defaultCode(answer.status)) : null;
    const pathId = Object.values(params).find(
      (v): v is string => typeof v === 'string' && kindOf(v) !== undefined,
    );
    const target =
      ctx?.audit.target !== undefined
        ? ctx.audit.target
        : pathId
          ? { type: kindOf(pathId)!, id: pathId }
          : null;
    appendAudit(rt, {
      ...base,
      principal: { type: caller.type, id: caller.id, name: caller.name },
      tenantId: ctx?.audit.tenantId ?? null,
      action,
      target,
      outcome: answer.status < 400 ? 'success' : answer.status === 403 ? 'denied' : 'failure',
      reason: code,
    });
  }

  function errorResponse(error: unknown, id: string, pathname: string): Response {
    if (error instanceof AuthError) {
      appendAudit(rt, {
        principal: error.principal,
        tenantId: error.tenantId,
        action: 'auth.failure',
        target: null,
        outcome: 'failure',
        reason: error.code,
        requestId: id,
        sourceIp: sourceIpOf(request),
        userAgent: userAgentOf(request),
      });
    }
    if (error instanceof ProblemError) {
      problemCode = error.code;
      return problemResponse(id, error.code, error.detail, pathname, {
        errors: error.errors,
        headers: error.headers,
      });
    }
    problemCode = 'internal';
    console.error(`[@zhengwu/mock] ${op.operationId} failed:`, error);
    return problemResponse(
      id,
      'internal',
      `The mock failed: ${(error as Error)?.message ?? String(error)}`,
      pathname,
    );
  }
}

function count(rt: Runtime, operationId: string, status: number): void {
  const key = `${operationId}\u241f${status}`;
  rt.requestCounts.set(key, (rt.requestCounts.get(key) ?? 0) + 1);
}

/** The msw handlers of the platform, in contract order, and a 404 for unknown routes. */
export function buildHandlers(
  rt: Runtime,
  resolvers: Record<OperationId, Resolver>,
): HttpHandler[] {
  const base = rt.options.baseUrl;
  const handlers: HttpHandler[] = (Object.values(operations) as OperationInfo[]).map((op) => {
    const method = op.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    const resolve = resolvers[op.operationId];
    return http[method](`${base}${toMswPath(op.path)}`, ({ request, params }) =>
      handle(rt, op, resolve, request, params),
    );
  });
  handlers.push(
    http.all(`${base}/*`, ({ request }) => {
      const header = request.headers.get('x-request-id');
      const requestId = header && REQUEST_ID.test(header) ? header : newId('req');
      const { pathname } = new URL(request.url);
      return problemResponse(
        requestId,
        'not_found',
        `No route matches ${request.method} ${pathname}.`,
        pathname,
      );
    }),
  );
  return handlers;
}
