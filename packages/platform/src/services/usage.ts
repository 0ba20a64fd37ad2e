import type { Schemas } from '@zhengwu/openapi';
import type { Broker } from '../brokers/broker';
import type { InstanceRow } from '../db/schema';
import { specOf } from './plans';

/** Engine figures are reused this long: dashboards poll, engines should not feel it. */
const FRESH_MS = 15_000;
const MAX_CACHED = 10_000;
const cache = new Map<string, { at: number; value: Schemas['InstanceUsage'] }>();

/** An instance's usage as its engine reports it, at most `FRESH_MS` old. */
export async function instanceUsage(
  broker: Broker,
  row: InstanceRow,
): Promise<Schemas['InstanceUsage']> {
  const hit = cache.get(row.id);
  if (hit && Date.now() - hit.at < FRESH_MS) return hit.value;
  const figures = await broker.usage(specOf(row));
  const value: Schemas['InstanceUsage'] = {
    instanceId: row.id,
    asOf: new Date().toISOString(),
    storageMb: Math.max(0, Math.ceil(figures.storageMb)),
    ...(figures.connections !== undefined && { connections: figures.connections }),
    ...(figures.memoryMb !== undefined && { memoryMb: Math.ceil(figures.memoryMb) }),
    ...(figures.messages !== undefined && { messages: figures.messages }),
  };
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(row.id, { at: Date.now(), value });
  return value;
}
