import { auditActionOf, type OperationId } from '@zhengwu/openapi';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { authenticationHook, type OidcVerifier } from '../auth/authenticate';
import { newId } from '../ids';
import type { Handlers, PlatformContext } from './context';
import { contractOperations, loadDocument, routeSchemas } from './contract';
import { installIdempotency } from './idempotency';
import { ProblemError, sendProblem } from './problems';
import { checkResponse } from './response-check';
import { ContractValidator, fieldErrors, type Part } from './validation';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,200}$/;
const PARTS: Record<string, Part> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'header',
};

export interface AppOptions {
  handlers: Handlers;
  oidc?: OidcVerifier | undefined;
  tls?: { cert: string; key: string } | undefined;
}

/** `/v1/instances/{instanceId}` → `/v1/instances/:instanceId`. */
const fastifyPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/**
 * The platform's HTTP server: one route per contract operation (and nothing else), each
 * validated against the contract, authenticated, audited when it mutates, and answered
 * with problem+json on every error.
 */
export function buildApp(ctx: PlatformContext, options: AppOptions): FastifyInstance {
  const { config } = ctx;
  const document = loadDocument();
  const validator = new ContractValidator(document);
  const authenticated = authenticationHook(ctx, options.oidc);

  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : newId('req');
    },
    trustProxy: false,
    ...(options.tls && { https: { cert: options.tls.cert, key: options.tls.key } }),
  }) as unknown as FastifyInstance;

  app.decorateRequest('principal', null);
  app.decorateRequest('audited', false);
  app.decorateRequest('auditTarget', null);
  app.decorateRequest('auditTenantId', null);
  app.decorateRequest('problemCode', null);

  app.setValidatorCompiler(({ schema, httpPart }) =>
    validator.compile(schema as Record<string, unknown>, PARTS[httpPart ?? 'body'] ?? 'body'),
  );

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });

  if (config.validateResponses) {
    app.addHook('onSend', async (request, reply, payload) =>
      checkResponse(document, request, reply, payload),
    );
  }

  // Idempotency-Key on mutating operations; after the response check, so it stores what is sent.
  installIdempotency(app, ctx);

  app.addHook('onResponse', async (request, reply) => {
    const operation = request.routeOptions.config.operationId ?? 'unknown';
    ctx.metrics.requests.inc({ operation, status: reply.statusCode });
    ctx.metrics.duration.observe({ operation }, reply.elapsedTime / 1000);
    await auditUnlessDone(ctx, request, reply.statusCode);
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      'not_found',
      `No route ${request.method} ${request.url.split('?')[0]} in the API.`,
    ),
  );

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ProblemError) {
      return sendProblem(reply, error.code, error.detail, {
        errors: error.errors,
        headers: error.headers,
      });
    }
    if (error.validation) {
      const part = PARTS[error.validationContext ?? 'body'] ?? 'body';
      const errors = fieldErrors(error.validation as never, part);
      if (part === 'body')
        return sendProblem(reply, 'validation_failed', summary(errors), { errors });
      // A path parameter that is not even an id of the right kind names nothing: 404.
      if (part === 'path')
        return sendProblem(reply, 'not_found', `Nothing at ${request.url.split('?')[0]}.`);
      return sendProblem(reply, 'bad_request', summary(errors), { errors });
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(
          reply,
          'payload_too_large',
          `The body is larger than ${config.bodyLimit} bytes.`,
        );
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendProblem(
          reply,
          'unsupported_media_type',
          `Send ${'application/json'} (got ${request.headers['content-type'] ?? 'none'}).`,
        );
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return sendProblem(reply, 'invalid_json', 'The body is not valid JSON.');
    }
    if (error instanceof SyntaxError || error.statusCode === 400) {
      return sendProblem(reply, 'invalid_json', 'The body is not valid JSON.');
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(
      reply,
      'internal',
      'An internal error occurred; quote the request id to support.',
    );
  });

  for (const op of contractOperations) {
    const schemas = routeSchemas(document, op);
    const isPublic = op.path === '/healthz' || op.path === '/readyz';
    const handler = (options.handlers as Record<string, (...args: unknown[]) => unknown>)[
      op.operationId
    ];
    app.route({
      method: op.method,
      url: fastifyPath(op.path),
      config: { operationId: op.operationId as OperationId },
      schema: {
        ...(schemas.params && { params: schemas.params }),
        ...(schemas.querystring && { querystring: schemas.querystring }),
        ...(schemas.body && { body: schemas.body }),
      },
      onRequest: isPublic ? undefined : authenticated,
      handler: handler
        ? (request, reply) => handler(request, reply, ctx)
        : (_request, reply) =>
            sendProblem(
              reply,
              'unavailable',
              `${op.operationId} is not available on this platform yet.`,
              {
                headers: { 'x-should-retry': 'false' },
              },
            ),
    });
  }
  return app;
}

function summary(errors: { path: string; message: string }[]): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join('; ') || 'The request is invalid.';
}

/**
 * Every mutating call leaves an audit event. Handlers write it inside their transaction
 * (then `audited` is set); anything else — refused, failed, or a handler that did not —
 * is recorded here, after the response.
 */
async function auditUnlessDone(
  ctx: PlatformContext,
  request: FastifyRequest,
  status: number,
): Promise<void> {
  const operationId = request.routeOptions.config.operationId;
  if (request.audited || !operationId) return;
  const action = auditActionOf(operationId);
  if (!action) return;
  const principal = request.principal;
  try {
    await ctx.audit.append(ctx.db, {
      principal: principal
        ? { type: principal.type, id: principal.id, name: principal.name }
        : { type: 'anonymous', id: null, name: null },
      tenantId: request.auditTenantId,
      action,
      target: request.auditTarget,
      outcome:
        status < 400
          ? 'success'
          : status === 401 || status === 403 || status === 404
            ? 'denied'
            : 'failure',
      reason: status < 400 ? null : (request.problemCode ?? `HTTP ${status}`),
      sourceIp: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      requestId: request.id,
    });
  } catch (error) {
    request.log.error({ err: error }, 'audit append failed');
  }
}
