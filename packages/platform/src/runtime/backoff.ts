export interface RestartPolicy {
  /** First restart delay (1 s); doubles with each crash in a row. */
  baseMs: number;
  /** Longest delay (30 s). */
  maxMs: number;
  /** A replica up this long has recovered: the next crash starts again at `baseMs` (60 s). */
  resetAfterMs: number;
  /** More than this many crashes within `windowMs` = `crashing` (5 in 5 min). */
  crashLoopCount: number;
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  baseMs: 1_000,
  maxMs: 30_000,
  resetAfterMs: 60_000,
  crashLoopCount: 5,
  windowMs: 5 * 60_000,
};

/** The crash history of one replica: how long to wait before the next restart. */
export class CrashHistory {
  private inARow = 0;
  private readonly times: number[] = [];

  constructor(private readonly policy: RestartPolicy) {}

  /** Records a crash of a process that ran `uptimeMs`; returns the delay and whether it is looping. */
  crashed(uptimeMs: number, now = Date.now()): { delayMs: number; looping: boolean } {
    if (uptimeMs >= this.policy.resetAfterMs) this.inARow = 0;
    const delayMs = Math.min(this.policy.baseMs * 2 ** this.inARow, this.policy.maxMs);
    this.inARow = Math.min(this.inARow + 1, 30);
    this.times.push(now);
    while (this.times.length && this.times[0]! <= now - this.policy.windowMs) this.times.shift();
    const looping = this.times.length > this.policy.crashLoopCount;
    // A crash loop keeps retrying at the longest delay.
    return { delayMs: looping ? this.policy.maxMs : delayMs, looping };
  }
}
