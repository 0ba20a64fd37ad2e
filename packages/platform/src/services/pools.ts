import { sql } from 'kysely';
import type { Broker, PoolHealth } from '../brokers/broker';
import type { Db } from '../db/database';

/** How long a pool's health answer is trusted (catalog reads and placements reuse it). */
const HEALTH_TTL_MS = 10_000;

/** Why a service cannot take instances on this platform. */
export const NOT_CONFIGURED = (service: string) =>
  `未配置引擎池 · No engine pool is configured for ${service} on this platform`;

/**
 * The engine pools of every service, and placement: a new instance goes to the least-loaded
 * pool (fewest live instances) that is healthy and below its capacity.
 */
export class BrokerPools {
  readonly #byPool = new Map<string, Broker>();
  readonly #health = new Map<string, { at: number; value: Promise<PoolHealth> }>();
  /** Each service's health as last checked (read synchronously by the catalog routes). */
  readonly #snapshot = new Map<string, PoolHealth>();
  #refresher: NodeJS.Timeout | undefined;

  /** Services whose engine could not start here, with the reason (e.g. no redis-server). */
  readonly #unavailable: ReadonlyMap<string, string>;

  constructor(brokers: readonly Broker[], unavailable: ReadonlyMap<string, string> = new Map()) {
    this.#unavailable = unavailable;
    for (const broker of brokers) {
      if (this.#byPool.has(broker.pool)) throw new Error(`duplicate engine pool ${broker.pool}`);
      this.#byPool.set(broker.pool, broker);
    }
  }

  /** The broker of a pool an instance was placed on (undefined once the pool is removed). */
  get(pool: string): Broker | undefined {
    return this.#byPool.get(pool);
  }

  /** Every configured pool. */
  all(): Broker[] {
    return [...this.#byPool.values()];
  }

  forService(service: string): Broker[] {
    return [...this.#byPool.values()].filter((b) => b.service === service);
  }

  /** Health of one pool, cached briefly. */
  health(broker: Broker): Promise<PoolHealth> {
    const cached = this.#health.get(broker.pool);
    if (cached && Date.now() - cached.at < HEALTH_TTL_MS) return cached.value;
    const value = broker.health();
    this.#health.set(broker.pool, { at: Date.now(), value });
    return value;
  }

  /** Whether a service can take instances: available when any of its pools is healthy. */
  async serviceHealth(service: string): Promise<PoolHealth> {
    const brokers = this.forService(service);
    if (brokers.length === 0) return { available: false, reason: this.#notConfigured(service) };
    const answers = await Promise.all(brokers.map((b) => this.health(b)));
    const healthy = answers.find((a) => a.available);
    if (healthy) return healthy;
    return { available: false, reason: answers.map((a) => !a.available && a.reason).join('; ') };
  }

  /**
   * The pool for a new instance of `service`: healthy, below capacity, with the fewest live
   * instances (counted in the caller's transaction). Undefined when none can take it.
   */
  async place(db: Db, service: string): Promise<Broker | undefined> {
    const brokers = this.forService(service);
    if (brokers.length === 0) return undefined;
    const load = await liveInstances(db, brokers);
    const candidates = brokers
      .filter((b) => (load.get(b.pool) ?? 0) < b.capacity)
      .sort((a, b) => (load.get(a.pool) ?? 0) - (load.get(b.pool) ?? 0));
    for (const broker of candidates) {
      if ((await this.health(broker)).available) return broker;
    }
    return undefined;
  }

  /** Checks every service's pools now and keeps the answers for `snapshot`. */
  async refresh(services: readonly string[]): Promise<void> {
    const answers = await Promise.all(services.map((s) => this.serviceHealth(s)));
    for (const [i, s] of services.entries()) this.#snapshot.set(s, answers[i]!);
  }

  /** Refreshes the snapshot every `ms` in the background (the timer never keeps Node alive). */
  keepFresh(services: readonly string[], ms = HEALTH_TTL_MS): void {
    clearInterval(this.#refresher);
    this.#refresher = setInterval(() => void this.refresh(services).catch(() => {}), ms);
    this.#refresher.unref();
  }

  /** A service's health as last checked (by `refresh`); not configured when never checked. */
  snapshot(service: string): PoolHealth {
    return (
      this.#snapshot.get(service) ??
      (this.forService(service).length > 0
        ? { available: true }
        : { available: false, reason: this.#notConfigured(service) })
    );
  }

  #notConfigured(service: string): string {
    return this.#unavailable.get(service) ?? NOT_CONFIGURED(service);
  }

  /** Forgets cached health (after an engine error, so the next read asks again). */
  forgetHealth(pool: string): void {
    this.#health.delete(pool);
  }

  async close(): Promise<void> {
    clearInterval(this.#refresher);
    await Promise.allSettled([...this.#byPool.values()].map((b) => b.close()));
  }
}

/** Live (not deleted) instances on each pool of `brokers` (none placed: absent from the map). */
export async function liveInstances(
  db: Db,
  brokers: readonly Broker[],
): Promise<Map<string, number>> {
  const { rows } = await sql<{ pool: string; n: number }>`
    SELECT pool, count(*)::int AS n FROM instances
     WHERE pool = ANY(${brokers.map((b) => b.pool)}::text[]) AND state <> 'deleted'
     GROUP BY pool`.execute(db);
  return new Map(rows.map((r) => [r.pool, r.n]));
}
