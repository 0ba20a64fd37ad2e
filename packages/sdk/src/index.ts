export type { components, operations, paths, Schemas } from '@zhengwu/openapi';
export { type ClientOptions, ZhengwuCore } from './core/client';
export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  type Problem,
  RateLimitError,
  UnprocessableEntityError,
  ZhengwuError,
} from './core/errors';
export { type Page, PagePromise } from './core/pagination';
export type {
  BindingCreateParams,
  BindingCredentialsOf,
  BindingParamsOf,
  CredentialsOf,
  InstanceCreateParams,
  InstanceUpdateParams,
  PlanIdOf,
  ProvisionParamsOf,
  ServiceId,
  UpdateParamsOf,
} from './core/service-types';
export type {
  Middleware,
  MiddlewareContext,
  OperationInit,
  PathsWith,
  RawClient,
  RequestOptions,
  SuccessBody,
} from './core/types';
export { VERSION } from './core/version';
export {
  type WaitDecision,
  WaiterFailureError,
  type WaiterOptions,
  WaiterTimeoutError,
  waitFor,
} from './core/waiter';
export { Apps } from './resources/apps';
export { AuditEvents } from './resources/audit-events';
export { Bindings } from './resources/bindings';
export { Catalog, CatalogPlans, CatalogServices } from './resources/catalog';
export { Health } from './resources/health';
export { Instances } from './resources/instances';
export { Logs } from './resources/logs';
export { Members } from './resources/members';
export { Operations } from './resources/operations';
export { type DeployParams, Releases, type SourceArchive } from './resources/releases';
export { Scaling } from './resources/scaling';
export { Schedules } from './resources/schedules';
export { Tenants } from './resources/tenants';
export { Tokens } from './resources/tokens';
export { Zhengwu } from './zhengwu';
