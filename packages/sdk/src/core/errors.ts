/**
 * The SDK's error hierarchy. Every failure the SDK raises is a `ZhengwuError`; every failure
 * that concerns an HTTP exchange is an `APIError`, with one subclass per status the
 * platform uses, so callers can write `if (err instanceof NotFoundError)`.
 *
 * | status            | class                        |
 * | ----------------- | ---------------------------- |
 * | 400               | `BadRequestError`            |
 * | 401               | `AuthenticationError`        |
 * | 403               | `PermissionDeniedError`      |
 * | 404               | `NotFoundError`              |
 * | 409               | `ConflictError`              |
 * | 422               | `UnprocessableEntityError`   |
 * | 429               | `RateLimitError`             |
 * | ≥ 500             | `InternalServerError`        |
 * | other             | `APIError`                   |
 * | no response       | `APIConnectionError`         |
 * | attempt timed out | `APIConnectionTimeoutError`  |
 * | caller aborted    | `APIUserAbortError`          |
 */

/** An RFC 9457 problem document as the platform sends it (`application/problem+json`). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  /** Stable, machine-readable error code, e.g. `quota_exceeded`. */
  code?: string;
  requestId?: string;
  errors?: { path: string; message: string; code?: string }[];
  [extension: string]: unknown;
}

/** Base class of every error the SDK throws. */
export class ZhengwuError extends Error {
  override name = 'ZhengwuError';
}

/** An HTTP exchange failed: the server answered with an error status, or never answered. */
export class APIError<
  TStatus extends number | undefined = number | undefined,
> extends ZhengwuError {
  override name = 'APIError';
  /** HTTP status, `undefined` when no response arrived. */
  readonly status: TStatus;
  /** The problem document the server sent, when it sent one. */
  readonly problem: Problem | undefined;
  /** The problem's stable `code`, e.g. `not_found`. */
  readonly code: string | undefined;
  /** The request id (`X-Request-Id`), to quote when asking for support. */
  readonly requestId: string | undefined;
  readonly headers: Headers | undefined;

  constructor(
    status: TStatus,
    problem: Problem | undefined,
    headers: Headers | undefined,
    message?: string,
    options?: { cause?: unknown },
  ) {
    const requestId = headers?.get('x-request-id') ?? problem?.requestId;
    super(
      message ??
        `${status}${problem?.code ? ` ${problem.code}` : ''}: ${problem?.detail ?? problem?.title ?? 'request failed'}${requestId ? ` (request ${requestId})` : ''}`,
      options,
    );
    this.status = status;
    this.problem = problem;
    this.code = problem?.code;
    this.requestId = requestId ?? undefined;
    this.headers = headers;
  }

  /** Builds the error subclass that matches `status`. */
  static generate(
    status: number,
    problem: Problem | undefined,
    headers: Headers,
  ): APIError<number> {
    const Class = status >= 500 ? InternalServerError : (byStatus[status] ?? APIError);
    return new Class(status, problem, headers);
  }
}

export class BadRequestError extends APIError<400> {
  override name = 'BadRequestError';
}
export class AuthenticationError extends APIError<401> {
  override name = 'AuthenticationError';
}
export class PermissionDeniedError extends APIError<403> {
  override name = 'PermissionDeniedError';
}
export class NotFoundError extends APIError<404> {
  override name = 'NotFoundError';
}
export class ConflictError extends APIError<409> {
  override name = 'ConflictError';
}
export class UnprocessableEntityError extends APIError<422> {
  override name = 'UnprocessableEntityError';
}
export class RateLimitError extends APIError<429> {
  override name = 'RateLimitError';
}
export class InternalServerError extends APIError<number> {
  override name = 'InternalServerError';
}

const byStatus: Record<
  number,
  new (
    status: number,
    problem: Problem | undefined,
    headers: Headers,
  ) => APIError<number>
> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
} as never;

/** No response arrived: DNS, refused connection, reset, TLS failure… */
export class APIConnectionError extends APIError<undefined> {
  override name = 'APIConnectionError';
  constructor(message = 'Connection error', options?: { cause?: unknown }) {
    super(undefined, undefined, undefined, message, options);
  }
}

/** An attempt took longer than the `timeout` option (after all retries). */
export class APIConnectionTimeoutError extends APIConnectionError {
  override name = 'APIConnectionTimeoutError';
}

/** The caller's `signal` aborted the request. */
export class APIUserAbortError extends APIError<undefined> {
  override name = 'APIUserAbortError';
  constructor(options?: { cause?: unknown }) {
    super(undefined, undefined, undefined, 'Request was aborted', options);
  }
}
