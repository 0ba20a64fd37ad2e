import { type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import { type ClientOrigin, clientOrigin } from '../http/client-address';
import { newRequestId } from '../http/request-id';
import { downstreamHeaders, upstreamHeaders } from './forward-headers';
import type { LogStore } from './logs';
import { writeProblem } from './proxy-problem';
import { RequestRate } from './request-rate';
import { isAppRequest, matchRoute, type RouteTarget } from './route-match';
import { addressKey, UpstreamPools } from './upstream-pools';

/** A replica the router may send requests to. */
export interface Backend {
  /** The replica id (what draining is tracked by). */
  id: string;
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface AppRouterOptions {
  /** Host routing suffix: `<app>.<tenant>.<baseDomain>` (default `localhost`). */
  baseDomain?: string;
  /** Sliding window of `stats().requestsPerSecond` (default 30 s). */
  rateWindowSeconds?: number;
  /** Upstream error lines (`source: router`) go to the app's log. */
  logs?: Pick<LogStore, 'append'>;
  /** Connections kept open to each replica (default 256). */
  maxSocketsPerBackend?: number;
  /** Proxies whose forwarding headers are believed (`ZW_TRUST_PROXY`; default none). */
  trustedProxies?: readonly string[];
}

export interface AppTraffic {
  /** Requests per second over the sliding window. */
  requestsPerSecond: number;
  /** Requests being served right now. */
  inFlight: number;
}

interface RoutedApp {
  appId: string | undefined;
  backends: readonly Backend[];
  next: number;
  rate: RequestRate;
  inFlight: number;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,200}$/;
const RETRYABLE = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Failures before the app saw the request (or with a socket it had closed): safe to send again. */
const CONNECTION_ERRORS = new Set(['UND_ERR_SOCKET', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE']);
const key = (tenant: string, app: string) => `${tenant}/${app}`;

/**
 * The app router on the platform's port: `<app>.<tenant>.localhost` and
 * `/apps/<tenant>/<app>/…` to the ready replicas of the app's routed process, round-robin,
 * over keep-alive connections. The orchestrator swaps an app's backends atomically
 * (`setBackends`); a replica taken out keeps serving what it already has (`waitDrained`).
 */
export class AppRouter {
  private readonly apps = new Map<string, RoutedApp>();
  private readonly inFlightByBackend = new Map<string, number>();
  private readonly drainWaiters = new Map<string, Set<() => void>>();
  private readonly suffix: string;
  private readonly pools: UpstreamPools;
  private readonly origin: (req: IncomingMessage) => ClientOrigin;

  constructor(private readonly options: AppRouterOptions = {}) {
    this.suffix = `.${options.baseDomain ?? 'localhost'}`;
    this.origin = clientOrigin(options.trustedProxies ?? []);
    this.pools = new UpstreamPools(options.maxSocketsPerBackend ?? 256);
  }

  /** Whether a raw request is for an app (cheap: meant to run before Fastify on every request). */
  matches(req: IncomingMessage): boolean {
    return isAppRequest(req, this.suffix);
  }

  /**
   * Registers an app (if new) and replaces its backends at once. An app with no backends
   * answers 503; an app never registered (or removed) answers 404. An address held by
   * another app (`appId`) is not taken over: that throws.
   */
  setBackends(
    tenant: string,
    app: string,
    backends: readonly Backend[],
    options: { appId?: string } = {},
  ): void {
    const routed = this.apps.get(key(tenant, app));
    if (routed?.appId && options.appId && routed.appId !== options.appId) {
      throw new Error(
        `应用地址已被占用 · The address of ${app}.${tenant} belongs to app ${routed.appId}`,
      );
    }
    const copy = Object.freeze(backends.map((b) => ({ ...b })));
    if (routed) {
      routed.backends = copy;
      if (options.appId) routed.appId = options.appId;
    } else {
      this.apps.set(key(tenant, app), {
        appId: options.appId,
        backends: copy,
        next: 0,
        rate: new RequestRate(this.options.rateWindowSeconds),
        inFlight: 0,
      });
    }
    this.closeUnusedPools();
  }

  /** The app is gone: its URLs answer 404 (given `appId`, only if the address is that app's). */
  removeApp(tenant: string, app: string, appId?: string): void {
    const routed = this.apps.get(key(tenant, app));
    if (appId && routed?.appId && routed.appId !== appId) return;
    this.apps.delete(key(tenant, app));
    this.closeUnusedPools();
  }

  /** Connections to replicas no app routes to any more close once their requests are done. */
  private closeUnusedPools(): void {
    const live = new Set<string>();
    for (const routed of this.apps.values()) {
      for (const backend of routed.backends) live.add(addressKey(backend));
    }
    this.pools.retain(live);
  }

  backends(tenant: string, app: string): readonly Backend[] {
    return this.apps.get(key(tenant, app))?.backends ?? [];
  }

  /** Traffic of an app for the autoscaler; undefined for an unknown app. */
  stats(tenant: string, app: string): AppTraffic | undefined {
    const routed = this.apps.get(key(tenant, app));
    return routed && { requestsPerSecond: routed.rate.perSecond(), inFlight: routed.inFlight };
  }

  /** Requests a backend is serving now (also after it was taken out of the backends). */
  inFlight(backendId: string): number {
    return this.inFlightByBackend.get(backendId) ?? 0;
  }

  /** Resolves true once the backend serves no request, false after `timeoutMs`. */
  waitDrained(backendId: string, timeoutMs: number): Promise<boolean> {
    if (this.inFlight(backendId) === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiters = this.drainWaiters.get(backendId) ?? new Set();
      this.drainWaiters.set(backendId, waiters);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        waiters.delete(done);
        resolve(false);
      }, timeoutMs);
      waiters.add(done);
    });
  }

  /** Serves a request `matches` accepted. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : newRequestId();
    const target = matchRoute(req, this.suffix);
    const routed = target && this.apps.get(key(target.tenant, target.app));
    const instance = (req.url ?? '/').split('?')[0]!;
    if (!target || !routed) {
      req.resume();
      writeProblem(res, 'not_found', '应用不存在 · App not found', instance, requestId);
      return;
    }
    if (target.redirect) {
      req.resume();
      res.writeHead(308, { location: target.redirect, 'x-request-id': requestId });
      res.end();
      return;
    }
    routed.rate.hit();
    this.forward(req, res, target, routed, requestId, instance);
  }

  /** The next backend round-robin; `avoid` (one that just failed) only if it is the only one. */
  private pick(routed: RoutedApp, avoid?: string): Backend | undefined {
    const { backends } = routed;
    if (backends.length === 0) return undefined;
    routed.next = (routed.next + 1) % backends.length;
    if (backends[routed.next]!.id === avoid && backends.length > 1) {
      routed.next = (routed.next + 1) % backends.length;
    }
    return backends[routed.next];
  }

  private forward(
    req: IncomingMessage,
    res: ServerResponse,
    target: RouteTarget,
    routed: RoutedApp,
    requestId: string,
    instance: string,
    /** Set on the one retry: the backend that failed the first attempt. */
    failedBackend?: string,
  ): void {
    const backend = this.pick(routed, failedBackend);
    if (!backend) {
      req.resume();
      writeProblem(
        res,
        'unavailable',
        '应用暂无就绪的副本 · The app has no ready replica',
        instance,
        requestId,
        { 'retry-after': '5' },
      );
      return;
    }
    const release = this.track(routed, backend.id);
    const hasBody = !noBody(req);
    const exchange = new Exchange(res, requestId, release, (error) => {
      release();
      // Nothing reached the app, or it closed a kept-alive socket as it was reused: once more,
      // on the next replica.
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (
        failedBackend === undefined &&
        !hasBody &&
        RETRYABLE.has(req.method ?? '') &&
        CONNECTION_ERRORS.has(code)
      ) {
        this.forward(req, res, target, routed, requestId, instance, backend.id);
        return;
      }
      this.log(routed, `${req.method} ${instance} → ${backend.id}: ${code || error.message}`);
      writeProblem(
        res,
        'bad_gateway',
        '应用没有正常响应 · The app did not answer properly',
        instance,
        requestId,
      );
    });
    res.on('close', exchange.clientClosed);
    this.pools.get(backend).dispatch(
      {
        method: (req.method ?? 'GET') as Dispatcher.HttpMethod,
        path: target.path,
        headers: upstreamHeaders(req, target.prefix, requestId, this.origin(req)),
        body: hasBody ? req : null,
      },
      exchange,
    );
    if (!hasBody) req.resume();
  }

  /** Counts a request in flight; the returned function (idempotent) ends it. */
  private track(routed: RoutedApp, backendId: string): () => void {
    routed.inFlight++;
    this.inFlightByBackend.set(backendId, this.inFlight(backendId) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      routed.inFlight--;
      const left = this.inFlight(backendId) - 1;
      if (left > 0) {
        this.inFlightByBackend.set(backendId, left);
        return;
      }
      this.inFlightByBackend.delete(backendId);
      const waiters = this.drainWaiters.get(backendId);
      this.drainWaiters.delete(backendId);
      for (const done of waiters ?? []) done();
    };
  }

  /** WebSocket (and other) upgrades: a raw tunnel to one backend once it agreed. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const target = matchRoute(req, this.suffix);
    const routed = target && this.apps.get(key(target.tenant, target.app));
    const backend = routed && this.pick(routed);
    if (!target || !routed || !backend || target.redirect) {
      const status = !routed ? '404 Not Found' : '503 Service Unavailable';
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    routed.rate.hit();
    const requestId = newRequestId();
    const upstream = request({
      host: backend.host ?? '127.0.0.1',
      port: backend.port,
      method: req.method,
      path: target.path,
      headers: upstreamHeaders(req, target.prefix, requestId, this.origin(req), true),
    });
    upstream.on('upgrade', (answer, upstreamSocket, upstreamHead) => {
      let head101 = `HTTP/1.1 101 Switching Protocols\r\n`;
      for (let i = 0; i < answer.rawHeaders.length; i += 2) {
        head101 += `${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}\r\n`;
      }
      socket.write(`${head101}\r\n`);
      if (upstreamHead.length) socket.write(upstreamHead);
      if (head.length) upstreamSocket.write(head);
      upstreamSocket.on('error', () => socket.destroy());
      socket.on('close', () => upstreamSocket.destroy());
      upstreamSocket.on('close', () => socket.destroy());
      upstreamSocket.pipe(socket).pipe(upstreamSocket);
    });
    upstream.on('response', (answer) => {
      // The app refused the upgrade: relay its answer and close. The body arrives decoded,
      // so `Transfer-Encoding` goes (with the other per-hop headers) and the close ends it.
      let text = `HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}\r\n`;
      for (const [name, value] of Object.entries(downstreamHeaders(answer.headers))) {
        if (value === undefined) continue;
        for (const one of Array.isArray(value) ? value : [value]) text += `${name}: ${one}\r\n`;
      }
      socket.write(`${text}connection: close\r\n\r\n`);
      answer.pipe(socket);
    });
    upstream.on('error', () =>
      socket.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\ncontent-length: 0\r\n\r\n'),
    );
    upstream.end();
  }

  /** Closes the connections to replicas (platform shutdown). */
  close(): Promise<void> {
    return this.pools.destroy();
  }

  private log(routed: RoutedApp, message: string): void {
    if (!routed.appId || !this.options.logs) return;
    this.options.logs.append({
      appId: routed.appId,
      releaseId: null,
      process: 'router',
      replica: null,
      source: 'router',
      stream: 'system',
      message,
    });
  }
}

/** A request without a body: nothing to stream, so it can be replayed on another socket. */
function noBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined;
}

/**
 * One request relayed to a replica: the app's answer streams to the client with
 * backpressure, and a client that leaves aborts the upstream request.
 */
class Exchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private answered = false;
  private done = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly requestId: string,
    private readonly release: () => void,
    /** The app gave no answer: retry or answer 502 (nothing was sent to the client yet). */
    private readonly failed: (error: Error) => void,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.res.destroyed) controller.abort(new Error('client closed the connection'));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    if (statusCode < 200) return; // 1xx hints are not relayed
    this.answered = true;
    const out = downstreamHeaders(headers);
    out['x-request-id'] ??= this.requestId;
    this.res.writeHead(statusCode, out);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.res.write(chunk)) return;
    controller.pause();
    this.res.once('drain', () => controller.resume());
  }

  onResponseEnd(): void {
    this.done = true;
    this.res.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.done) return;
    this.done = true;
    if (this.answered || this.res.destroyed) this.res.destroy();
    else this.failed(error);
  }

  /** The response finished or the client left: the request no longer counts as in flight. */
  readonly clientClosed = (): void => {
    this.release();
    if (this.done) return;
    this.done = true;
    this.controller?.abort(new Error('client closed the connection'));
  };
}
