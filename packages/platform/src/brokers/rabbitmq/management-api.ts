import { EngineUnavailableError } from '../broker';

/**
 * A small client of the RabbitMQ management HTTP API. The admin credentials come from the
 * URL's user info and travel only in the Authorization header; errors name the method and
 * path (vhost and user names, never a password).
 */
export class ManagementApi {
  readonly #base: string;
  readonly #authorization: string;
  readonly #timeoutMs: number;

  constructor(managementUrl: string, timeoutMs = 10_000) {
    const url = new URL(managementUrl);
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    url.username = '';
    url.password = '';
    this.#base = `${url.origin}${url.pathname.replace(/\/$/, '')}/api`;
    this.#authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    this.#timeoutMs = timeoutMs;
  }

  /** GET that answers `undefined` for 404 (a vhost or user already gone). */
  async get<T>(path: string): Promise<T | undefined> {
    const response = await this.#send('GET', path);
    if (response.status === 404) return undefined;
    return (await response.json()) as T;
  }

  /** `secret`: the body carries a password, so the server's reply is not quoted in errors. */
  async put(path: string, body: unknown, secret = false): Promise<void> {
    await this.#send('PUT', path, body, {}, secret);
  }

  /** DELETE that treats 404 as done: deleting is idempotent. */
  async delete(path: string, reason?: string): Promise<void> {
    await this.#send('DELETE', path, undefined, reason ? { 'x-reason': reason } : {});
  }

  async #send(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    secret = false,
  ): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.#base}${path}`, {
        method,
        headers: {
          authorization: this.#authorization,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new EngineUnavailableError(
        `RabbitMQ 管理接口不可用 · RabbitMQ management API is unavailable (${cause})`,
      );
    }
    if (response.ok || response.status === 404) return response;
    // Drain the body so the connection is reused; quote it unless it might echo a password.
    const text = await response.text();
    const detail = secret ? '' : text.slice(0, 200);
    if (response.status === 401) {
      throw new EngineUnavailableError(
        'RabbitMQ 拒绝了管理员凭据 · RabbitMQ refused the admin credentials',
      );
    }
    if (response.status >= 500) {
      throw new EngineUnavailableError(
        `RabbitMQ 管理接口出错 · RabbitMQ management API failed: ${method} ${path} ${response.status}`,
      );
    }
    throw new Error(
      `RabbitMQ 拒绝了请求 · RabbitMQ refused ${method} ${path}: ${response.status} ${detail}`,
    );
  }
}
