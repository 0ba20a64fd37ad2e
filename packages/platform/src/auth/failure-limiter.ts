/**
 * Counts failed authentications per source address over a sliding minute. Past the limit,
 * the address gets 429 until its oldest failure ages out — brute-forcing tokens stays slow.
 * This is each replica's view, checked on every request without a database round trip;
 * failures are also shared through the state database (`shared-failures.ts`) and `adopt`
 * brings that count back, so several replicas hold one limit.
 *
 * Once an address has failed, its attempts still being checked count against the limit
 * too, so a burst of concurrent guesses can't all slip in before the first failures are
 * recorded; an address without failures keeps its full concurrency.
 */
const NONE: readonly number[] = Object.freeze([]);

/** The window failures are counted over. */
export const FAILURE_WINDOW_MS = 60_000;

export class FailureLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly #pending = new Map<string, number>();

  constructor(
    readonly perMinute: number,
    readonly windowMs = FAILURE_WINDOW_MS,
  ) {}

  /** Seconds until `address` may try again, or 0 when it may now. */
  retryAfter(address: string, now = Date.now()): number {
    const recent = this.#recent(address, now);
    if (recent.length === 0) return 0;
    if (recent.length + (this.#pending.get(address) ?? 0) < this.perMinute) return 0;
    return Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
  }

  /** Marks an authentication attempt of `address` as running; call the result when done. */
  begin(address: string): () => void {
    this.#pending.set(address, (this.#pending.get(address) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.#pending.get(address) ?? 1) - 1;
      if (left > 0) this.#pending.set(address, left);
      else this.#pending.delete(address);
    };
  }

  /** Failed authentications of `address` in the last window. */
  failures(address: string, now = Date.now()): number {
    return this.#recent(address, now).length;
  }

  /** Takes the shared count of `address` (every replica's failures, `times` in ms) as its own. */
  adopt(address: string, times: readonly number[], now = Date.now()): void {
    const recent = times.filter((t) => t > now - this.windowMs);
    if (recent.length === 0) this.#failures.delete(address);
    else this.#failures.set(address, recent);
    if (this.#failures.size > 100_000) this.#failures.delete(this.#failures.keys().next().value!);
  }

  record(address: string, now = Date.now()): void {
    const recent = [...this.#recent(address, now), now];
    this.#failures.set(address, recent);
    if (this.#failures.size > 100_000) this.#failures.delete(this.#failures.keys().next().value!);
  }

  #recent(address: string, now: number): readonly number[] {
    const failures = this.#failures.get(address);
    // Most addresses never failed: no array to copy (this runs on every request).
    if (failures === undefined) return NONE;
    return failures.filter((t) => t > now - this.windowMs);
  }
}

/**
 * The address failures are counted under: an IPv4 address (also when IPv4-mapped) as is,
 * an IPv6 address by its /64 — one host usually owns a whole /64, and counting each of its
 * 2^64 addresses apart would let it try without limit.
 */
export function limiterKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
