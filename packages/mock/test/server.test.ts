import { Zhengwu } from '@zhengwu/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/node/index';
import { tarGz } from './archive';
import { checkResponse } from './contract-check';
import { brisk } from './helpers';

let mock: MockServer;
const violations: string[] = [];

/** `fetch` that checks every response against the contract. */
const checkedFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const response = await fetch(input, init);
  violations.push(...(await checkResponse(request.method, request.url, response)));
  return response;
};

beforeAll(async () => {
  mock = await startMockServer({ port: 0 });
});
afterEach(() => {
  mock.platform.reset();
  expect(violations.splice(0)).toEqual([]);
});
afterAll(() => mock.close());

const sdk = () =>
  new Zhengwu({
    baseUrl: mock.url,
    token: mock.platform.token,
    maxRetries: 0,
    fetch: checkedFetch,
  });

describe('startMockServer (node:http)', () => {
  it('listens on a free loopback port and answers plain fetch', async () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await checkedFetch(`${mock.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const unknown = await checkedFetch(`${mock.url}/v2/anything?x=1`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect(await unknown.json()).toMatchObject({
      code: 'not_found',
      detail: 'No route matches GET /v2/anything.',
    });
    const anonymous = await checkedFetch(`${mock.url}/v1/instances`);
    expect(anonymous.status).toBe(401);
  });

  it('runs the SDK lifecycle over HTTP, binary uploads included', async () => {
    const client = sdk();
    const db = await client.instances.create({ name: 'http-db', service: 'mysql', plan: 's' });
    await client.instances.waitUntilReady(db.id, brisk);
    const binding = await client.bindings.create({ instanceId: db.id, name: 'web' });
    await client.bindings.waitUntilReady(binding.id, brisk);
    expect((await client.bindings.credentials(binding.id)).credentials).toMatchObject({
      port: 3306,
    });
    const app = await client.apps.create({ name: 'hotline' });
    await client.apps.deploy(app.id, { source: tarGz({ 'index.js': '1' }), manifest: {} });
    const running = await client.apps.waitUntilRunning(app.id, brisk);
    expect(running.url).toBe(`http://hotline.zhejiang.localhost:${new URL(mock.url).port}`);
  });

  it('replays idempotent requests and records the client address, not a forged one', async () => {
    const headers = {
      authorization: `Bearer ${mock.platform.token}`,
      'content-type': 'application/json',
      'idempotency-key': 'same-key',
      'x-forwarded-for': '10.9.9.9',
    };
    const body = JSON.stringify({ name: 'once' });
    const first = await checkedFetch(`${mock.url}/v1/apps`, { method: 'POST', headers, body });
    const second = await checkedFetch(`${mock.url}/v1/apps`, { method: 'POST', headers, body });
    expect(second.headers.get('idempotency-replayed')).toBe('true');
    expect((await second.json()).id).toBe((await first.json()).id);
    expect(mock.platform.state.auditEvents.at(-1)?.sourceIp).toMatch(
      /^(::ffff:)?127\.0\.0\.1$|^::1$/,
    );
  });

  it('streams SSE as lines are appended, and answers CORS preflights', async () => {
    const client = sdk();
    const app = await client.apps.create({ name: 'stream' });
    await client.apps.deploy(app.id, { source: tarGz({ 'index.js': '1' }), manifest: {} });
    await client.apps.waitUntilRunning(app.id, brisk);
    const controller = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const entry of client.apps.logs.stream(
        app.id,
        { follow: true, tail: 1 },
        { signal: controller.signal },
      )) {
        seen.push(entry.message);
        if (entry.message.includes('to 5 replicas')) controller.abort();
      }
    })();
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 5));
    await client.apps.scaling.scale(app.id, { processes: [{ type: 'web', replicas: 5 }] });
    await expect(reading).rejects.toMatchObject({ name: 'APIUserAbortError' });
    expect(seen).toEqual(['web.0 listening on :8080', 'Scaled web from 1 to 5 replicas']);

    const preflight = await fetch(`${mock.url}/v1/instances`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('close() ends open streams', async () => {
    const other = await startMockServer({ port: 0, operationSteps: 0 });
    const client = new Zhengwu({ baseUrl: other.url, token: other.platform.token, maxRetries: 0 });
    const app = await client.apps.create({ name: 'closing' });
    const response = await fetch(`${other.url}/v1/apps/${app.id}/logs?follow=true`, {
      headers: { authorization: `Bearer ${other.platform.token}` },
    });
    const reader = response.body!.getReader();
    await other.close();
    expect(await reader.read().catch(() => ({ done: true }))).toMatchObject({ done: true });
  });
});
