import { auditActionOf, type OperationId, operations } from '@zhengwu/openapi';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import { authenticationHook, type OidcVerifier } from '../auth/authenticate';
import { osbRoutes } from '../osb';
import { registerCompression } from './compression';
import type { Handlers, PlatformContext } from './context';
import { contractOperations, loadDocument, routeSchemas } from './contract';
import { idempotencyHooks } from './idempotency';
import { JsonText } from './json-rows';
import { PRECOMPRESSED_OPERATIONS } from './precompressed';
import { ProblemError, sendProblem } from './problems';
import { newRequestId } from './request-id';
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
  /** Makes the HTTP server (the app router takes app requests before Fastify sees them). */
  serverFactory?: FastifyServerOptions['serverFactory'];
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
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : newRequestId();
    },
    // X-Forwarded-* only from the proxies the operator lists (request.ip in audit events
    // and the failed-login limiter); otherwise the socket's peer is the client.
    trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
    ...(options.serverFactory
      ? { serverFactory: options.serverFactory }
      : options.tls && { https: { cert: options.tls.cert, key: options.tls.key } }),
  }) as unknown as FastifyInstance;

  app.decorateRequest('principal', null);
  app.decorateRequest('audited', false);
  app.decorateRequest('auditTarget', null);
  app.decorateRequest('auditTenantId', null);
  app.decorateRequest('problemCode', null);

  app.setValidatorCompiler(({ schema, httpPart }) =>
    validator.compile(schema as Record<string, unknown>, PARTS[httpPart ?? 'body'] ?? 'body'),
  );

  // Hooks take `done` rather than being async where they need not wait: an async hook costs
  // a promise and a microtask turn on every request.
  // Set first thing, so every answer carries it, errors and 404s included.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  // Source archives stream to disk (`uploadSource` hashes, limits and checks them itself);
  // no other route takes gzip.
  app.addContentTypeParser('application/gzip', (request, payload, done) => {
    if (request.routeOptions.config.operationId === 'uploadSource') done(null, payload);
    else done(new ProblemError('unsupported_media_type', 'Send application/json.'), undefined);
  });

  // Bodies that PostgreSQL already rendered as JSON (lists) are sent as they are.
  app.setReplySerializer((payload) =>
    payload instanceof JsonText ? payload.text : JSON.stringify(payload),
  );

  if (config.validateResponses) {
    app.addHook('onSend', async (request, reply, payload) =>
      checkResponse(document, request, reply, payload),
    );
  }

  // Idempotency-Key on mutating operations (their routes' hooks, below); route hooks run after
  // the app's, so after the response check: what is stored is what is sent.
  const idempotency = idempotencyHooks(app, ctx);

  // Audit events written after their response went out: `close` waits for them, so a
  // shutdown right after an answer doesn't lose its event with the database connection.
  const auditsAfterResponse = new Set<Promise<void>>();
  app.addHook('onResponse', (request, reply, done) => {
    // `routeOptions` builds a new object on every read: read it once.
    const operationId = request.routeOptions.config.operationId;
    ctx.metrics.observe(operationId ?? 'unknown', reply.statusCode, reply.elapsedTime / 1000);
    const audit = operationId && auditUnlessDone(ctx, request, operationId, reply.statusCode);
    if (!audit) return done();
    auditsAfterResponse.add(audit);
    audit.then(
      () => {
        auditsAfterResponse.delete(audit);
        done();
      },
      (error) => {
        auditsAfterResponse.delete(audit);
        done(error);
      },
    );
  });
  app.addHook('onClose', async () => {
    await Promise.allSettled([...auditsAfterResponse]);
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

  registerCompression(app);
  // In a plugin registered after compression, so the routes get its hook (plugins load
  // in order; routes added directly here would be added before it).
  app.register(async (scope) => {
    for (const op of contractOperations) {
      const schemas = routeSchemas(document, op);
      const isPublic = op.path === '/healthz' || op.path === '/readyz';
      const handler = (
        options.handlers as Record<
          string,
          (request: FastifyRequest, reply: FastifyReply, ctx: PlatformContext) => unknown
        >
      )[op.operationId];
      const mutating = operations[op.operationId as OperationId]?.mutating === true;
      scope.route({
        method: op.method,
        url: fastifyPath(op.path),
        config: { operationId: op.operationId as OperationId },
        // A body encoded once for all (the catalog) needs none of the compressor's hooks.
        ...(PRECOMPRESSED_OPERATIONS.has(op.operationId) && { compress: false }),
        schema: {
          ...(schemas.params && { params: schemas.params }),
          ...(schemas.querystring && { querystring: schemas.querystring }),
          ...(schemas.body && { body: schemas.body }),
        },
        onRequest: isPublic ? undefined : authenticated,
        ...(mutating && { preHandler: idempotency.preHandler, onSend: idempotency.onSend }),
        handler: handler
          ? (request, reply) => {
              const result = handler(request, reply, ctx);
              // A handler that sent its reply and returned it: Fastify would treat the reply
              // as a promise and wait for the response to finish, for nothing.
              return result === reply ? undefined : result;
            }
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
  });
  // The Open Service Broker API (its own auth, errors and audit; off unless ZW_OSB_* is set).
  app.register(osbRoutes(ctx), { prefix: '/v2' });
  return app;
}

function summary(errors: { path: string; message: string }[]): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join('; ') || 'The request is invalid.';
}

/**
 * Every mutating call leaves an audit event. Handlers write it inside their transaction
 * (then `audited` is set); anything else — refused, failed, or a handler that did not —
 * is recorded here, after the response. `undefined` when there is nothing to record.
 */
function auditUnlessDone(
  ctx: PlatformContext,
  request: FastifyRequest,
  operationId: OperationId,
  status: number,
): Promise<void> | undefined {
  if (request.audited) return undefined;
  const action = auditActionOf(operationId);
  if (!action) return undefined;
  return appendAudit(ctx, request, status, action);
}

async function appendAudit(
  ctx: PlatformContext,
  request: FastifyRequest,
  status: number,
  action: string,
): Promise<void> {
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
