/**
 * Requests per second over a sliding window of whole seconds (a ring of per-second
 * counters): what the autoscaler reads for `target.requestsPerSecond`.
 */
export class RequestRate {
  private readonly counts: Uint32Array;
  private readonly seconds: Float64Array;

  constructor(private readonly windowSeconds = 30) {
    this.counts = new Uint32Array(windowSeconds);
    this.seconds = new Float64Array(windowSeconds).fill(-1);
  }

  hit(now = Date.now()): void {
    const second = Math.floor(now / 1000);
    const slot = second % this.windowSeconds;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.counts[slot] = 0;
    }
    this.counts[slot]!++;
  }

  /** Average over the last full `windowSeconds` (the current, partial second excluded). */
  perSecond(now = Date.now()): number {
    const current = Math.floor(now / 1000);
    let total = 0;
    for (let i = 0; i < this.windowSeconds; i++) {
      const second = this.seconds[i]!;
      if (second < current && second >= current - this.windowSeconds) total += this.counts[i]!;
    }
    return total / this.windowSeconds;
  }
}
