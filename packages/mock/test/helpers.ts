/**
 * One mock platform and msw server per test file, an SDK client on it, and the contract
 * check of every response the file's tests receive (see `contract-check.ts`).
 */
import { Zhengwu } from '@zhengwu/sdk';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createMockPlatform, type MockPlatformOptions } from '../src/index';
import { checkResponse, stats } from './contract-check';

export const BASE = 'http://127.0.0.1:7070';

/** Waiters poll briskly in tests. */
export const brisk = { minDelay: 1, maxDelay: 5, maxWaitTime: 5_000 };

export function setup(options: MockPlatformOptions = {}) {
  const platform = createMockPlatform(options);
  const server = setupServer(...platform.handlers);
  const client = new Zhengwu({ baseUrl: platform.baseUrl, token: platform.token, maxRetries: 0 });
  const violations: string[] = [];
  const pending: Promise<void>[] = [];
  server.events.on('response:mocked', ({ request, response }) => {
    pending.push(
      checkResponse(request.method, request.url, response).then((p) => void violations.push(...p)),
    );
  });

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(async () => {
    server.resetHandlers();
    await Promise.all(pending.splice(0));
    platform.reset();
    const found = violations.splice(0);
    expect(found, 'responses that break the contract').toEqual([]);
  });
  afterAll(() => {
    server.close();
    expect(stats.checked).toBeGreaterThan(0);
  });

  /** A client for another token (or none). */
  const clientWith = (token: string | null, extra: { maxRetries?: number } = {}) =>
    new Zhengwu({ baseUrl: platform.baseUrl, token, maxRetries: 0, ...extra });

  return { platform, server, client, clientWith };
}
