/**
 * `@zhengwu/mock`: the Zhengwu platform simulated in memory, as msw handlers, so code that
 * uses `@zhengwu/sdk` can be tested offline. Works in Node and browsers; the HTTP server and
 * the `zw-mock` CLI are in `@zhengwu/mock/node`.
 *
 * ```ts
 * import { createMockPlatform } from '@zhengwu/mock';
 * import { setupServer } from 'msw/node';
 *
 * const platform = createMockPlatform();
 * const server = setupServer(...platform.handlers);
 * ```
 *
 * @packageDocumentation
 */
export { auditHash, canonicalJson, GENESIS_HASH, MOCK_AUDIT_CHAIN_KEY } from './audit';
export type { Fault } from './faults';
export { createMockPlatform, type MockPlatform, type MockPlatformOptions } from './platform';
export type { OperationFailure } from './runtime';
export { MOCK_ADMIN_ID, MOCK_TENANT_ID, MOCK_TOKEN } from './seed';
export type { LogRecord, MockStateView } from './state';
export { tamperAuditEvent } from './test-hooks';
