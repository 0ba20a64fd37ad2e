import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  type Problem,
  ZhengwuError,
} from './errors';
import { retryDelay, shouldRetry, sleep } from './retry';
import type { Middleware, RawClient, RequestInit as ZhengwuRequestInit } from './types';
import { VERSION } from './version';

export interface ClientOptions {
  /** Platform URL. Default: `ZHENGWU_URL`, else `http://127.0.0.1:7070`. */
  baseUrl?: string | undefined;
  /** API token (`zw_…`) or OIDC access token. Default: `ZHENGWU_TOKEN`. */
  token?: string | null | undefined;
  /** Retries after the first attempt, on connection errors, 408, 409, 429 and 5xx. Default 2. */
  maxRetries?: number | undefined;
  /**
   * Milliseconds one attempt may take before it is aborted and retried. Default 60 000;
   * `0` (or `Infinity`) turns the per-attempt timeout off.
   */
  timeout?: number | undefined;
  /** A `fetch` to use instead of the global one (proxies, mTLS, tests). */
  fetch?: typeof fetch | undefined;
  /** Extra `RequestInit` fields for every request, e.g. an undici `dispatcher`. */
  fetchOptions?: RequestInit | undefined;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string> | undefined;
  /** Identifies the tool built on the SDK in the `User-Agent` (like Stripe's `appInfo`). */
  appInfo?: { name: string; version?: string; url?: string } | undefined;
}

const DEFAULT_URL = 'http://127.0.0.1:7070';
const env = (name: string): string | undefined =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name] ||
  undefined;

/**
 * The transport: authentication, retries with backoff, per-attempt timeouts, idempotency
 * keys, middleware and typed errors, over the contract's generated `paths` types. The
 * resource facade (`Zhengwu`) is built on it; use it alone when you want the smallest
 * bundle, through `client.raw.GET('/v1/…')`.
 *
 * @example
 * const core = new ZhengwuCore({ token: process.env.ZHENGWU_TOKEN });
 * const { data } = await core.raw.GET('/v1/instances/{instanceId}', {
 *   params: { path: { instanceId: 'ins_01hq3x9k2m4n5p6q7r8s9t0v' } },
 * });
 */
export class ZhengwuCore {
  readonly baseUrl: string;
  readonly maxRetries: number;
  readonly timeout: number;
  /** Typed access to every operation of the contract: `raw.GET`, `raw.POST`, … */
  readonly raw: RawClient;
  #fetch: typeof fetch;
  #options: ClientOptions;
  #middleware: Middleware[] = [];
  /** Headers of every request, lower-cased: identification, auth, `defaultHeaders`. */
  #headers: Record<string, string> = {};

  constructor(options: ClientOptions = {}) {
    const baseUrl = options.baseUrl ?? env('ZHENGWU_URL') ?? DEFAULT_URL;
    let url: URL | undefined;
    try {
      url = new URL(baseUrl);
    } catch {}
    if (!url || !/^https?:$/.test(url.protocol)) {
      throw new ZhengwuError(
        `baseUrl 无效 · Invalid baseUrl ${JSON.stringify(baseUrl)}: expected an absolute http(s) URL such as ${DEFAULT_URL} (set the baseUrl option or ZHENGWU_URL)`,
      );
    }
    this.baseUrl = url.href.replace(/\/+$/, '');
    const token = options.token ?? env('ZHENGWU_TOKEN');
    this.maxRetries = options.maxRetries ?? 2;
    this.timeout = options.timeout ?? 60_000;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#options = options;
    const app = options.appInfo;
    this.#headers['x-zhengwu-client'] =
      `zhengwu-sdk/${VERSION}${app ? ` ${app.name}${app.version ? `/${app.version}` : ''}${app.url ? ` (${app.url})` : ''}` : ''}`;
    if (token) this.#headers.authorization = `Bearer ${token}`;
    for (const k in options.defaultHeaders)
      this.#headers[k.toLowerCase()] = options.defaultHeaders[k]!;
    const raw = {} as Record<string, unknown>;
    for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      raw[m] = (path: string, init?: ZhengwuRequestInit) => this.request(m, path, init);
    }
    this.raw = raw as unknown as RawClient;
  }

  /** Adds middleware: `onRequest` runs in order, `onResponse` and `onError` in reverse. */
  use(...middleware: Middleware[]): this {
    this.#middleware.push(...middleware);
    return this;
  }

  /** Removes middleware added with `use`. */
  eject(...middleware: Middleware[]): this {
    this.#middleware = this.#middleware.filter((m) => !middleware.includes(m));
    return this;
  }

  /**
   * Sends one logical request (with its retries) and returns the parsed body and the final
   * `Response`. Error statuses throw the matching `APIError` subclass.
   */
  async request<T = unknown>(
    method: string,
    path: string,
    init: ZhengwuRequestInit = {},
  ): Promise<{ data: T; response: Response }> {
    const { params = {}, body } = init;
    const query = toQuery(params.query);
    const url = this.baseUrl + fillPath(path, params.path) + (query && `?${query}`);
    const headers = { ...this.#headers };
    for (const extra of [params.header, init.headers]) {
      for (const k in extra) if (extra[k] != null) headers[k.toLowerCase()] = String(extra[k]);
    }
    let payload: BodyInit | undefined;
    if (body !== undefined) {
      if (isBodyInit(body)) payload = body;
      else {
        payload = JSON.stringify(body);
        headers['content-type'] = 'application/json';
      }
    }
    // One key per logical call, reused by every retry, so the server applies it once.
    if (method !== 'GET' && !headers['idempotency-key']) {
      headers['idempotency-key'] = init.idempotencyKey ?? newKey();
    }
    const stream = payload instanceof ReadableStream;
    const requestInit = {
      ...this.#options.fetchOptions,
      method,
      headers,
      body: payload ?? null,
      ...(stream && { duplex: 'half' }),
    } as RequestInit;

    // Without middleware, attempts go straight to fetch(url, init): no Request to build and
    // clone per attempt. Middleware (and one-shot stream bodies) need a Request to work on.
    let request: Request | undefined;
    let response: Response | undefined;
    const middleware = this.#middleware;
    const ctx = { method, path };
    if (middleware.length || stream) {
      let req = new Request(url, requestInit);
      for (const m of middleware) {
        const r: void | Request | Response = await m.onRequest?.({ ...ctx, request: req });
        if (r instanceof Response) {
          response = r;
          break;
        }
        if (r) req = r;
      }
      request = req;
    }
    if (!response) {
      try {
        response = await this.#send(request ?? url, requestInit, init);
      } catch (error) {
        let handled: unknown = error;
        for (let i = middleware.length; i--; ) {
          const r: void | Error | Response = await middleware[i]!.onError?.({
            ...ctx,
            request: request!,
            error: handled,
          });
          if (r instanceof Response) {
            response = r;
            break;
          }
          if (r) handled = r;
        }
        if (!response) throw handled;
      }
    }
    for (let i = middleware.length; i--; ) {
      response =
        (await middleware[i]!.onResponse?.({ ...ctx, request: request!, response })) ?? response;
    }
    if (!response.ok) throw await toError(response);
    if (init.parseAs === 'stream') return { data: response as T, response };
    const type = response.headers.get('content-type');
    const data =
      response.status === 204 || response.headers.get('content-length') === '0'
        ? undefined
        : type?.includes('json')
          ? await response.json()
          : await response.text();
    return { data: data as T, response };
  }

  /** The retry loop: one fresh attempt per try, each with its own timeout. */
  async #send(target: Request | string, requestInit: RequestInit, init: ZhengwuRequestInit) {
    const { signal } = init;
    const maxRetries = init.maxRetries ?? this.maxRetries;
    const timeout = init.timeout ?? this.timeout;
    for (let retry = 0; ; retry++) {
      const more = retry < maxRetries;
      if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason });
      // With no timeout and no caller signal nothing can abort the attempt, so skip the
      // AbortController: on Node 20 it is the largest per-call cost of the transport.
      const timed = timeout > 0 && timeout < 2 ** 31;
      const controller = timed || signal ? new AbortController() : undefined;
      const abort = () => controller?.abort(signal?.reason);
      signal?.addEventListener('abort', abort, { once: true });
      const timer = timed ? setTimeout(() => controller?.abort(), timeout) : undefined;
      let response: Response | undefined;
      let failure: unknown;
      try {
        if (typeof target === 'string') {
          const headers = retry
            ? { ...(requestInit.headers as Record<string, string>), 'x-retry-count': String(retry) }
            : requestInit.headers;
          response = await this.#fetch(target, {
            ...requestInit,
            headers,
            signal: controller?.signal ?? null,
          });
        } else {
          // A body can be read once: keep the original for a later attempt. No body, no copy.
          const attempt = more && target.body ? target.clone() : target;
          if (retry) attempt.headers.set('x-retry-count', String(retry));
          response = await this.#fetch(attempt, { signal: controller?.signal ?? null });
        }
      } catch (error) {
        failure = error;
      } finally {
        clearTimeout(timer);
        // One caller signal serves many calls (a waiter's polls): leave no listener behind.
        // Streamed bodies stop on the caller's signal themselves (see `sse.ts`).
        signal?.removeEventListener('abort', abort);
      }
      if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason });
      // A response we return stays linked to the caller's signal, so aborting also stops
      // reading its body (log streams); anything else is unlinked now.
      if (response && !(more && !response.ok && shouldRetry(response))) return response;
      signal?.removeEventListener('abort', abort);
      if (!more) {
        throw controller?.signal.aborted
          ? new APIConnectionTimeoutError(`Request timed out after ${timeout} ms`, {
              cause: failure,
            })
          : new APIConnectionError(
              `Connection error: ${String((failure as Error)?.message ?? failure)}`,
              {
                cause: failure,
              },
            );
      }
      // Release the discarded body's connection; not awaited: some streams never settle.
      response?.body?.cancel().catch(() => {});
      await sleep(retryDelay(retry, response?.headers), signal);
    }
  }
}

/** Serialises query parameters; arrays repeat the key, dates become ISO-8601, nullish is skipped. */
function toQuery(query: Record<string, unknown> = {}): string {
  const parts: string[] = [];
  for (const key in query) {
    const value = query[key];
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v != null) {
        parts.push(
          `${encodeURIComponent(key)}=${encodeURIComponent(v instanceof Date ? v.toISOString() : String(v))}`,
        );
      }
    }
  }
  return parts.join('&');
}

const templates = new Map<string, string[]>();

/** Substitutes `{name}` placeholders, refusing values that would change the path's shape. */
function fillPath(path: string, values: Record<string, unknown> = {}): string {
  // Split once per template: literals at even indexes, parameter names at odd ones.
  let parts = templates.get(path);
  if (!parts) {
    parts = path.split(/\{(\w+)\}/);
    templates.set(path, parts);
  }
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    const v = values[name];
    if ((typeof v !== 'string' && typeof v !== 'number') || v === '' || v === '.' || v === '..') {
      throw new ZhengwuError(
        `Path parameter "${name}" must be a non-empty id, got ${JSON.stringify(v)}`,
      );
    }
    out += encodeURIComponent(v) + parts[i + 1];
  }
  return out;
}

function isBodyInit(body: unknown): body is BodyInit {
  return (
    typeof body === 'string' ||
    body instanceof Blob ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof ReadableStream ||
    body instanceof FormData ||
    body instanceof URLSearchParams
  );
}

function newKey(): string {
  const c = globalThis.crypto;
  // randomUUID exists only in secure contexts in browsers; getRandomValues everywhere.
  return c.randomUUID
    ? c.randomUUID()
    : Array.from(c.getRandomValues(new Uint8Array(16)), (b) =>
        b.toString(16).padStart(2, '0'),
      ).join('');
}

async function toError(response: Response): Promise<APIError> {
  const text = await response.text().catch(() => '');
  let problem: Problem | undefined;
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === 'object') problem = parsed;
  } catch {
    problem = text ? { title: text.slice(0, 500) } : undefined;
  }
  return APIError.generate(response.status, problem, response.headers);
}
