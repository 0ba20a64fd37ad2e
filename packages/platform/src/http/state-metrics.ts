import { sql } from 'kysely';
import { Gauge } from 'prom-client';
import type { Db } from '../db/database';
import { type BrokerPools, liveInstances } from '../services/pools';
import type { Metrics } from './metrics';

/**
 * Gauges read from the platform's state when Prometheus scrapes (a few indexed counts): engine
 * pools (live instances against capacity, up or down) and the operation queue (depth and the
 * age of the oldest waiting operation), the figures an operator alerts on. Nothing per tenant:
 * thousands of departments would make thousands of series.
 */
export function registerStateMetrics(metrics: Metrics, db: Db, pools: BrokerPools): void {
  const registers = [metrics.registry];
  new Gauge({
    name: 'zhengwu_pool_instances',
    help: 'Live service instances placed on each engine pool',
    labelNames: ['pool', 'service'] as const,
    registers,
    async collect() {
      const counts = await liveInstances(db, pools.all());
      this.reset();
      for (const broker of pools.all()) {
        this.set({ pool: broker.pool, service: broker.service }, counts.get(broker.pool) ?? 0);
      }
    },
  });
  new Gauge({
    name: 'zhengwu_pool_capacity',
    help: 'Instances each engine pool may hold',
    labelNames: ['pool', 'service'] as const,
    registers,
    collect() {
      for (const b of pools.all()) this.set({ pool: b.pool, service: b.service }, b.capacity);
    },
  });
  new Gauge({
    name: 'zhengwu_pool_up',
    help: 'Whether each engine pool answers its health check (1) or not (0)',
    labelNames: ['pool', 'service'] as const,
    registers,
    async collect() {
      const brokers = pools.all();
      const health = await Promise.all(brokers.map((b) => pools.health(b)));
      for (const [i, b] of brokers.entries()) {
        this.set({ pool: b.pool, service: b.service }, health[i]!.available ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'zhengwu_operations',
    help: 'Operations waiting or running, by type and state',
    labelNames: ['type', 'state'] as const,
    registers,
    async collect() {
      const { rows } = await sql<{ type: string; state: string; n: number }>`
        SELECT type, state, count(*)::int AS n FROM operations
         WHERE state IN ('pending', 'running') GROUP BY type, state`.execute(db);
      this.reset();
      for (const r of rows) this.set({ type: r.type, state: r.state }, r.n);
    },
  });
  new Gauge({
    name: 'zhengwu_operations_oldest_pending_seconds',
    help: 'Age of the oldest operation due but not yet started (0 when none): a stuck queue',
    registers,
    async collect() {
      const { rows } = await sql<{ age: number | null }>`
        SELECT extract(epoch FROM now() - min(run_after))::float8 AS age FROM operations
         WHERE state = 'pending' AND run_after <= now()`.execute(db);
      this.set(Math.max(0, rows[0]?.age ?? 0));
    },
  });
}
