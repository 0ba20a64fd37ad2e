import { startEmbeddedRedis } from './embedded';
import { RedisBroker, type RedisBrokerOptions } from './redis-broker';

/** The embedded Redis and a broker over it; closing the broker stops the server. */
export async function createEmbeddedRedisBroker(
  dataDir: string,
  options: Omit<RedisBrokerOptions, 'url' | 'onClose' | 'publicPort'> & {
    binary: string;
    port?: number;
  },
  log?: (line: string) => void,
): Promise<RedisBroker> {
  const { binary, port, ...broker } = options;
  const server = await startEmbeddedRedis(dataDir, { binary, port, log });
  return new RedisBroker({
    pool: 'redis-embedded',
    ...broker,
    url: server.url,
    onClose: () => server.stop(),
  });
}
