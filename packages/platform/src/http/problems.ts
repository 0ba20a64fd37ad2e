import { type ProblemCode, problemCodes, transientConflicts } from '@zhengwu/openapi';
import type { FastifyReply } from 'fastify';

/** One invalid field, addressed by a JSON Pointer into `{ body, query, path, header }`. */
export interface FieldError {
  path: string;
  message: string;
  code: string;
}

/**
 * Thrown anywhere in request handling to answer with an RFC 9457 problem. Handlers never
 * build error responses themselves: the error handler turns this into
 * `application/problem+json` with the request id.
 */
export class ProblemError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(`${code}: ${detail}`);
    this.status = problemCodes[code][0];
  }
}

/** 404 for a resource that does not exist or that the caller may not see (never 403). */
export const notFound = (what: string, id: string) =>
  new ProblemError('not_found', `未找到 ${id} · ${what} ${id} was not found.`);

/** 422 `validation_failed` for one field. */
export const invalidField = (path: string, message: string, code: string) =>
  new ProblemError('validation_failed', `${path}: ${message}`, [{ path, message, code }]);

/** Writes a problem response. */
export function sendProblem(
  reply: FastifyReply,
  code: ProblemCode,
  detail: string,
  extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
): FastifyReply {
  const [status, title] = problemCodes[code];
  reply.request.problemCode = code;
  if (status === 409) reply.header('x-should-retry', String(transientConflicts.has(code)));
  for (const [k, v] of Object.entries(extra.headers ?? {})) reply.header(k, v);
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: `https://zhengwu.gov.cn/problems/${code}`,
      title,
      status,
      detail,
      instance: reply.request.url.split('?')[0],
      code,
      requestId: reply.request.id,
      ...(extra.errors && { errors: extra.errors }),
    });
}
