import { type IncomingMessage, request } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogStore } from '../../src/runtime/logs';
import { type LogStreamQuery, streamLogs } from '../../src/runtime/sse';
import { eventually } from './fixtures';

interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

/** A real HTTP connection reading SSE frames as they arrive. */
function open(path: string, headers: Record<string, string> = {}) {
  const events: SseEvent[] = [];
  let buffer = '';
  let response!: IncomingMessage;
  let ended = false;
  const req = request(`${base}${path}`, { headers });
  const opened = new Promise<void>((resolve, reject) => {
    req.on('response', (res) => {
      response = res;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { event: 'message', data: '' };
          for (const line of frame.split('\n')) {
            const colon = line.indexOf(': ');
            const [field, value] = [line.slice(0, colon), line.slice(colon + 2)];
            if (field === 'event') event.event = value;
            else if (field === 'id') event.id = value;
            else if (field === 'data') event.data = value;
          }
          events.push(event);
          end = buffer.indexOf('\n\n');
        }
      });
      res.on('end', () => {
        ended = true;
      });
      resolve();
    });
    req.on('error', reject);
  });
  req.end();
  return {
    events,
    opened,
    get response() {
      return response;
    },
    get ended() {
      return ended;
    },
    close: () => req.destroy(),
  };
}

const store = new LogStore();
let app: FastifyInstance;
let base: string;

const append = (message: string, process = 'web') =>
  store.append({
    appId: 'app_s',
    releaseId: 'rel_1',
    process,
    replica: 0,
    source: 'app',
    stream: 'stdout',
    message,
  });

beforeAll(async () => {
  app = Fastify();
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('x-request-id', 'req_test');
    done();
  });
  app.get<{ Params: { appId: string }; Querystring: Record<string, string> }>(
    '/v1/apps/:appId/logs',
    (request, reply) => {
      const q = request.query;
      const query: LogStreamQuery = {
        follow: q.follow === 'true',
        tail: q.tail === undefined ? undefined : Number(q.tail),
        since: q.since,
        process: q.process,
        source: q.source as LogStreamQuery['source'],
      };
      const lastEventId = request.headers['last-event-id'] as string | undefined;
      streamLogs(reply, store, request.params.appId, query, lastEventId, { heartbeatMs: 200 });
    },
  );
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  for (let i = 0; i < 5; i++) append(`line ${i}`);
  append('worker line', 'worker');
});

afterAll(async () => {
  store.endStreams();
  await app.close();
});

describe('streamLogs (SSE)', () => {
  it('sends the backlog as log events with ids, then end, then closes (follow=false)', async () => {
    const stream = open('/v1/apps/app_s/logs?tail=3');
    await stream.opened;
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers['cache-control']).toContain('no-cache');
    expect(stream.response.headers['x-request-id']).toBe('req_test');
    await eventually(() => stream.ended, 3_000, 'end of stream');
    expect(stream.events.map((e) => e.event)).toEqual(['log', 'log', 'log', 'end']);
    const entries = stream.events.slice(0, 3).map((e) => JSON.parse(e.data));
    expect(entries.map((e) => e.message)).toEqual(['line 3', 'line 4', 'worker line']);
    expect(entries[0]).toEqual({
      time: expect.any(String),
      appId: 'app_s',
      releaseId: 'rel_1',
      process: 'web',
      replica: 0,
      source: 'app',
      stream: 'stdout',
      message: 'line 3',
    });
    expect(stream.events.every((e) => e.event === 'end' || /^c_[0-9a-z]+$/.test(e.id!))).toBe(true);
    expect(stream.events.at(-1)!.data).toBe('{}');
  });

  it('filters by process and resumes after Last-Event-ID (ignoring tail)', async () => {
    const all = store.read({ appId: 'app_s', tail: 100 });
    const stream = open('/v1/apps/app_s/logs?tail=1&process=web', {
      'last-event-id': all[1]!.cursor,
    });
    await eventually(() => stream.ended, 3_000, 'end of stream');
    expect(
      stream.events.filter((e) => e.event === 'log').map((e) => JSON.parse(e.data).message),
    ).toEqual(['line 2', 'line 3', 'line 4']);
  });

  it('follows new entries with heartbeats, and unsubscribes when the client leaves', async () => {
    const stream = open('/v1/apps/app_s/logs?tail=1&follow=true');
    await stream.opened;
    await eventually(() => stream.events.length === 1, 3_000, 'backlog');
    append('live one');
    await eventually(
      () => stream.events.some((e) => e.event === 'log' && e.data.includes('live one')),
      3_000,
      'live entry',
    );
    await eventually(() => stream.events.some((e) => e.event === 'heartbeat'), 3_000, 'heartbeat');
    expect(stream.events.find((e) => e.event === 'heartbeat')!.data).toBe('{}');
    expect(stream.ended).toBe(false);
    expect(store.subscribers('app_s')).toBe(1);
    stream.close();
    await eventually(() => store.subscribers('app_s') === 0, 3_000, 'unsubscribed');
  });

  it('ends live streams on shutdown without an end event', async () => {
    const stream = open('/v1/apps/app_s/logs?tail=0&follow=true');
    await stream.opened;
    await eventually(() => store.subscribers('app_s') === 1, 3_000, 'subscribed');
    store.endStreams();
    await eventually(() => stream.ended, 3_000, 'closed');
    expect(stream.events.some((e) => e.event === 'end')).toBe(false);
  });
});
