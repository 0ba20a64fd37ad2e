import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { APIUserAbortError, WaiterFailureError, WaiterTimeoutError, Zhengwu } from '../src/index';
import { BASE, server } from './setup';

const client = new Zhengwu({ baseUrl: BASE, token: 'zw_test', maxRetries: 0 });

/** Three pages of instances: ins_…0 … ins_…6, three per page. */
function threePages() {
  const seen: (string | null)[] = [];
  server.use(
    http.get(`${BASE}/v1/instances`, ({ request }) => {
      const url = new URL(request.url);
      const cursor = url.searchParams.get('cursor');
      seen.push(cursor);
      const start = cursor ? Number(cursor.slice(2)) : 0;
      const ids = [start, start + 1, start + 2].filter((i) => i < 7);
      return HttpResponse.json({
        data: ids.map((i) => ({
          id: `ins_000000000000000${i}`,
          state: 'ready',
          serviceId: url.searchParams.get('serviceId'),
        })),
        nextCursor: start + 3 < 7 ? `c_${start + 3}` : null,
      });
    }),
  );
  return seen;
}

describe('pagination', () => {
  it('await gives the first page', async () => {
    threePages();
    const page = await client.instances.list({ limit: 3 });
    expect(page.data).toHaveLength(3);
    expect(page.nextCursor).toBe('c_3');
  });

  it('for await walks every item across three pages, keeping the filters', async () => {
    const seen = threePages();
    const items = [];
    for await (const ins of client.instances.list({ serviceId: 'postgresql', limit: 3 }))
      items.push(ins);
    expect(items.map((i) => i.id.slice(-1))).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(items.every((i) => (i as { serviceId?: string }).serviceId === 'postgresql')).toBe(true);
    expect(seen).toEqual([null, 'c_3', 'c_6']);
  });

  it('pages() yields pages and toArray stops at max', async () => {
    threePages();
    const sizes = [];
    for await (const page of client.instances.list().pages()) sizes.push(page.data.length);
    expect(sizes).toEqual([3, 3, 1]);
    const firstFour = await client.instances.list().toArray({ max: 4 });
    expect(firstFour).toHaveLength(4);
  });

  it('starts from the caller’s cursor', async () => {
    const seen = threePages();
    const items = await client.instances.list({ cursor: 'c_3' }).toArray({ max: 100 });
    expect(items).toHaveLength(4);
    expect(seen).toEqual(['c_3', 'c_6']);
  });

  it('stops instead of looping when a server repeats a cursor', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/v1/instances`, () => {
        calls++;
        return HttpResponse.json({
          data: [{ id: `ins_000000000000000${calls}` }],
          nextCursor: 'same',
        });
      }),
    );
    const items = await client.instances.list().toArray({ max: 100 });
    expect(calls).toBe(2);
    expect(items).toHaveLength(2);
  });
});

describe('waiters', () => {
  it('waits through intermediate states until the instance is ready', async () => {
    const states = ['provisioning', 'provisioning', 'ready'];
    let polls = 0;
    server.use(
      http.get(`${BASE}/v1/instances/:id`, ({ params }) =>
        HttpResponse.json({ id: params.id, state: states[Math.min(polls++, 2)] }),
      ),
    );
    const seen: unknown[] = [];
    const ready = await client.instances.waitUntilReady('ins_0123456789abcdef', {
      minDelay: 5,
      maxDelay: 20,
      onPoll: (s) => seen.push((s as { state: string }).state),
    });
    expect(ready.state).toBe('ready');
    expect(seen).toEqual(states);
  });

  it('gives up at the deadline with WaiterTimeoutError holding the last state', async () => {
    let polls = 0;
    server.use(
      http.get(`${BASE}/v1/operations/:id`, ({ params }) => {
        polls++;
        return HttpResponse.json({ id: params.id, state: 'running', progress: { percent: 40 } });
      }),
    );
    const started = Date.now();
    const error = (await client.operations
      .waitUntilDone('op_0123456789abcdef', { maxWaitTime: 300, minDelay: 40, maxDelay: 80 })
      .catch((e: unknown) => e)) as WaiterTimeoutError<{ state: string }>;
    const waited = Date.now() - started;
    expect(error).toBeInstanceOf(WaiterTimeoutError);
    expect(error.lastState.state).toBe('running');
    expect(error.polls).toBe(polls);
    expect(polls).toBeGreaterThanOrEqual(3);
    // A final poll happens at the deadline, not long after it.
    expect(waited).toBeGreaterThanOrEqual(300);
    expect(waited).toBeLessThan(800);
  });

  it('a failed operation raises WaiterFailureError with its problem', async () => {
    server.use(
      http.get(`${BASE}/v1/operations/:id`, ({ params }) =>
        HttpResponse.json({
          id: params.id,
          state: 'failed',
          error: { code: 'quota_exceeded', title: 'Quota exceeded', detail: 'instances 10/10' },
        }),
      ),
    );
    const error = (await client.operations
      .waitUntilDone('op_0123456789abcdef', { minDelay: 5 })
      .catch((e: unknown) => e)) as WaiterFailureError<{ error: { code: string } }>;
    expect(error).toBeInstanceOf(WaiterFailureError);
    expect(error.state.error.code).toBe('quota_exceeded');
    expect(error.message).toMatch(/instances 10\/10/);
  });

  it('waitUntilDeleted treats 404 as done, and signals stop a waiter', async () => {
    server.use(
      http.get(`${BASE}/v1/instances/:id`, () =>
        HttpResponse.json({ code: 'not_found' }, { status: 404 }),
      ),
      http.get(`${BASE}/v1/apps/:id`, ({ params }) =>
        HttpResponse.json({ id: params.id, state: 'deploying' }),
      ),
    );
    await expect(
      client.instances.waitUntilDeleted('ins_0123456789abcdef', { minDelay: 5 }),
    ).resolves.toBeUndefined();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(
      client.apps.waitUntilRunning('app_0123456789abcdef', {
        minDelay: 1000,
        signal: controller.signal,
      }),
    ).rejects.toBeInstanceOf(APIUserAbortError);
  });

  it('apps.waitUntilDeleted waits through deleting, ends at deleted or 404', async () => {
    const states = ['deleting', 'deleting', 'deleted'];
    let polls = 0;
    server.use(
      http.get(`${BASE}/v1/apps/:id`, ({ params }) =>
        params.id === 'app_gone0123456789ab'
          ? HttpResponse.json({ code: 'not_found' }, { status: 404 })
          : HttpResponse.json({ id: params.id, state: states[Math.min(polls++, 2)] }),
      ),
    );
    await expect(
      client.apps.waitUntilDeleted('app_0123456789abcdef', { minDelay: 5, maxDelay: 5 }),
    ).resolves.toBeUndefined();
    expect(polls).toBe(3);
    await expect(
      client.apps.waitUntilDeleted('app_gone0123456789ab', { minDelay: 5 }),
    ).resolves.toBeUndefined();
  });
});
