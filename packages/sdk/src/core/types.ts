import type { paths } from '@zhengwu/openapi';

/** Per-call options accepted by every SDK method. */
export interface RequestOptions {
  /** Aborts the call, including waits between retries. */
  signal?: AbortSignal | null | undefined;
  /** Milliseconds per attempt for this call. */
  timeout?: number | undefined;
  /** Retries for this call. */
  maxRetries?: number | undefined;
  /** Your own idempotency key for a mutating call (default: a random UUID per call). */
  idempotencyKey?: string | undefined;
  /** Extra headers for this call. */
  headers?: Record<string, string | undefined> | undefined;
}

/** The untyped request shape the transport understands. */
export interface RequestInit extends RequestOptions {
  params?: {
    path?: Record<string, unknown> | undefined;
    query?: Record<string, unknown> | undefined;
    header?: Record<string, unknown> | undefined;
  };
  body?: unknown;
  /** `stream` returns the `Response` unread (server-sent events, downloads). */
  parseAs?: 'json' | 'stream' | undefined;
}

export interface MiddlewareContext {
  /** Upper-case HTTP method. */
  method: string;
  /** The contract path template, e.g. `/v1/instances/{instanceId}`. */
  path: string;
  request: Request;
}

/**
 * Hooks around each logical call (retries happen inside, between `onRequest` and
 * `onResponse`). `onRequest` may return a new `Request`, or a `Response` to answer without
 * a network call; `onResponse` may return a new `Response`; `onError` may return a
 * `Response` to recover or an `Error` to throw instead.
 */
export interface Middleware {
  onRequest?(
    ctx: MiddlewareContext,
  ): void | Request | Response | Promise<void | Request | Response>;
  onResponse?(
    ctx: MiddlewareContext & { response: Response },
  ): void | Response | Promise<void | Response>;
  onError?(
    ctx: MiddlewareContext & { error: unknown },
  ): void | Error | Response | Promise<void | Error | Response>;
}

// ---- typing the contract's operations -------------------------------------------------

type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';

/** Paths of the contract that define `M`. */
export type PathsWith<M extends Method> = {
  [P in keyof paths]: paths[P] extends Record<M, infer Op>
    ? Op extends object
      ? P
      : never
    : never;
}[keyof paths];

type Params<Op> = Op extends { parameters: infer P } ? P : never;
type Defined<T> = Exclude<T, undefined>;
type Part<P, K extends 'path' | 'query' | 'header'> = P extends { [k in K]?: infer X }
  ? Defined<X>
  : never;
/** `{ K: X }`, optional when X has no required field, absent when the operation has none. */
type Slot<K extends string, X> = [X] extends [never]
  ? unknown
  : object extends X
    ? { [k in K]?: X }
    : { [k in K]: X };
type ParamsOf<Op> = Slot<'path', Part<Params<Op>, 'path'>> &
  Slot<'query', Part<Params<Op>, 'query'>> &
  Slot<'header', Part<Params<Op>, 'header'>>;

/** `params` for an operation: required when it has path parameters or required query. */
type ParamsInit<Op> =
  object extends ParamsOf<Op> ? { params?: ParamsOf<Op> } : { params: ParamsOf<Op> };

type Content<T> = T extends { content: infer C } ? C[keyof C] : never;

/** The request body of an operation, required when the contract says so. */
type BodyInit<Op> = Op extends { requestBody: infer B }
  ? { body: Content<B> }
  : Op extends { requestBody?: infer B }
    ? [B] extends [never]
      ? { body?: never }
      : { body?: Content<Defined<B>> }
    : { body?: never };

/** The success body of an operation (its 2xx response). */
export type SuccessBody<Op> = Op extends { responses: infer R }
  ? {
      [S in keyof R]: S extends 200 | 201 | 202 | 203 | 204 | 206
        ? R[S] extends { content: infer C }
          ? C[keyof C]
          : undefined
        : never;
    }[keyof R]
  : never;

export type OperationInit<Op> = Omit<RequestInit, 'params' | 'body'> &
  ParamsInit<Op> &
  BodyInit<Op>;

type Args<Op> =
  object extends OperationInit<Op> ? [init?: OperationInit<Op>] : [init: OperationInit<Op>];

type Call<M extends Method> = <P extends PathsWith<M>>(
  path: P,
  ...init: Args<paths[P][M & keyof paths[P]]>
) => Promise<{ data: SuccessBody<paths[P][M & keyof paths[P]]>; response: Response }>;

/** The raw, fully typed transport: one function per HTTP method, keyed by contract path. */
export interface RawClient {
  GET: Call<'get'>;
  POST: Call<'post'>;
  PUT: Call<'put'>;
  PATCH: Call<'patch'>;
  DELETE: Call<'delete'>;
}
