import type { Broker } from '../brokers/broker';
import type { RedisBroker } from '../brokers/redis';
import type { Db } from '../db/database';
import type { InstanceRow } from '../db/schema';
import { type CredentialSealer, credentialsContext } from './context';
import { specOf } from './plans';
import type { BrokerPools } from './pools';

/**
 * Puts back the ACL users of live bindings on Redis pools that keep users in memory only
 * (no `aclfile`): after a Redis restart they are gone while apps still hold their
 * credentials. Runs at platform start; a pool that is down is skipped (its health says so).
 */
export async function reapplyRedisUsers(
  db: Db,
  pools: BrokerPools,
  sealer: CredentialSealer,
): Promise<number> {
  let restored = 0;
  for (const broker of pools.forService('redis')) {
    if (!isRedisBroker(broker) || !(await pools.health(broker)).available) continue;
    if ((await broker.persistence()) !== 'memory') continue;
    const rows = await db
      .selectFrom('binding_credentials as c')
      .innerJoin('bindings as b', 'b.id', 'c.binding_id')
      .innerJoin('instances as i', 'i.id', 'b.instance_id')
      .selectAll('i')
      .select(['c.binding_id', 'c.version', 'c.sealed', 'b.parameters as binding_parameters'])
      .where('i.pool', '=', broker.pool)
      .where('i.state', 'in', ['ready', 'updating'])
      .where('b.state', 'in', ['ready', 'rotating'])
      .where('c.revoked_at', 'is', null)
      .execute();
    const grants = await Promise.all(
      rows.map(async (row) => ({
        instance: specOf(row as unknown as InstanceRow),
        binding: { id: row.binding_id, version: row.version, parameters: row.binding_parameters },
        credentials: await sealer.open(
          row.tenant_id,
          row.sealed,
          credentialsContext(row.binding_id, row.version),
        ),
      })),
    );
    await broker.reapply(grants);
    restored += grants.length;
  }
  return restored;
}

/** A Redis pool's broker (checked by shape: the Redis client loads only when configured). */
function isRedisBroker(broker: Broker): broker is RedisBroker {
  return typeof (broker as Partial<RedisBroker>).persistence === 'function';
}
