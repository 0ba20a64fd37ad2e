import { findRedisServer, RedisServerMissing } from '../../src/brokers/redis/embedded';

/**
 * This machine's `redis-server` for the embedded Redis pool, or false. In CI a missing one
 * throws (the suite must fail, never skip); elsewhere it prints why and the caller skips.
 */
export async function redisServerAvailable(): Promise<string | false> {
  try {
    return await findRedisServer(process.env.ZW_REDIS_SERVER || undefined);
  } catch (error) {
    if (!(error instanceof RedisServerMissing)) throw error;
    if (process.env.CI) throw new Error(`${error.message} — CI needs it installed`);
    console.warn(`skipping embedded Redis tests: ${error.message}`);
    return false;
  }
}
