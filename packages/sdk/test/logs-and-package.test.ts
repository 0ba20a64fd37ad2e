import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { APIUserAbortError, VERSION, Zhengwu } from '../src/index';
import { BASE, server } from './setup';

const client = new Zhengwu({ baseUrl: BASE, token: 'zw_test', maxRetries: 0 });
const appId = 'app_0123456789abcdefABCD';
const entry = (n: number) => ({
  time: `2026-11-26T08:00:0${n}Z`,
  appId,
  releaseId: null,
  process: 'web',
  replica: 0,
  source: 'app',
  stream: 'stdout',
  message: `line ${n}`,
});

describe('log streaming (server-sent events)', () => {
  it('yields log entries, skips heartbeats and other events, passes the query', async () => {
    let url = '';
    server.use(
      http.get(`${BASE}/v1/apps/:appId/logs`, ({ request }) => {
        url = request.url;
        const body = [
          `id: 1\nevent: log\ndata: ${JSON.stringify(entry(1))}\n\n`,
          'event: heartbeat\ndata: {}\n\n',
          // A message split across chunks must still parse.
          `id: 2\nevent: log\nda`,
          `ta: ${JSON.stringify(entry(2))}\n\n`,
        ];
        const stream = new ReadableStream({
          start(controller) {
            for (const chunk of body) controller.enqueue(new TextEncoder().encode(chunk));
            controller.close();
          },
        });
        return new HttpResponse(stream, { headers: { 'content-type': 'text/event-stream' } });
      }),
    );
    const lines = [];
    for await (const e of client.apps.logs.stream(appId, { tail: 2, source: 'app' }))
      lines.push(e.message);
    expect(lines).toEqual(['line 1', 'line 2']);
    expect(new URL(url).search).toBe('?tail=2&source=app');
  });

  it('a followed stream stops when the caller aborts', async () => {
    server.use(
      http.get(`${BASE}/v1/apps/:appId/logs`, () => {
        let timer: ReturnType<typeof setInterval>;
        let n = 0;
        const stream = new ReadableStream({
          start(controller) {
            timer = setInterval(() => {
              n++;
              controller.enqueue(
                new TextEncoder().encode(`event: log\ndata: ${JSON.stringify(entry(n % 10))}\n\n`),
              );
            }, 10);
          },
          cancel() {
            clearInterval(timer);
          },
        });
        return new HttpResponse(stream, { headers: { 'content-type': 'text/event-stream' } });
      }),
    );
    const controller = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const e of client.apps.logs.stream(
        appId,
        { follow: true },
        { signal: controller.signal },
      )) {
        seen.push(e.message);
        if (seen.length === 3) controller.abort();
      }
    })();
    await expect(reading).rejects.toBeInstanceOf(APIUserAbortError);
    expect(seen).toHaveLength(3);
  });
});

describe('the package', () => {
  it('VERSION matches package.json', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8'));
    expect(VERSION).toBe(pkg.version);
  });

  it('has no Node-only imports, so it runs in browsers', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.endsWith('.ts')) files.push(join(dir, e.name));
      }
    };
    walk(join(import.meta.dirname, '../src'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(
        /from ['"](node:|fs|path|http|https|crypto|stream|buffer|util)['"/]/,
      );
      expect(text, file).not.toMatch(/\brequire\(|\bBuffer\b|process\.(?!env)/);
    }
  });
});
