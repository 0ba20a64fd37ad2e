/**
 * Counts failed authentications per source address over a sliding minute. Past the limit,
 * the address gets 429 until its oldest failure ages out — brute-forcing tokens stays slow.
 * Per replica: with several replicas an attacker gets the limit once per replica.
 */
export class FailureLimiter {
  readonly #failures = new Map<string, number[]>();

  constructor(
    readonly perMinute: number,
    readonly windowMs = 60_000,
  ) {}

  /** Seconds until `address` may try again, or 0 when it may now. */
  retryAfter(address: string, now = Date.now()): number {
    const recent = this.#recent(address, now);
    if (recent.length < this.perMinute) return 0;
    return Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
  }

  record(address: string, now = Date.now()): void {
    const recent = this.#recent(address, now);
    recent.push(now);
    this.#failures.set(address, recent);
    if (this.#failures.size > 100_000) this.#failures.delete(this.#failures.keys().next().value!);
  }

  #recent(address: string, now: number): number[] {
    return (this.#failures.get(address) ?? []).filter((t) => t > now - this.windowMs);
  }
}
