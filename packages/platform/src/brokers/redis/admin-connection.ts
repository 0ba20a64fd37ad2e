import { Redis } from 'ioredis';
import { EngineUnavailableError } from '../broker';

/**
 * Runs `work` on a fresh admin connection and closes it. Broker calls are rare (provision,
 * bind, usage), so a connection per call costs little on a LAN and never leaves a client
 * stuck reconnecting: Redis down means this call fails now and the operation retries.
 */
export async function withAdmin<T>(url: string, work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, {
    // Tenants cannot SELECT, so they live in database 0; the admin must look there too.
    db: 0,
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    connectionName: 'zw-broker',
  });
  // Without a listener ioredis prints connection errors; they reach the caller instead.
  redis.on('error', () => {});
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw unavailable(error);
  }
  try {
    return await work(redis);
  } catch (error) {
    throw isConnectionError(error) ? unavailable(error) : error;
  } finally {
    redis.disconnect();
  }
}

function isConnectionError(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  if (code && /^E[A-Z]+$/.test(code)) return true;
  return /Connection is closed|Stream isn't writeable|LOADING/.test(message ?? '');
}

/** The cause's code only: an ioredis message can echo the address it was given. */
function unavailable(error: unknown): EngineUnavailableError {
  const { code, message } = error as { code?: string; message?: string };
  if (/^(WRONGPASS|NOAUTH|NOPERM)/.test(message ?? '')) {
    return new EngineUnavailableError(
      'Redis 拒绝了管理员凭据 · Redis refused the admin credentials',
    );
  }
  return new EngineUnavailableError(`Redis 不可用 · Redis is unavailable (${code ?? 'error'})`);
}
