import type { FastifyReply } from 'fastify';
import { ProblemError } from '../http/problems';

/**
 * An answer of the Open Service Broker API that is not a success. OSB clients (Cloud Foundry,
 * Kubernetes service catalogs) expect the spec's own error body `{ error, description }` —
 * not the platform's problem+json — and act on the `error` codes the spec defines
 * (`AsyncRequired`, `ConcurrencyError`, `RequiresApp`, `MaintenanceInfoConflict`), so every
 * `/v2` error is one of these. `description` is shown to the platform's user: Chinese first,
 * then English.
 */
export class OsbError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    /** `instance_usable` / `update_repeatable` on failed updates and deprovisions. */
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${code}: ${description}`);
  }
}

/** A bilingual description: `中文 · English`. */
export const text = (zh: string, en: string) => `${zh} · ${en}`;

export const badRequest = (zh: string, en: string) => new OsbError(400, 'BadRequest', text(zh, en));

export const asyncRequired = (zh: string, en: string) =>
  new OsbError(
    422,
    'AsyncRequired',
    text(
      `${zh}只能异步完成，请带 accepts_incomplete=true`,
      `${en} completes asynchronously only: send accepts_incomplete=true`,
    ),
  );

export const concurrencyError = (zh: string, en: string) =>
  new OsbError(422, 'ConcurrencyError', text(zh, en));

export const conflict = (zh: string, en: string) => new OsbError(409, 'Conflict', text(zh, en));

export const notFound = (zh: string, en: string) => new OsbError(404, 'NotFound', text(zh, en));

export const gone = (zh: string, en: string) => new OsbError(410, 'Gone', text(zh, en));

/** Problem codes of the domain code (`src/services`) as OSB answers. */
const FROM_PROBLEM: Record<string, { status: number; code: string; zh: string }> = {
  validation_failed: { status: 400, code: 'BadRequest', zh: '请求无效' },
  plan_not_found: { status: 400, code: 'BadRequest', zh: '服务或规格不存在' },
  bad_request: { status: 400, code: 'BadRequest', zh: '请求无效' },
  not_found: { status: 404, code: 'NotFound', zh: '不存在' },
  forbidden: { status: 403, code: 'Forbidden', zh: '无权操作' },
  already_exists: { status: 409, code: 'Conflict', zh: '已存在' },
  // "Cannot be fulfilled in the instance's current state": the spec's 422 for a busy resource.
  invalid_state: { status: 422, code: 'ConcurrencyError', zh: '另一操作进行中' },
  // The spec leaves deprovisioning with bindings to the broker: 422 is its "cannot be
  // fulfilled now" status, which platforms treat as a refusal (no orphan mitigation).
  not_empty: { status: 422, code: 'BindingsExist', zh: '实例仍有绑定' },
  quota_exceeded: { status: 422, code: 'QuotaExceeded', zh: '超出配额' },
  service_unavailable: { status: 422, code: 'ServiceUnavailable', zh: '服务暂不可用' },
  unavailable: { status: 503, code: 'ServiceUnavailable', zh: '引擎暂不可用' },
  rate_limited: { status: 429, code: 'RateLimited', zh: '请求过多' },
};

const HAS_CHINESE = /[\u4e00-\u9fff]/;

/** The OSB answer of a domain problem; descriptions get a Chinese lead when they lack one. */
export function fromProblem(problem: ProblemError): OsbError {
  const mapped = FROM_PROBLEM[problem.code] ?? {
    status: problem.status,
    code: problem.status >= 500 ? 'InternalError' : 'BadRequest',
    zh: '请求失败',
  };
  const description = HAS_CHINESE.test(problem.detail)
    ? problem.detail
    : text(mapped.zh, problem.detail);
  return new OsbError(mapped.status, mapped.code, description, {}, problem.headers ?? {});
}

/** Any error as an OSB answer: unexpected ones become a 500 that names no internals. */
export function toOsbError(error: unknown): OsbError | undefined {
  if (error instanceof OsbError) return error;
  if (error instanceof ProblemError) return fromProblem(error);
  return undefined;
}

export function sendOsbError(reply: FastifyReply, error: OsbError): FastifyReply {
  for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
  return reply
    .code(error.status)
    .type('application/json')
    .send({ error: error.code, description: error.description, ...error.extra });
}
