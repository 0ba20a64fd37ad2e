import { getEventListeners } from 'node:events';
import { delay, HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  BadRequestError,
  InternalServerError,
  RateLimitError,
  VERSION,
  Zhengwu,
  ZhengwuError,
} from '../src/index';
import { BASE, server } from './setup';

const instance = {
  id: 'ins_0123456789abcdef',
  name: 'db',
  state: 'ready',
};

function client(options: ConstructorParameters<typeof Zhengwu>[0] = {}) {
  return new Zhengwu({ baseUrl: BASE, token: 'zw_test', ...options });
}

describe('configuration', () => {
  it('rejects a bad baseUrl with a message that says what to do', () => {
    expect(() => new Zhengwu({ baseUrl: 'localhost:7070' })).toThrow(ZhengwuError);
    expect(() => new Zhengwu({ baseUrl: 'not a url' })).toThrow(
      /absolute http\(s\) URL.*ZHENGWU_URL/,
    );
    expect(() => new Zhengwu({ baseUrl: 'ftp://example.com' })).toThrow(
      /Invalid baseUrl "ftp:\/\/example.com"/,
    );
  });

  it('reads ZHENGWU_URL and ZHENGWU_TOKEN from the environment', async () => {
    process.env.ZHENGWU_URL = `${BASE}/`;
    process.env.ZHENGWU_TOKEN = 'zw_from_env';
    try {
      let auth: string | null = null;
      server.use(
        http.get(`${BASE}/v1/instances/:id`, ({ request }) => {
          auth = request.headers.get('authorization');
          return HttpResponse.json(instance);
        }),
      );
      const c = new Zhengwu();
      expect(c.baseUrl).toBe(BASE);
      await c.instances.retrieve(instance.id);
      expect(auth).toBe('Bearer zw_from_env');
    } finally {
      delete process.env.ZHENGWU_URL;
      delete process.env.ZHENGWU_TOKEN;
    }
  });

  it('identifies itself and the calling tool', async () => {
    let header: string | null = null;
    server.use(
      http.get(`${BASE}/v1/instances/:id`, ({ request }) => {
        header = request.headers.get('x-zhengwu-client');
        return HttpResponse.json(instance);
      }),
    );
    await client({ appInfo: { name: 'zw-cli', version: '1.2.0' } }).instances.retrieve(instance.id);
    expect(header).toBe(`zhengwu-sdk/${VERSION} zw-cli/1.2.0`);
  });

  it('refuses path parameters that would change the path', async () => {
    await expect(client().instances.retrieve('..')).rejects.toThrow(/non-empty id/);
    await expect(client().instances.retrieve('')).rejects.toThrow(/non-empty id/);
  });

  it('encodes path parameters and serialises query parameters', async () => {
    let url = '';
    server.use(
      http.get(`${BASE}/v1/apps/:appId/releases`, ({ request }) => {
        url = request.url;
        return HttpResponse.json({ data: [], nextCursor: null });
      }),
    );
    await client().apps.releases.list('app_a/b', { limit: 5 });
    expect(url).toBe(`${BASE}/v1/apps/app_a%2Fb/releases?limit=5`);
  });
});

describe('retries', () => {
  it('retries a 503 and then succeeds, with exponential backoff', async () => {
    const times: number[] = [];
    server.use(
      http.get(`${BASE}/v1/instances/:id`, () => {
        times.push(Date.now());
        return times.length < 3
          ? HttpResponse.json({ code: 'unavailable', status: 503 }, { status: 503 })
          : HttpResponse.json(instance);
      }),
    );
    const result = await client().instances.retrieve(instance.id);
    expect(result.id).toBe(instance.id);
    expect(times).toHaveLength(3);
    // 0.5 s then 1 s, each minus up to 25 % jitter.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(370);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(740);
  });

  it('honours Retry-After in seconds', async () => {
    const times: number[] = [];
    server.use(
      http.get(`${BASE}/v1/instances/:id`, () => {
        times.push(Date.now());
        return times.length === 1
          ? HttpResponse.json(
              { code: 'rate_limited' },
              { status: 429, headers: { 'retry-after': '1' } },
            )
          : HttpResponse.json(instance);
      }),
    );
    await client().instances.retrieve(instance.id);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(990);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const times: number[] = [];
    server.use(
      http.get(`${BASE}/v1/instances/:id`, () => {
        times.push(Date.now());
        return times.length === 1
          ? new HttpResponse(null, {
              status: 503,
              headers: { 'retry-after': new Date(Date.now() + 2000).toUTCString() },
            })
          : HttpResponse.json(instance);
      }),
    );
    await client().instances.retrieve(instance.id);
    // HTTP dates have one-second resolution: the wait is between 1 and 2 s.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(990);
  });

  it('sends the same Idempotency-Key on every retry of one call, a new one per call', async () => {
    const keys: (string | null)[] = [];
    const retryCounts: (string | null)[] = [];
    server.use(
      http.post(`${BASE}/v1/instances`, ({ request }) => {
        keys.push(request.headers.get('idempotency-key'));
        retryCounts.push(request.headers.get('x-retry-count'));
        return keys.length % 3 !== 0
          ? HttpResponse.json({}, { status: 500, headers: { 'retry-after-ms': '1' } })
          : HttpResponse.json(instance, { status: 202 });
      }),
    );
    const body = { name: 'db', service: 'postgresql', plan: 's' };
    await client().instances.create(body);
    await client().instances.create(body);
    expect(keys).toHaveLength(6);
    expect(new Set(keys.slice(0, 3)).size).toBe(1);
    expect(new Set(keys.slice(3)).size).toBe(1);
    expect(keys[0]).not.toBe(keys[3]);
    expect(keys[0]).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(retryCounts.slice(0, 3)).toEqual([null, '1', '2']);
  });

  it('uses the caller’s idempotency key and sends none on GET', async () => {
    let postKey: string | null = null;
    let getKey: string | null = 'unset';
    server.use(
      http.post(`${BASE}/v1/instances`, ({ request }) => {
        postKey = request.headers.get('idempotency-key');
        return HttpResponse.json(instance, { status: 202 });
      }),
      http.get(`${BASE}/v1/instances/:id`, ({ request }) => {
        getKey = request.headers.get('idempotency-key');
        return HttpResponse.json(instance);
      }),
    );
    await client().instances.create(
      { name: 'db', service: 'postgresql', plan: 's' },
      { idempotencyKey: 'order-42' },
    );
    await client().instances.retrieve(instance.id);
    expect(postKey).toBe('order-42');
    expect(getKey).toBeNull();
  });

  it('retries 408, 409 and 429 but not 400, and gives up after maxRetries', async () => {
    for (const [status, attempts] of [
      [408, 3],
      [409, 3],
      [429, 3],
      [400, 1],
      [404, 1],
      [422, 1],
    ] as const) {
      let count = 0;
      server.use(
        http.get(`${BASE}/v1/instances/:id`, () => {
          count++;
          return HttpResponse.json({ status }, { status, headers: { 'retry-after-ms': '1' } });
        }),
      );
      await expect(client().instances.retrieve(instance.id)).rejects.toMatchObject({ status });
      expect(count, `status ${status}`).toBe(attempts);
    }
  });

  it('obeys x-should-retry from the server', async () => {
    let count = 0;
    server.use(
      http.get(`${BASE}/v1/instances/:id`, () => {
        count++;
        return HttpResponse.json({}, { status: 500, headers: { 'x-should-retry': 'false' } });
      }),
    );
    await expect(client().instances.retrieve(instance.id)).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(count).toBe(1);
  });

  it('retries connection errors, then raises APIConnectionError', async () => {
    let count = 0;
    server.use(
      http.get(`${BASE}/v1/instances/:id`, () => {
        count++;
        return HttpResponse.error();
      }),
    );
    const error = await client({ maxRetries: 1 })
      .instances.retrieve(instance.id)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as APIConnectionError).status).toBeUndefined();
    expect(count).toBe(2);
  });

  it('maxRetries per call overrides the client default', async () => {
    let count = 0;
    server.use(
      http.get(`${BASE}/v1/instances/:id`, () => {
        count++;
        return HttpResponse.json({}, { status: 503 });
      }),
    );
    await expect(
      client().instances.retrieve(instance.id, { maxRetries: 0 }),
    ).rejects.toBeInstanceOf(InternalServerError);
    expect(count).toBe(1);
  });
});

describe('timeouts and aborts', () => {
  it('raises APIConnectionTimeoutError when every attempt times out', async () => {
    let count = 0;
    server.use(
      http.get(`${BASE}/v1/instances/:id`, async () => {
        count++;
        await delay(2000);
        return HttpResponse.json(instance);
      }),
    );
    const started = Date.now();
    const error = await client({ timeout: 50, maxRetries: 1 })
      .instances.retrieve(instance.id)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect((error as Error).message).toMatch(/timed out after 50 ms/);
    expect(count).toBe(2);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a timed-out attempt is retried and can then succeed', async () => {
    let count = 0;
    server.use(
      http.get(`${BASE}/v1/instances/:id`, async () => {
        if (++count === 1) await delay(1000);
        return HttpResponse.json(instance);
      }),
    );
    await expect(client({ timeout: 50 }).instances.retrieve(instance.id)).resolves.toMatchObject({
      id: instance.id,
    });
    expect(count).toBe(2);
  });

  it('timeout 0 turns the per-attempt timeout off', async () => {
    server.use(
      http.get(`${BASE}/v1/instances/:id`, async () => {
        await delay(150);
        return HttpResponse.json(instance);
      }),
    );
    await expect(client({ timeout: 0 }).instances.retrieve(instance.id)).resolves.toMatchObject({
      id: instance.id,
    });
    await expect(
      client({ timeout: 50, maxRetries: 0 }).instances.retrieve(instance.id),
    ).rejects.toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('the caller’s signal aborts an attempt in flight with APIUserAbortError', async () => {
    server.use(
      http.get(`${BASE}/v1/instances/:id`, async () => {
        await delay(2000);
        return HttpResponse.json(instance);
      }),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await expect(
      client().instances.retrieve(instance.id, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(APIUserAbortError);
  });

  it('one signal shared by many calls (a waiter) keeps no listener after each call', async () => {
    server.use(http.get(`${BASE}/v1/instances/:id`, () => HttpResponse.json(instance)));
    const controller = new AbortController();
    for (let i = 0; i < 20; i++) {
      await client().instances.retrieve(instance.id, { signal: controller.signal });
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('the caller’s signal also interrupts the wait between retries', async () => {
    server.use(
      http.get(`${BASE}/v1/instances/:id`, () =>
        HttpResponse.json({}, { status: 503, headers: { 'retry-after': '30' } }),
      ),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await expect(
      client().instances.retrieve(instance.id, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(APIUserAbortError);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('middleware', () => {
  it('runs onRequest in order and onResponse in reverse', async () => {
    const calls: string[] = [];
    let seen: string | null = null;
    server.use(
      http.get(`${BASE}/v1/instances/:id`, ({ request }) => {
        seen = request.headers.get('x-tenant-trace');
        return HttpResponse.json(instance);
      }),
    );
    const c = client().use(
      {
        onRequest: ({ request }) => {
          calls.push('a:req');
          request.headers.set('x-tenant-trace', 'a');
        },
        onResponse: () => {
          calls.push('a:res');
        },
      },
      {
        onRequest: ({ request, path }) => {
          calls.push(`b:req ${path}`);
          request.headers.set('x-tenant-trace', `${request.headers.get('x-tenant-trace')}b`);
        },
        onResponse: () => {
          calls.push('b:res');
        },
      },
    );
    await c.instances.retrieve(instance.id);
    expect(calls).toEqual(['a:req', 'b:req /v1/instances/{instanceId}', 'b:res', 'a:res']);
    expect(seen).toBe('ab');
  });

  it('a Response from onRequest answers without touching the network', async () => {
    const c = client({ fetch: () => Promise.reject(new Error('network must not be used')) });
    c.use({ onRequest: () => Response.json(instance) });
    await expect(c.instances.retrieve(instance.id)).resolves.toMatchObject({ id: instance.id });
  });

  it('onError can recover from a connection error, eject removes middleware', async () => {
    const recover = { onError: () => Response.json(instance) };
    const c = client({
      maxRetries: 0,
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    }).use(recover);
    await expect(c.instances.retrieve(instance.id)).resolves.toMatchObject({ id: instance.id });
    c.eject(recover);
    await expect(c.instances.retrieve(instance.id)).rejects.toBeInstanceOf(APIConnectionError);
  });

  it('an error status still throws its class after onResponse', async () => {
    server.use(
      http.post(`${BASE}/v1/instances`, () =>
        HttpResponse.json({ code: 'validation_failed', status: 400 }, { status: 400 }),
      ),
    );
    await expect(
      client()
        .use({ onResponse: () => undefined })
        .instances.create({ name: 'x', service: 'y', plan: 'z' }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });
});

describe('raw typed core', () => {
  it('returns data and the response', async () => {
    server.use(
      http.get(`${BASE}/v1/instances/:id`, () =>
        HttpResponse.json(instance, { headers: { 'x-request-id': 'req_abc' } }),
      ),
    );
    const { data, response } = await client().raw.GET('/v1/instances/{instanceId}', {
      params: { path: { instanceId: instance.id } },
    });
    expect(data.id).toBe(instance.id);
    expect(response.headers.get('x-request-id')).toBe('req_abc');
  });

  it('rate limit errors carry Retry-After headers for the caller', async () => {
    server.use(
      http.get(`${BASE}/v1/instances/:id`, () =>
        HttpResponse.json(
          { code: 'rate_limited' },
          { status: 429, headers: { 'retry-after': '7' } },
        ),
      ),
    );
    const error = (await client({ maxRetries: 0 })
      .instances.retrieve(instance.id)
      .catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.headers?.get('retry-after')).toBe('7');
  });
});
