import type { Logger } from './runner';

/**
 * Maintenance jobs that run every so often in the background (retention, purges). A run
 * never overlaps the previous one of the same job; `stop()` cancels the timers and waits
 * for runs in progress. Jobs that must not run on two replicas at once take their own
 * advisory lock.
 */
export class PeriodicJobs {
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #running = new Set<Promise<void>>();
  #stopped = false;

  constructor(private readonly log: Logger) {}

  every(
    name: string,
    intervalMs: number,
    job: () => Promise<unknown>,
    firstAfterMs = intervalMs,
  ): void {
    const schedule = (ms: number) => {
      if (this.#stopped) return;
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        const run = job()
          .then(() => undefined)
          .catch((error) =>
            this.log.error({ err: error, job: name }, `periodic job ${name} failed`),
          )
          .finally(() => {
            this.#running.delete(run);
            schedule(intervalMs);
          });
        this.#running.add(run);
      }, ms);
      timer.unref();
      this.#timers.add(timer);
    };
    schedule(firstAfterMs);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await Promise.allSettled([...this.#running]);
  }
}
