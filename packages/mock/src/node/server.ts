/**
 * `startMockServer`: the mock platform behind a real `node:http` server, for tools that
 * can't use msw in-process (another language, a browser app, a CLI under test). Each
 * request becomes a fetch `Request`, answered by msw's `getResponse` over the platform's
 * handlers; bodies stream back, so followed log streams (SSE) stay open.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse } from 'msw';
import { createMockPlatform, type MockPlatform, type MockPlatformOptions } from '../platform';

export interface MockServerOptions extends Omit<MockPlatformOptions, 'baseUrl'> {
  /** Port to listen on; 0 picks a free one. Default 7070. */
  port?: number;
  /** Address to listen on. Default `127.0.0.1` (loopback only). */
  host?: string;
}

export interface MockServer {
  /** `http://127.0.0.1:<port>`: the SDK's `baseUrl`. */
  url: string;
  /** The platform behind the server (its `token`, `state`, `faults` …). */
  platform: MockPlatform;
  /** Stops listening and ends open connections (log streams included). */
  close(): Promise<void>;
}

const CORS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers':
    'X-Request-Id, Idempotency-Replayed, Location, Retry-After, WWW-Authenticate',
};

function urlHost(address: AddressInfo): string {
  if (address.address === '0.0.0.0') return '127.0.0.1';
  if (address.address === '::') return '[::1]';
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

async function respond(
  platform: MockPlatform,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = req.method ?? 'GET';
  if (method === 'OPTIONS') {
    res.writeHead(204, {
      ...CORS,
      'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
      'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
      'access-control-max-age': '600',
    });
    res.end();
    return;
  }
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  // The audit log records the client's address; a client can't choose it.
  headers.set('x-forwarded-for', req.socket.remoteAddress ?? '127.0.0.1');
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    body = new Uint8Array(Buffer.concat(chunks));
  }
  const path = (req.url ?? '/').replace(/^[a-z]+:\/\/[^/]*/i, '');
  const request = new Request(`${platform.baseUrl}${path.startsWith('/') ? path : `/${path}`}`, {
    method,
    headers,
    body: body && body.length > 0 ? body : undefined,
    signal: controller.signal,
  });
  // The platform's last handler answers every unknown route with a 404 problem.
  const response = await getResponse([...platform.handlers], request);
  if (!response || response.type === 'error') {
    req.socket.destroy();
    return;
  }
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(CORS)) res.setHeader(name, value);
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.flushHeaders();
  if (!response.body || method === 'HEAD') {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  res.on('close', () => void reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
  } catch {
    // The client went away; the stream was canceled.
  } finally {
    res.end();
  }
}

/**
 * Starts the mock platform on a local HTTP server.
 *
 * @example
 * const mock = await startMockServer({ port: 0 });
 * const client = new Zhengwu({ baseUrl: mock.url, token: mock.platform.token });
 * // …
 * await mock.close();
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { port = 7070, host = '127.0.0.1', ...platformOptions } = options;
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://${urlHost(server.address() as AddressInfo)}:${(server.address() as AddressInfo).port}`;
  const platform = createMockPlatform({ ...platformOptions, baseUrl: url });
  server.on('request', (req, res) => {
    respond(platform, req, res).catch((error: unknown) => {
      console.error('[@zhengwu/mock] server error:', error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  let closing: Promise<void> | undefined;
  return {
    url,
    platform,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
