import { connect } from 'node:net';

/**
 * This machine's engine servers, used by broker tests for real. Override with the
 * variables named here (the same ones the platform reads, `ZW_*`).
 */
export const SERVERS = {
  postgresql: process.env.ZW_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  mysql: process.env.ZW_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/',
  redis: process.env.ZW_REDIS_URL ?? 'redis://127.0.0.1:6379',
  rabbitmq: process.env.ZW_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  rabbitmqManagement:
    process.env.ZW_RABBITMQ_MANAGEMENT_URL ?? 'http://guest:guest@127.0.0.1:15672',
  mqtt: process.env.ZW_MQTT_URL ?? 'mqtt://127.0.0.1:1883',
} as const;

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || defaultPort) });
    socket.setTimeout(2000, () => resolve(socket.destroy() && false));
    socket.once('connect', () => resolve(socket.end() && true));
    socket.once('error', () => resolve(false));
  });
}

/**
 * Whether the server at `url` answers. In CI a missing server throws (the suite must fail,
 * never skip); elsewhere it returns false after printing why, and the caller skips.
 */
export async function serverAvailable(
  name: string,
  url: string,
  defaultPort: number,
): Promise<boolean> {
  if (await reachable(url, defaultPort)) return true;
  const reason = `${name} at ${new URL(url).host} is not reachable`;
  if (process.env.CI) throw new Error(`${reason} — CI needs it running`);
  console.warn(`skipping ${name} tests: ${reason}`);
  return false;
}
