import { APIUserAbortError } from './errors';

/** Longest server-requested wait we honour; beyond it we fall back to our own backoff. */
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Whether a response is worth another attempt: the server's `x-should-retry` wins, else
 * 408 (timeout), 409 (lock or idempotency conflict), 429 (rate limit) and 5xx.
 */
export function shouldRetry(response: Response): boolean {
  const hint = response.headers.get('x-should-retry');
  if (hint === 'true' || hint === 'false') return hint === 'true';
  const s = response.status;
  return s === 408 || s === 409 || s === 429 || s >= 500;
}

/**
 * Milliseconds to wait before retry number `retry` (0-based). Honours `retry-after-ms` and
 * `Retry-After` (seconds or HTTP date) up to 60 s; otherwise exponential backoff from 0.5 s
 * capped at 8 s, with up to 25 % jitter so a crowd of clients does not retry in lockstep.
 */
export function retryDelay(retry: number, headers?: Headers): number {
  const ms = headers?.get('retry-after-ms');
  let wait = ms ? Number(ms) : Number.NaN;
  const after = headers?.get('retry-after');
  if (Number.isNaN(wait) && after) {
    wait = Number(after) * 1000;
    if (Number.isNaN(wait)) wait = Date.parse(after) - Date.now();
  }
  if (wait >= 0 && wait <= MAX_RETRY_AFTER_MS) return wait;
  return Math.min(500 * 2 ** retry, 8000) * (1 - Math.random() * 0.25);
}

/** Resolves after `ms`, or rejects with `APIUserAbortError` as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new APIUserAbortError({ cause: signal.reason }));
    const done = () => {
      signal?.removeEventListener('abort', abort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(new APIUserAbortError({ cause: signal?.reason }));
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}
