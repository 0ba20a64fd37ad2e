import { startMockServer } from '@zhengwu/mock/node';
import { Zhengwu } from '@zhengwu/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { quickstart } from '../src/quickstart';

let mock: Awaited<ReturnType<typeof startMockServer>>;
beforeAll(async () => {
  mock = await startMockServer({ port: 0 });
});
afterAll(() => mock.close());

it('runs every step of the quick start over HTTP against the mock server', async () => {
  const lines: string[] = [];
  await quickstart(new Zhengwu({ baseUrl: mock.url, token: mock.platform.token }), (l) =>
    lines.push(l),
  );
  const text = lines.join('\n');
  expect(text).toMatch(/postgresql/);
  expect(text).toMatch(/v1 user .+ password .{3}…/);
  expect(text).toMatch(/v2 user/);
  expect(text).toMatch(/完整 · intact: \d+ events checked/);
  expect(text).toMatch(/done · 完成/);
  // Nothing is left behind.
  const client = new Zhengwu({ baseUrl: mock.url, token: mock.platform.token });
  const left = await client.instances.list().toArray({ max: 10 });
  expect(left.filter((i) => i.state !== 'deleted')).toHaveLength(0);
});
