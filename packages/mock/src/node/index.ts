/**
 * `@zhengwu/mock/node`: the mock platform on a real HTTP server (Node only).
 *
 * ```ts
 * import { startMockServer } from '@zhengwu/mock/node';
 *
 * const mock = await startMockServer({ port: 0 });
 * // mock.url, mock.platform.token … then await mock.close();
 * ```
 *
 * @packageDocumentation
 */
export { type MockServer, type MockServerOptions, startMockServer } from './server';
