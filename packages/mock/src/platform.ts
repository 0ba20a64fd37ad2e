/** `createMockPlatform`: the whole platform, simulated in memory, as msw handlers. */
import type { Schemas } from '@zhengwu/openapi';
import type { HttpHandler } from 'msw';
import { createFaultRegistry, type Fault } from './faults';
import { resolvers } from './resolvers/index';
import { buildHandlers } from './router';
import type { OperationFailure, Runtime } from './runtime';
import { MOCK_TOKEN, seedState } from './seed';
import type { MockStateView } from './state';
import { createValidators } from './validation';

export interface MockPlatformOptions {
  /** Origin the handlers answer on (a path prefix is allowed). Default `http://127.0.0.1:7070`. */
  baseUrl?: string;
  /** The bearer token of the platform administrator. Default `MOCK_TOKEN`. */
  token?: string;
  /**
   * Polls an operation (or the resource it works on) needs before it finishes. Default 1:
   * the first poll finds it done. 0 finishes work before the call answers; 3 shows
   * `pending` → `running` → `running` → `succeeded`.
   */
  operationSteps?: number;
  /** Milliseconds between `heartbeat` events of a followed log stream. Default 15 000. */
  heartbeatIntervalMs?: number;
}

export interface MockPlatform {
  /** The origin the handlers answer on, without a trailing slash. */
  readonly baseUrl: string;
  /** The accepted token of the platform administrator (`Authorization: Bearer …`). */
  readonly token: string;
  /** Pass to msw: `setupServer(...platform.handlers)` or `setupWorker(...platform.handlers)`. */
  readonly handlers: readonly HttpHandler[];
  /** A read-only view of the state, for assertions: instances, bindings, operations, apps … */
  readonly state: MockStateView;
  /** Makes calls fail on purpose (503, 429, dropped connections, slow answers). */
  readonly faults: {
    /** Fails the next `times` calls of `operationId` (or of every operation). */
    inject(fault: Fault): void;
    /** Removes every injected fault. */
    clear(): void;
  };
  /** Back to the seeded state: removes everything created, injected faults and queued failures. */
  reset(): void;
  /**
   * The next operation of this type ends `failed` with this problem (after its polls), and
   * its resource moves to its failure state (an instance becomes `failed`, a release `failed` …).
   */
  failNextOperation(type: Schemas['OperationType'], problem: OperationFailure): void;
  /**
   * Lists a catalog service as unavailable with this reason (`null`: available again), as a
   * platform whose pools for it are missing or down does: provisioning it, and releases whose
   * manifest names it, answer 422 `service_unavailable`. `reset()` makes it available again.
   */
  setServiceAvailability(serviceId: string, reason: Schemas['LocalizedText'] | null): void;
}

const RUNTIME = Symbol.for('@zhengwu/mock.runtime');

/** The runtime behind a platform (test hooks only). */
export function runtimeOf(platform: MockPlatform): Runtime {
  const rt = (platform as unknown as Record<symbol, Runtime | undefined>)[RUNTIME];
  if (!rt) throw new TypeError('Not a mock platform made by createMockPlatform()');
  return rt;
}

function normalizeBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`baseUrl must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash) {
    throw new TypeError(
      `baseUrl must be an http(s) URL without query or fragment, got ${JSON.stringify(value)}`,
    );
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * Creates a mock platform: msw handlers that simulate the Zhengwu platform statefully in
 * memory, seeded with the province tenant 浙江省 and the built-in catalog.
 *
 * @example
 * const platform = createMockPlatform();
 * const server = setupServer(...platform.handlers); // from 'msw/node'
 * const client = new Zhengwu({ baseUrl: platform.baseUrl, token: platform.token });
 */
export function createMockPlatform(options: MockPlatformOptions = {}): MockPlatform {
  const operationSteps = options.operationSteps ?? 1;
  if (!Number.isInteger(operationSteps) || operationSteps < 0) {
    throw new TypeError(`operationSteps must be a whole number ≥ 0, got ${operationSteps}`);
  }
  const token = options.token ?? MOCK_TOKEN;
  if (!token || /\s/.test(token))
    throw new TypeError('token must be a non-empty string without spaces');
  const faults = createFaultRegistry();
  const rt: Runtime = {
    options: {
      baseUrl: normalizeBaseUrl(options.baseUrl ?? 'http://127.0.0.1:7070'),
      token,
      operationSteps,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 15_000,
    },
    state: seedState(),
    work: new Map(),
    validators: createValidators(),
    faults,
    failNext: new Map(),
    idempotency: new Map(),
    logSubscribers: new Map(),
    requestCounts: new Map(),
  };
  const handlers = buildHandlers(rt, resolvers);
  const platform: MockPlatform = {
    baseUrl: rt.options.baseUrl,
    token,
    handlers,
    get state(): MockStateView {
      return rt.state;
    },
    faults: { inject: (fault) => faults.inject(fault), clear: () => faults.clear() },
    reset() {
      rt.state = seedState();
      rt.work.clear();
      rt.idempotency.clear();
      rt.failNext.clear();
      rt.requestCounts.clear();
      faults.clear();
    },
    failNextOperation(type, problem) {
      const queue = rt.failNext.get(type) ?? [];
      queue.push({ ...problem });
      rt.failNext.set(type, queue);
    },
    setServiceAvailability(serviceId, reason) {
      const service = rt.state.services.find((s) => s.id === serviceId);
      if (!service) throw new TypeError(`No service ${JSON.stringify(serviceId)} in the catalog`);
      service.available = reason === null;
      service.unavailableReason = reason && { zh: reason.zh, en: reason.en };
    },
  };
  Object.defineProperty(platform, RUNTIME, { value: rt, enumerable: false });
  return platform;
}
