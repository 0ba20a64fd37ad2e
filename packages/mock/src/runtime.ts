/** Everything one mock platform holds: options, state, validators and test controls. */

import type { FaultRegistry } from './faults';
import type { LogRecord, MockState, Model } from './state';
import type { Validators } from './validation';

export interface ResolvedOptions {
  /** Origin (and optional path prefix) the handlers match, without a trailing slash. */
  baseUrl: string;
  token: string;
  operationSteps: number;
  heartbeatIntervalMs: number;
}

/** What `failNextOperation` queued for an operation type. */
export interface OperationFailure {
  code: string;
  detail?: string;
  status?: number;
  title?: string;
}

/** Bookkeeping of an unfinished operation: how it advances and what it does at the end. */
export interface Work {
  /** Ids whose GET counts as a poll of this operation (its target, and the app of a release). */
  subjects: string[];
  polls: number;
  /** The request that started it (its id goes into a failure problem). */
  requestId: string;
  failWith?: OperationFailure;
  /** Called on every poll that doesn't finish it, with the fraction done (0–1). */
  onProgress?: (fraction: number) => void;
  onSucceeded: () => void;
  onFailed: (problem: Model['Problem']) => void;
  onCanceled: () => void;
  /** `false` once past the point of no return (cancel answers 409). */
  cancellable?: () => boolean;
}

export interface StoredResponse {
  fingerprint: string;
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  /** When it was stored (keys are kept 24 hours). */
  at: number;
}

export interface Runtime {
  options: ResolvedOptions;
  state: MockState;
  work: Map<string, Work>;
  validators: Validators;
  faults: FaultRegistry;
  failNext: Map<string, OperationFailure[]>;
  /** `principal id␟key` → the first response, or `'pending'` while it runs. */
  idempotency: Map<string, StoredResponse | 'pending'>;
  /** Live log streams by app id. */
  logSubscribers: Map<string, Set<(record: LogRecord) => void>>;
  /** `operationId␟status` → count, for `/metrics`. */
  requestCounts: Map<string, number>;
}
