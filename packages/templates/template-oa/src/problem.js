/**
 * Errors as RFC 9457 `application/problem+json` with a stable `code` and a bilingual title.
 * Handlers throw `Problem`; the handlers installed by `installProblemHandlers` write it.
 */

/** @type {Record<string, [number, string]>} code → [status, title] */
export const PROBLEMS = {
  bad_request: [400, '请求格式错误 · Bad request'],
  unauthorized: [401, '未认证 · Unauthorized'],
  forbidden: [403, '无权访问 · Forbidden'],
  not_found: [404, '资源不存在 · Not found'],
  conflict: [409, '状态冲突 · Conflict'],
  invalid_transition: [409, '当前状态不允许此操作 · Action not allowed in the current state'],
  payload_too_large: [413, '请求内容过大 · Payload too large'],
  unsupported_media_type: [415, '不支持的内容类型 · Unsupported media type'],
  validation_failed: [422, '请求参数无效 · Validation failed'],
  classified_not_allowed: [
    422,
    '涉密公文不得在本系统处理 · Classified documents are not allowed here',
  ],
  body_missing: [422, '缺少公文正文 · The document has no body text'],
  rate_limited: [429, '请求过于频繁 · Too many requests'],
  internal: [500, '服务器内部错误 · Internal server error'],
  not_ready: [503, '服务未就绪 · Service not ready'],
};

export class Problem extends Error {
  /**
   * @param {keyof typeof PROBLEMS} code
   * @param {string} detail
   * @param {{ errors?: { path: string, message: string }[], headers?: Record<string, string>, extra?: Record<string, unknown> }} [options]
   */
  constructor(code, detail, options = {}) {
    super(detail);
    this.code = code;
    this.detail = detail;
    this.status = PROBLEMS[code]?.[0] ?? 500;
    this.errors = options.errors;
    this.headers = options.headers;
    this.extra = options.extra;
  }
}

/**
 * @param {import('fastify').FastifyReply} reply
 * @param {Problem} problem
 */
export function sendProblem(reply, problem) {
  const [status, title] = PROBLEMS[problem.code] ?? PROBLEMS.internal;
  for (const [name, value] of Object.entries(problem.headers ?? {})) reply.header(name, value);
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: `urn:zhengwu:problem:${problem.code}`,
      title,
      status,
      detail: problem.detail,
      code: problem.code,
      instance: reply.request.url.split('?')[0],
      ...(problem.errors && { errors: problem.errors }),
      ...problem.extra,
    });
}

/**
 * Maps Fastify's own errors (schema validation, bad JSON, body limits, unknown routes) onto
 * the same problem shape, so clients see one error format.
 * @param {import('fastify').FastifyInstance} app
 */
export function installProblemHandlers(app) {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof Problem) return sendProblem(reply, error);
    const err = /** @type {import('fastify').FastifyError} */ (error);
    if (err.validation) {
      const errors = err.validation.map((v) => ({
        path: `${err.validationContext ?? 'body'}${v.instancePath || ''}`,
        message: v.message ?? 'invalid',
      }));
      return sendProblem(reply, new Problem('validation_failed', err.message, { errors }));
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendProblem(reply, new Problem('payload_too_large', err.message));
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendProblem(reply, new Problem('unsupported_media_type', err.message));
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendProblem(reply, new Problem('bad_request', err.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, new Problem('internal', '请稍后重试 · Please try again later'));
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      new Problem(
        'not_found',
        `路径不存在 · No route ${request.method} ${request.url.split('?')[0]}`,
      ),
    ),
  );
}
