import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PlatformContext } from '../http/context';
import type { ActingRequest } from '../services/acting';
import { basicAuthenticator } from './auth';
import { bind, bindingLastOperation, fetchBinding, unbind } from './bindings';
import { actingFor, auditUnlessDone, beginCall, callOf, identify } from './call';
import { osbCatalog } from './catalog';
import { badRequest, OsbError, sendOsbError, text, toOsbError } from './errors';
import { parseOriginatingIdentity } from './identity';
import { deprovision, fetchInstance, instanceLastOperation, provision, update } from './instances';
import { apiMinor } from './version';

type Handler = (
  ctx: PlatformContext,
  request: FastifyRequest,
  reply: FastifyReply,
  acting: ActingRequest,
) => Promise<unknown>;

interface OsbRoute {
  method: 'GET' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  /** The audit action; every mutating call is audited, whatever its answer. */
  action: string;
  mutating: boolean;
  handler: Handler;
}

const INSTANCE = '/service_instances/:instance_id';
const BINDING = `${INSTANCE}/service_bindings/:binding_id`;

const ROUTES: OsbRoute[] = [
  {
    method: 'GET',
    url: '/catalog',
    action: 'osb.catalog.read',
    mutating: false,
    handler: (ctx, request) => {
      const { minor } = callOf(request);
      return osbCatalog(ctx.services.pools, minor);
    },
  },
  { method: 'PUT', url: INSTANCE, action: 'osb.provision', mutating: true, handler: provision },
  {
    method: 'GET',
    url: INSTANCE,
    action: 'osb.instance.read',
    mutating: false,
    handler: (c, r) => fetchInstance(c, r),
  },
  { method: 'PATCH', url: INSTANCE, action: 'osb.update', mutating: true, handler: update },
  {
    method: 'DELETE',
    url: INSTANCE,
    action: 'osb.deprovision',
    mutating: true,
    handler: deprovision,
  },
  {
    method: 'GET',
    url: `${INSTANCE}/last_operation`,
    action: 'osb.instance.last-operation',
    mutating: false,
    handler: (c, r, p) => instanceLastOperation(c, r, p),
  },
  { method: 'PUT', url: BINDING, action: 'osb.bind', mutating: true, handler: bind },
  {
    method: 'GET',
    url: BINDING,
    action: 'osb.binding.read',
    mutating: false,
    handler: fetchBinding,
  },
  { method: 'DELETE', url: BINDING, action: 'osb.unbind', mutating: true, handler: unbind },
  {
    method: 'GET',
    url: `${BINDING}/last_operation`,
    action: 'osb.binding.last-operation',
    mutating: false,
    handler: (c, r, p) => bindingLastOperation(c, r, p),
  },
];

/** What a refused or repeated call is audited against when the handler named nothing. */
function fallbackTarget(request: FastifyRequest) {
  const p = request.params as { instance_id?: string; binding_id?: string };
  return p.binding_id
    ? { type: 'osb-binding', id: `${p.instance_id}/${p.binding_id}` }
    : { type: 'osb-instance', id: p.instance_id ?? '' };
}

/**
 * The Open Service Broker API v2.13–2.17 (`app.register(osbRoutes(ctx), { prefix: '/v2' })`),
 * so that Cloud Foundry or a Kubernetes service catalog can consume the marketplace. It acts
 * through the same domain code as `/v1` (`src/services`) with platform-admin rights and
 * audits as `osb.*`, recording the platform's originating user.
 *
 * Every route: HTTP Basic auth (401), then `X-Broker-API-Version` (412), then the
 * originating identity (400 when malformed) — before any body or id is looked at. Errors
 * are OSB error bodies (`errors.ts`). Without `ZW_OSB_USERNAME`/`ZW_OSB_PASSWORD` the API
 * is off and every `/v2` path answers 404: the API is not served at all, which is not a
 * passing outage (503 would have platforms retry and mark the broker as down).
 */
export function osbRoutes(ctx: PlatformContext) {
  return async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const osb = toOsbError(error) ?? fastifyError(error);
      if (osb) return sendOsbError(reply, osb);
      request.log.error({ err: error }, 'unhandled OSB error');
      return sendOsbError(
        reply,
        new OsbError(
          500,
          'InternalError',
          text(
            '内部错误，请向支持人员提供请求 ID',
            `An internal error occurred; quote request id ${request.id} to support`,
          ),
        ),
      );
    });
    app.setNotFoundHandler((request, reply) =>
      sendOsbError(
        reply,
        ctx.config.osb
          ? new OsbError(
              404,
              'NotFound',
              text(
                '开放服务代理接口中没有此路径',
                `No route ${request.method} ${request.url.split('?')[0]} in the Open Service Broker API`,
              ),
            )
          : new OsbError(
              404,
              'NotEnabled',
              text(
                '本平台未启用开放服务代理（OSB）接口',
                'The Open Service Broker API is not enabled on this platform (the operator sets ZW_OSB_USERNAME and ZW_OSB_PASSWORD)',
              ),
            ),
      ),
    );
    const credentials = ctx.config.osb;
    if (!credentials) return;
    const authenticate = basicAuthenticator(ctx, credentials);

    for (const route of ROUTES) {
      app.route({
        method: route.method,
        url: route.url,
        // Auth, version and identity before the body is even parsed.
        onRequest: async (request, reply) => {
          const requestIdentity = request.headers['x-broker-api-request-identity'];
          if (typeof requestIdentity === 'string' && requestIdentity) {
            reply.header('x-broker-api-request-identity', requestIdentity.slice(0, 200));
          }
          const call = beginCall(request, await authenticate(request));
          try {
            call.minor = apiMinor(request.headers['x-broker-api-version']);
            identify(
              call,
              parseOriginatingIdentity(request.headers['x-broker-api-originating-identity']),
            );
          } catch (error) {
            if (route.mutating && error instanceof OsbError) {
              const acting = actingFor(request, route.action);
              await auditUnlessDone(ctx, acting, error.status, error.code, fallbackTarget(request));
            }
            throw error;
          }
        },
        handler: async (request, reply) => {
          const acting = actingFor(request, route.action);
          let status = 200;
          let code: string | undefined;
          try {
            const body = await route.handler(ctx, request, reply, acting);
            status = reply.statusCode;
            return body;
          } catch (error) {
            const osb = toOsbError(error);
            status = osb?.status ?? 500;
            code = osb?.code ?? 'InternalError';
            throw osb ?? error;
          } finally {
            if (route.mutating) {
              await auditUnlessDone(ctx, acting, status, code, fallbackTarget(request)).catch((e) =>
                request.log.error({ err: e }, 'audit append failed'),
              );
            }
          }
        },
      });
    }
  };
}

/** Fastify's own request errors (body parsing, size) as OSB answers: 400 per the spec. */
function fastifyError(error: FastifyError): OsbError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new OsbError(413, 'PayloadTooLarge', text('请求体过大', 'The body is too large'));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return badRequest('请求体须为 application/json', 'Send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return badRequest('请求体不是有效的 JSON', 'The body is not valid JSON');
  }
  if (error instanceof SyntaxError || error.statusCode === 400) {
    return badRequest('请求体不是有效的 JSON', 'The body is not valid JSON');
  }
  return undefined;
}
