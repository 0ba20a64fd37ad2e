/**
 * Per-call overhead of the SDK against a raw `fetch`, both over the same injected in-memory
 * `fetch` (no network, no msw), so the figure is the SDK's own cost: URL and header
 * building, idempotency key, retry bookkeeping, per-attempt timeout, error mapping and
 * body parsing. Several rounds in shuffled order; prints medians and the median ratio.
 */
import { Zhengwu } from '@zhengwu/sdk';

const BASE = 'https://zw.example.gov.cn';
const TOKEN = 'zw_benchmark_token_0123456789abcdefghijklmnopqrstuv';
const instance = JSON.stringify({
  id: 'ins_01hq3x9k2m4n5p6q7r8s',
  tenantId: 'ten_01hq3x9k2m4n5p6q7r8s',
  name: 'approval-db',
  service: 'postgresql',
  plan: 's',
  parameters: {},
  labels: {},
  state: 'ready',
  pool: 'pg-1',
  dashboardUrl: null,
  lastOperation: null,
  createdAt: '2026-11-26T08:00:00Z',
  updatedAt: '2026-11-26T08:00:00Z',
});

/**
 * A fetch that answers at once with a fresh JSON response, like a server on zero latency.
 * It builds a `Request` from its arguments and reads the body, as a real fetch does, so
 * callers passing `(url, init)` and callers passing a `Request` pay the same.
 */
const memoryFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  if (request.body) await request.arrayBuffer();
  return new Response(instance, {
    status: request.method === 'POST' ? 202 : 200,
    headers: { 'content-type': 'application/json', 'x-request-id': 'req_bench' },
  });
};

const sdk = new Zhengwu({ baseUrl: BASE, token: TOKEN, fetch: memoryFetch });
const sdkNoRetry = new Zhengwu({ baseUrl: BASE, token: TOKEN, fetch: memoryFetch, maxRetries: 0 });
const sdkNoTimeout = new Zhengwu({ baseUrl: BASE, token: TOKEN, fetch: memoryFetch, timeout: 0 });
const sdkMiddleware = new Zhengwu({ baseUrl: BASE, token: TOKEN, fetch: memoryFetch }).use({
  onRequest: ({ request }) => void request.headers.set('x-trace-id', 'trace'),
});
const body = {
  name: 'approval-db',
  service: 'postgresql',
  plan: 's',
  parameters: { version: '16' },
};

const tasks: Record<string, () => Promise<unknown>> = {
  'raw fetch GET': async () => {
    const res = await memoryFetch(
      `${BASE}/v1/instances/${encodeURIComponent('ins_01hq3x9k2m4n5p6q7r8s')}`,
      {
        headers: { authorization: `Bearer ${TOKEN}` },
      },
    );
    if (!res.ok) throw new Error(String(res.status));
    return res.json();
  },
  // What a careful caller writes by hand: the same request with a timeout. Node 20's
  // AbortController costs ~10 µs, which the SDK pays too (its per-attempt timeout).
  'raw fetch GET + timeout signal': async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 60_000);
    try {
      const res = await memoryFetch(
        `${BASE}/v1/instances/${encodeURIComponent('ins_01hq3x9k2m4n5p6q7r8s')}`,
        {
          headers: { authorization: `Bearer ${TOKEN}` },
          signal: controller.signal,
        },
      );
      if (!res.ok) throw new Error(String(res.status));
      return await res.json();
    } finally {
      clearTimeout(timer);
    }
  },
  'sdk GET (instances.retrieve)': () => sdk.instances.retrieve('ins_01hq3x9k2m4n5p6q7r8s'),
  'sdk GET, maxRetries 0': () => sdkNoRetry.instances.retrieve('ins_01hq3x9k2m4n5p6q7r8s'),
  'sdk GET, timeout off': () => sdkNoTimeout.instances.retrieve('ins_01hq3x9k2m4n5p6q7r8s'),
  'sdk GET + 1 middleware': () => sdkMiddleware.instances.retrieve('ins_01hq3x9k2m4n5p6q7r8s'),
  'raw fetch POST': async () => {
    const res = await memoryFetch(`${BASE}/v1/instances`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        'idempotency-key': crypto.randomUUID(),
      },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(String(res.status));
    return res.json();
  },
  'sdk POST (instances.create)': () => sdk.instances.create(body),
};

// Each round runs every task for ITERATIONS sequential calls, in a fresh shuffled order, and
// records the mean per call. Ratios are taken within a round (paired), then the median over
// rounds is reported: this cancels most of the drift from GC and CPU frequency.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 2000);
const perCall: Record<string, number[]> = {};
for (const name of Object.keys(tasks)) for (let i = 0; i < 500; i++) await tasks[name]!(); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const name of Object.keys(tasks).sort(() => Math.random() - 0.5)) {
    const task = tasks[name]!;
    const start = performance.now();
    for (let i = 0; i < ITERATIONS; i++) await task();
    perCall[name] ??= [];
    perCall[name].push(((performance.now() - start) * 1000) / ITERATIONS);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ratio = (name: string, base: string) =>
  median(perCall[name]!.map((t, i) => t / perCall[base]![i]!));
console.log(
  `\nPer-call latency: ${ROUNDS} rounds × ${ITERATIONS} calls per task (Node ${process.version}, ${process.arch})\n`,
);
console.log(
  '| task | median µs/call | min–max µs | median ratio to raw |\n| --- | ---: | ---: | ---: |',
);
for (const name of Object.keys(tasks)) {
  const xs = perCall[name]!;
  const base = name.includes('POST') ? 'raw fetch POST' : 'raw fetch GET';
  console.log(
    `| ${name} | ${median(xs).toFixed(1)} | ${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)} | ${ratio(name, base).toFixed(2)}× |`,
  );
}
const get = ratio('sdk GET (instances.retrieve)', 'raw fetch GET');
const post = ratio('sdk POST (instances.create)', 'raw fetch POST');
const like = ratio('sdk GET (instances.retrieve)', 'raw fetch GET + timeout signal');
console.log(
  `\nmedian ratio to bare fetch: GET ${get.toFixed(2)}×, POST ${post.toFixed(2)}×; ` +
    `GET to fetch with a timeout signal: ${like.toFixed(2)}× (target ≤ 1.30×)`,
);
