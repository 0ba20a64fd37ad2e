/**
 * `pnpm quickstart`: runs the quick start against the platform at ZHENGWU_URL, or — when it is
 * not set — against the offline mock platform started on a free loopback port.
 */
import { startMockServer } from '@zhengwu/mock/node';
import { Zhengwu } from '@zhengwu/sdk';
import { quickstart } from './quickstart';

const mock = process.env.ZHENGWU_URL ? undefined : await startMockServer({ port: 0 });
if (mock) {
  console.log(
    `未设置 ZHENGWU_URL，使用离线模拟平台 · ZHENGWU_URL not set: using the offline mock at ${mock.url}\n`,
  );
}
const client = new Zhengwu(mock ? { baseUrl: mock.url, token: mock.platform.token } : {});
try {
  await quickstart(client);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await mock?.close();
}
