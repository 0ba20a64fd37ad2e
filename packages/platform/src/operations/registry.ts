import type { Schemas } from '@zhengwu/openapi';
import type { Db } from '../db/database';
import type { LocalizedText } from '../db/schema';

export type OperationType = Schemas['OperationType'];
export type OperationTargetType = Schemas['OperationTarget']['type'];

/** What a handler is told about the operation it runs. */
export interface OperationView {
  id: string;
  type: OperationType;
  tenantId: string;
  target: { type: OperationTargetType; id: string };
  input: Record<string, unknown>;
  /** This attempt's number, from 1 (a resumed or retried run has a higher one). */
  attempt: number;
  maxAttempts: number;
  /** The progress the previous attempt reported, so a resumed run can skip done steps. */
  progress: { percent: number; step: string | null; message: LocalizedText | null };
  /** The request that enqueued the operation. */
  requestId: string;
}

/** What a handler gets besides the operation. */
export interface OperationContext {
  operation: OperationView;
  /** The platform's state database (the handler's own transactions). */
  db: Db;
  /**
   * Records progress on the operation (visible at `GET /v1/operations/{id}`). Throws
   * `LeaseLostError` when this worker no longer holds the operation: stop then.
   */
  progress(percent: number, step?: string | null, message?: LocalizedText | null): Promise<void>;
  /**
   * Aborted when the operation is canceled (`reason` is an `OperationCanceledError`), when
   * the platform shuts down (`WorkerShutdownError`) or when the lease was lost
   * (`LeaseLostError`). Already aborted on entry when a cancel arrived while no worker held
   * the operation: roll back what earlier attempts did, then throw.
   */
  signal: AbortSignal;
  /**
   * Declares that the work can no longer be undone: a later cancel answers 409
   * `invalid_state`. Throws the cancellation when one arrived first.
   */
  pointOfNoReturn(): Promise<void>;
}

/**
 * Writes a successful handler hands back to be made in the transaction that records the
 * operation's success, so no reader sees the target done while its operation still runs,
 * and a crash before that commit re-runs the (idempotent) handler instead of leaving half.
 */
export type OperationCommit = (trx: Db) => Promise<void>;

/**
 * Runs one attempt of an operation. Resolving means the operation succeeded (with an
 * optional `OperationCommit` of its final writes); throwing
 * means this attempt failed: a `ProblemError` with a 4xx status other than 409 `conflict`
 * or 429 fails the operation at once (the problem becomes `Operation.error`); anything else
 * is retried with exponential backoff until `maxAttempts`.
 *
 * **Handlers must be idempotent.** An attempt can run again after it did part (or all) of
 * its work: the process may die before the result is recorded (it resumes on another
 * worker once the lease expires), and failed attempts are retried. Check what exists
 * before creating it, use the operation id as the idempotency key towards engines, and
 * use `operation.progress` to skip steps a previous attempt finished.
 */
export type OperationHandler = (context: OperationContext) => Promise<void | OperationCommit>;

/**
 * Runs inside the transaction that records an operation's final state, so the target's own
 * state (an instance becoming `failed`, say) commits with it. `problem` is the operation's
 * error (null when it succeeded or was canceled).
 */
export type OperationFinalizer = (
  trx: Db,
  operation: Pick<OperationView, 'id' | 'type' | 'tenantId' | 'target' | 'input' | 'requestId'>,
  state: 'succeeded' | 'failed' | 'canceled',
  problem: { code: string; detail?: unknown } | null,
) => Promise<void>;

const handlers = new Map<OperationType, OperationHandler>();
const finalizers = new Map<OperationType, OperationFinalizer>();

/**
 * Registers the handler of an operation type (one per type and process), and optionally a
 * finalizer run when the operation ends. Returns a function that unregisters them. Workers
 * only claim operations of registered types.
 */
export function registerOperationHandler(
  type: OperationType,
  handler: OperationHandler,
  finalizer?: OperationFinalizer,
): () => void {
  if (handlers.has(type)) throw new Error(`operation type ${type} already has a handler`);
  handlers.set(type, handler);
  if (finalizer) finalizers.set(type, finalizer);
  return () => {
    if (handlers.get(type) === handler) {
      handlers.delete(type);
      finalizers.delete(type);
    }
  };
}

export function operationHandler(type: string): OperationHandler | undefined {
  return handlers.get(type as OperationType);
}

export function operationFinalizer(type: string): OperationFinalizer | undefined {
  return finalizers.get(type as OperationType);
}

export function registeredOperationTypes(): OperationType[] {
  return [...handlers.keys()];
}

/** The operation was canceled through the API. */
export class OperationCanceledError extends Error {
  override name = 'OperationCanceledError';
  constructor() {
    super('the operation was canceled');
  }
}

/** This worker no longer holds the operation (its lease expired and another took it). */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
  constructor(id: string) {
    super(`lost the lease on operation ${id}`);
  }
}

/** The platform is stopping: the attempt is interrupted and the operation released. */
export class WorkerShutdownError extends Error {
  override name = 'WorkerShutdownError';
  constructor() {
    super('the platform is shutting down');
  }
}
