/**
 * Fault injection: make the next calls of an operation fail the way a real platform can
 * (503 with `Retry-After`, 429, 500, a dropped connection, a slow answer), to test a
 * client's retries and error handling.
 */
import type { OperationId } from '@zhengwu/openapi';

export interface Fault {
  /** The operation to fail; every operation when left out. */
  operationId?: OperationId;
  /** HTTP status of the problem. Default 503. */
  status?: number;
  /** Problem code. Default: the code of the status (`unavailable` for 503, `rate_limited` for 429, …). */
  code?: string;
  detail?: string;
  /** How many calls fail before the operation answers normally again. Default 1. */
  times?: number;
  /** `Retry-After` seconds (sent with 429 and 503 always, default 0, so retries are immediate). */
  retryAfter?: number;
  /** Drop the connection instead of answering (the SDK sees an `APIConnectionError`). */
  networkError?: boolean;
  /** Wait this long before answering (to test timeouts). */
  delayMs?: number;
}

export interface FaultRegistry {
  inject(fault: Fault): void;
  clear(): void;
  /** The fault for this call of `operationId`, counting it down; `undefined` when none applies. */
  take(operationId: OperationId): Fault | undefined;
  readonly pending: readonly Fault[];
}

export function createFaultRegistry(): FaultRegistry {
  let faults: { fault: Fault; left: number }[] = [];
  return {
    inject(fault) {
      faults.push({ fault, left: fault.times ?? 1 });
    },
    clear() {
      faults = [];
    },
    take(operationId) {
      const match = faults.find(
        (f) => f.left > 0 && (!f.fault.operationId || f.fault.operationId === operationId),
      );
      if (!match) return undefined;
      match.left -= 1;
      faults = faults.filter((f) => f.left > 0);
      return match.fault;
    },
    get pending() {
      return faults.map((f) => f.fault);
    },
  };
}
