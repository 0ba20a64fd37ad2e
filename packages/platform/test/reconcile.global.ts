import type { Broker } from '../src/brokers/broker';
import { MysqlBroker } from '../src/brokers/mysql';
import { PostgresBroker } from '../src/brokers/postgresql';
import { RabbitmqBroker } from '../src/brokers/rabbitmq';
import { RedisBroker } from '../src/brokers/redis';
import { SERVERS } from './brokers/servers';

/**
 * The reconcile check (vitest global teardown): after the whole suite, this machine's
 * engines hold no database, role, user, key prefix or vhost made by Zhengwu — every test
 * cleaned up after itself, and no failed provisioning left anything behind. In CI an orphan
 * fails the run; elsewhere it is printed (an interrupted local run may leave some).
 */
export async function teardown(): Promise<void> {
  const brokers: Broker[] = [
    new PostgresBroker({ adminUrl: SERVERS.postgresql }),
    new MysqlBroker({ adminUrl: SERVERS.mysql }),
    new RedisBroker({ url: SERVERS.redis }),
    new RabbitmqBroker({ managementUrl: SERVERS.rabbitmqManagement, amqpUrl: SERVERS.rabbitmq }),
  ];
  const orphans: string[] = [];
  for (const broker of brokers) {
    if (!(await broker.health()).available) continue;
    const { instances, credentials } = await broker.inventory();
    for (const name of [...instances, ...credentials]) orphans.push(`${broker.service}: ${name}`);
    await broker.close();
  }
  if (orphans.length === 0) return;
  const message = `reconcile: ${orphans.length} engine object(s) left behind by the suite:\n  ${orphans.join('\n  ')}`;
  if (process.env.CI) throw new Error(message);
  console.warn(message);
}
