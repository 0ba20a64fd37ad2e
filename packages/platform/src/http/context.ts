import type { OperationId, operations } from '@zhengwu/openapi';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppsPlatform } from '../apps/context';
import type { AuditLog } from '../audit/log';
import type { Principal } from '../auth/principal';
import type { TokenCache } from '../auth/token-cache';
import type { PlatformConfig } from '../config';
import type { Db } from '../db/database';
import type { OperationFinalizer, OperationType } from '../operations/registry';
import type { ServicesContext } from '../services/context';
import type { Metrics } from './metrics';

/** What every handler can use: configuration, the state database and the audit log. */
export interface PlatformContext {
  config: PlatformConfig;
  db: Db;
  audit: AuditLog;
  metrics: Metrics;
  /** Recently authenticated tokens; clear it when a token stops being valid (`authChanged`). */
  tokenCache: TokenCache;
  /** The platform version (package.json), reported by `/healthz`. */
  version: string;
  /** Whether the platform is draining (SIGTERM received): `/readyz` says not ready. */
  draining: boolean;
  /** Engine pools (brokers) and the credentials sealer of service instances. */
  services: ServicesContext;
  /** The local app runtime (absent where a platform runs no apps). */
  apps?: AppsPlatform;
  /** The finalizer of an operation type this platform runs, for work that never started. */
  operationFinalizer?: (type: OperationType) => OperationFinalizer | undefined;
}

type Op<Id extends OperationId> = operations[Id];
type Part<T, K extends string> = T extends { [k in K]?: infer X } ? NonNullable<X> : never;
type BodyOf<Id extends OperationId> =
  Op<Id> extends {
    requestBody?: { content: { 'application/json': infer B } };
  }
    ? B
    : unknown;

/** The request of one operation, typed from the contract (already validated against it). */
export type OperationRequest<Id extends OperationId> = FastifyRequest<{
  Params: Part<Op<Id>['parameters'], 'path'>;
  Querystring: Part<Op<Id>['parameters'], 'query'>;
  Body: BodyOf<Id>;
}>;

/**
 * Handles one contract operation. It returns the response body (and sets a non-200 status
 * on `reply`), or throws `ProblemError`. Authentication has already run; authorisation is
 * the handler's: it knows which tenant the target belongs to.
 */
export type OperationHandler<Id extends OperationId> = (
  request: OperationRequest<Id>,
  reply: FastifyReply,
  ctx: PlatformContext,
) => unknown;

/** Handlers by operationId; each domain module exports a part. */
export type Handlers = { [Id in OperationId]?: OperationHandler<Id> };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by authentication on every non-public route. */
    principal: Principal | null;
    /** Set when the handler wrote this call's audit event itself (inside its transaction). */
    audited: boolean;
    /** The target to record in the audit event when the handler does not write it. */
    auditTarget: { type: string; id: string } | null;
    /** The tenant to record in the audit event. */
    auditTenantId: string | null;
    /** The problem `code` this request was answered with, recorded as the audit reason. */
    problemCode: string | null;
  }
  interface FastifyContextConfig {
    operationId?: OperationId;
  }
}

/** The principal of an authenticated request (routes other than health have one). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route reached without authentication');
  return request.principal;
}
