import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogStore } from '../../src/runtime/logs';
import type { Replica } from '../../src/runtime/replica';
import { AppRouter, type Backend } from '../../src/runtime/router';
import { routingServerFactory } from '../../src/runtime/server';
import { Supervisor } from '../../src/runtime/supervisor';
import type { ReplicaSpec } from '../../src/runtime/types';
import { type Fixture, fixtureDir } from './fixtures';

let fixture: Fixture;
let runDir: string;
let supervisor: Supervisor;
let router: AppRouter;
let app: FastifyInstance;
let port: number;
const logs = new LogStore();

const spec = (releaseId: string, index: number): ReplicaSpec => ({
  appId: 'app_shop',
  tenantId: 'ten_fin',
  releaseId,
  process: 'web',
  index,
  cwd: fixture.dir,
  command: 'exec node app.mjs',
  env: {},
  readiness: { path: '/readyz' },
});
const backendOf = (r: Replica): Backend => ({ id: r.id, port: r.port! });

async function startRelease(releaseId: string, count: number): Promise<Replica[]> {
  const replicas = Array.from({ length: count }, (_, i) => supervisor.start(spec(releaseId, i)));
  await Promise.all(replicas.map((r) => supervisor.waitReady(r, 15_000)));
  return replicas;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request to the platform port with any Host header. */
function call(
  path: string,
  options: { host?: string; method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
interface Seen {
  replica: string;
  release: string;
  url: string;
  headers: Record<string, string | undefined>;
  [key: string]: unknown;
}
const json = (a: Answer) => JSON.parse(a.text) as Seen;

let release1: Replica[];

beforeAll(async () => {
  fixture = await fixtureDir();
  runDir = await mkdtemp(join(tmpdir(), 'zw-run-'));
  supervisor = new Supervisor({ runDir, logs, sampleIntervalMs: 0, startupProbeMs: 50 });
  router = new AppRouter({ logs, rateWindowSeconds: 2 });
  app = Fastify({ serverFactory: routingServerFactory(router) });
  app.get('/v1/ping', async () => ({ pong: true }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
  release1 = await startRelease('rel_1', 3);
  router.setBackends('fin', 'shop', release1.map(backendOf), { appId: 'app_shop' });
}, 30_000);

afterAll(async () => {
  await app?.close();
  router?.close();
  await supervisor?.stopAll({ graceMs: 1_000 });
  await fixture?.cleanup();
  await rm(runDir, { recursive: true, force: true });
});

describe('AppRouter', () => {
  it('leaves non-app requests to Fastify', async () => {
    const answer = await call('/v1/ping');
    expect(json(answer)).toEqual({ pong: true });
  });

  it('routes by host <app>.<tenant>.localhost, path untouched, forwarding headers set', async () => {
    const answer = await call('/items?x=1', {
      host: `shop.fin.localhost:${port}`,
      headers: {
        'x-forwarded-for': '6.6.6.6',
        'x-request-id': 'req_given',
        'x-forwarded-prefix': '/evil',
        'x-real-ip': '6.6.6.6',
        x_forwarded_for: '6.6.6.6',
        'x-forwarded-port': '1',
      },
    });
    expect(answer.status).toBe(200);
    const seen = json(answer);
    expect(seen.url).toBe('/items?x=1');
    expect(seen.headers['x-forwarded-host']).toBe(`shop.fin.localhost:${port}`);
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    // The router is the edge: forged forwarding headers are replaced, not trusted.
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen.headers['x-forwarded-prefix']).toBeUndefined();
    expect(seen.headers['x-real-ip']).toBe('127.0.0.1');
    expect(seen.headers.x_forwarded_for).toBeUndefined();
    expect(seen.headers['x-forwarded-port']).toBe(String(port));
    expect(seen.headers['x-request-id']).toBe('req_given');
    expect(answer.headers['x-request-id']).toBe('req_given');
    expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  it('routes by path /apps/<tenant>/<app>/, stripping the prefix', async () => {
    const answer = await call('/apps/fin/shop/api/items?q=%E4%B8%AD');
    const seen = json(answer);
    expect(seen.url).toBe('/api/items?q=%E4%B8%AD');
    expect(seen.headers['x-forwarded-prefix']).toBe('/apps/fin/shop');
    expect(seen.headers['x-request-id']).toMatch(/^req_[0-9A-Za-z]{20}$/);
    // Without the trailing slash, relative URLs would break: redirect.
    const bare = await call('/apps/fin/shop?x=1');
    expect(bare.status).toBe(308);
    expect(bare.headers.location).toBe('/apps/fin/shop/?x=1');
  });

  it('answers 404 for an unknown app and 503 when no replica is ready (problem+json, bilingual)', async () => {
    const unknown = await call('/apps/fin/nope/');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toBe('application/problem+json');
    expect(json(unknown)).toMatchObject({
      status: 404,
      code: 'not_found',
      detail: '应用不存在 · App not found',
      instance: '/apps/fin/nope/',
    });
    expect((await call('/', { host: 'nope.fin.localhost' })).status).toBe(404);
    router.setBackends('fin', 'empty', []);
    const empty = await call('/apps/fin/empty/');
    expect(empty.status).toBe(503);
    expect(empty.headers['retry-after']).toBe('5');
    expect(json(empty)).toMatchObject({ code: 'unavailable', status: 503 });
    expect(json(empty).detail).toMatch(/^应用暂无就绪的副本 · /);
  });

  it('never hands an address held by one app to another, nor drops it for that other app', async () => {
    expect(() =>
      router.setBackends('fin', 'shop', [{ id: 'intruder', port: 1 }], { appId: 'app_other' }),
    ).toThrow(/belongs to app app_shop/);
    router.removeApp('fin', 'shop', 'app_other');
    expect(router.backends('fin', 'shop').map((b) => b.id)).toEqual(release1.map((r) => r.id));
    expect((await call('/', { host: 'shop.fin.localhost' })).status).toBe(200);
  });

  it('answers 502 when the backend does not answer, and logs it as router', async () => {
    router.setBackends('fin', 'dead', [{ id: 'gone', port: 1 }], { appId: 'app_shop' });
    const answer = await call('/apps/fin/dead/x');
    expect(answer.status).toBe(502);
    expect(json(answer)).toMatchObject({ code: 'bad_gateway', status: 502 });
    const line = logs.read({ appId: 'app_shop', source: 'router' }).at(-1)!;
    expect(line.entry.message).toContain('ECONNREFUSED');
  });

  it('sends a GET that meets a dead replica once more, to the next one; never a request with a body', async () => {
    const live = release1[0]!;
    router.setBackends('fin', 'half', [{ id: 'gone', port: 1 }, backendOf(live)]);
    const gets = await Promise.all(Array.from({ length: 6 }, () => call('/apps/fin/half/')));
    expect(gets.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const posts: number[] = [];
    for (let i = 0; i < 4; i++) {
      posts.push(
        (await call('/apps/fin/half/echo', { method: 'POST', body: Buffer.from('x') })).status,
      );
    }
    expect(posts.sort()).toEqual([200, 200, 502, 502]);
    router.removeApp('fin', 'half');
  });

  it('answers `Expect: 100-continue` itself and relays the body', async () => {
    const answer = await call('/apps/fin/shop/echo', {
      method: 'POST',
      body: Buffer.from('承诺件 · promised'),
      headers: { expect: '100-continue' },
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('承诺件 · promised');
  });

  it('aborts the request to the app when the client leaves, and skips 1xx hints', async () => {
    let upstreamClosed: (finished: boolean) => void = () => {};
    const closed = new Promise<boolean>((resolve) => {
      upstreamClosed = resolve;
    });
    const backend = createServer((req, res) => {
      if (req.url === '/hint') {
        res.writeEarlyHints({ link: '</app.css>; rel=preload; as=style' });
        res.end('after the hint');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      res.on('close', () => upstreamClosed(res.writableFinished));
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const backendPort = (backend.address() as { port: number }).port;
    router.setBackends('fin', 'stream', [{ id: 'stream-0', port: backendPort }]);
    try {
      const hinted = await call('/apps/fin/stream/hint');
      expect(hinted.status).toBe(200);
      expect(hinted.text).toBe('after the hint');

      const firstEvent = await new Promise<string>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/apps/fin/stream/events' }, (res) => {
          res.once('data', (chunk: Buffer) => {
            resolve(chunk.toString());
            req.destroy();
          });
        });
        req.on('error', () => {});
        req.end();
        setTimeout(() => reject(new Error('no event through the router')), 5_000);
      });
      expect(firstEvent).toBe('data: first\n\n');
      // The app's response is abandoned (closed before it finished), and nothing is in flight.
      expect(await closed).toBe(false);
      expect(router.inFlight('stream-0')).toBe(0);
    } finally {
      router.removeApp('fin', 'stream');
      await new Promise((resolve) => backend.close(resolve));
    }
  });

  it('spreads requests round-robin over the 3 ready replicas', async () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 30; i++) {
      const replica = json(await call('/apps/fin/shop/')).replica as string;
      counts.set(replica, (counts.get(replica) ?? 0) + 1);
    }
    expect([...counts.entries()].sort()).toEqual([
      ['0', 10],
      ['1', 10],
      ['2', 10],
    ]);
  });

  it('streams request and response bodies', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024, 'abc');
    const answer = await call('/apps/fin/shop/echo', {
      method: 'POST',
      body,
      headers: { 'transfer-encoding': 'chunked' },
    });
    expect(answer.status).toBe(200);
    expect(answer.text.length).toBe(body.length);
    expect(answer.text === body.toString()).toBe(true);
  });

  it('tunnels websocket-style upgrades', async () => {
    const echoed = await new Promise<{ url: string; text: string }>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port,
        path: '/apps/fin/shop/ws',
        headers: { connection: 'upgrade', upgrade: 'echo' },
      });
      req.on('upgrade', (res, socket) => {
        socket.write('hello through the router');
        socket.once('data', (data) => {
          resolve({ url: res.headers['x-seen-url'] as string, text: data.toString() });
          socket.destroy();
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(echoed).toEqual({ url: '/ws', text: 'hello through the router' });
  });

  it('relays an upgrade the app refuses with framing that matches the body', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(
          'GET /apps/fin/shop/ws-refused HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: echo\r\n\r\n',
        ),
      );
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(head).not.toMatch(/transfer-encoding/i);
    expect(head).toMatch(/\r\nconnection: close$/);
    expect(body).toBe('refused');
  });

  it('counts requests per second over the window', async () => {
    for (let i = 0; i < 20; i++) await call('/apps/fin/shop/');
    // The current second is not counted yet: wait into the next one.
    await new Promise((r) => setTimeout(r, 1_000));
    const stats = router.stats('fin', 'shop')!;
    expect(stats.requestsPerSecond).toBeGreaterThanOrEqual(10);
    expect(stats.inFlight).toBe(0);
    expect(router.stats('fin', 'nope')).toBeUndefined();
  });

  it('a replica taken out keeps serving its in-flight request (drain)', async () => {
    const [first, ...others] = release1;
    router.setBackends('fin', 'shop', [backendOf(first!)], { appId: 'app_shop' });
    const slow = call('/apps/fin/shop/?wait=600');
    await new Promise((r) => setTimeout(r, 100));
    expect(router.inFlight(first!.id)).toBe(1);
    router.setBackends('fin', 'shop', others.map(backendOf));
    const quick = json(await call('/apps/fin/shop/'));
    expect(quick.replica).not.toBe('0');
    expect(await router.waitDrained(first!.id, 5_000)).toBe(true);
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(json(answer).replica).toBe('0');
    router.setBackends('fin', 'shop', release1.map(backendOf));
  });

  it('swaps releases under a concurrent request loop with zero failed requests', async () => {
    const failures: string[] = [];
    const releases = new Map<string, number>();
    let running = true;
    const worker = async () => {
      while (running) {
        try {
          const answer = await call('/apps/fin/shop/?wait=5');
          if (answer.status !== 200) failures.push(`${answer.status} ${answer.text}`);
          else {
            const release = json(answer).release as string;
            releases.set(release, (releases.get(release) ?? 0) + 1);
          }
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const loop = Promise.all(Array.from({ length: 8 }, worker));
    await new Promise((r) => setTimeout(r, 300));
    // Rollout: new replicas ready → atomic swap → drain and stop the old ones.
    const release2 = await startRelease('rel_2', 2);
    router.setBackends('fin', 'shop', release2.map(backendOf));
    await Promise.all(
      release1.map(async (replica) => {
        expect(await router.waitDrained(replica.id, 5_000)).toBe(true);
        await supervisor.stop(replica, { graceMs: 2_000 });
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    running = false;
    await loop;
    expect(failures).toEqual([]);
    expect(releases.get('rel_1')).toBeGreaterThan(10);
    expect(releases.get('rel_2')).toBeGreaterThan(10);
    release1 = release2;
  }, 30_000);
});
