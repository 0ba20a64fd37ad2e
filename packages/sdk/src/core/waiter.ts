import { NotFoundError, ZhengwuError } from './errors';
import { sleep } from './retry';

export interface WaiterOptions {
  /** Give up after this many milliseconds. Default 600 000 (10 minutes). */
  maxWaitTime?: number;
  /** Shortest delay between polls in ms. Default 1 000. */
  minDelay?: number;
  /** Longest delay between polls in ms. Default 15 000. */
  maxDelay?: number;
  /** Stops waiting (throws `APIUserAbortError`). */
  signal?: AbortSignal | null;
  /** Called with each polled state, e.g. to show progress. */
  onPoll?: (state: unknown) => void;
}

/** What an acceptor decides about one polled state. */
export type WaitDecision = 'success' | 'failure' | 'retry';

/** The waiter reached its `maxWaitTime` before the resource reached the wanted state. */
export class WaiterTimeoutError<T = unknown> extends ZhengwuError {
  override name = 'WaiterTimeoutError';
  constructor(
    readonly lastState: T,
    readonly waitedMs: number,
    readonly polls: number,
    what: string,
  ) {
    super(`等待超时 · Gave up waiting for ${what} after ${waitedMs} ms and ${polls} polls`);
  }
}

/** The resource reached a state from which the wanted state cannot follow (e.g. `failed`). */
export class WaiterFailureError<T = unknown> extends ZhengwuError {
  override name = 'WaiterFailureError';
  constructor(
    readonly state: T,
    what: string,
    reason?: string,
  ) {
    super(`等待失败 · ${what} ended in a failure state${reason ? `: ${reason}` : ''}`);
  }
}

/**
 * Polls until `accept` says success or failure, with randomized exponential delays between
 * `minDelay` and `maxDelay`, and one last poll right at the deadline (AWS SDK v3 style).
 */
export async function waitFor<T>(
  what: string,
  poll: () => Promise<T>,
  accept: (state: T) => WaitDecision,
  options: WaiterOptions = {},
  reasonOf: (state: T) => string | undefined = () => undefined,
): Promise<T> {
  const { maxWaitTime = 600_000, minDelay = 1_000, maxDelay = 15_000, signal, onPoll } = options;
  const start = Date.now();
  const deadline = start + maxWaitTime;
  for (let polls = 1; ; polls++) {
    const state = await poll();
    onPoll?.(state);
    const decision = accept(state);
    if (decision === 'success') return state;
    if (decision === 'failure') throw new WaiterFailureError(state, what, reasonOf(state));
    const left = deadline - Date.now();
    if (left <= 0) throw new WaiterTimeoutError(state, Date.now() - start, polls, what);
    const ceiling = Math.min(maxDelay, minDelay * 2 ** (polls - 1));
    const delay = minDelay + Math.random() * (ceiling - minDelay);
    await sleep(Math.min(delay, left), signal);
  }
}

/**
 * Polls until a resource is gone: `deleted`, or not found once its record expired (404).
 * `failed` ends the wait with `WaiterFailureError`.
 */
export async function waitGone(
  what: string,
  read: () => Promise<{ state: string }>,
  options?: WaiterOptions,
): Promise<void> {
  await waitFor(
    what,
    () =>
      read().catch((error: unknown) => {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }),
    (r) => (!r || r.state === 'deleted' ? 'success' : r.state === 'failed' ? 'failure' : 'retry'),
    options,
  );
}
