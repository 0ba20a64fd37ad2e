/**
 * A platform in a child process for `crash-provision.test.ts`: embedded state in
 * `CHILD_DATA_DIR`, one PostgreSQL pool at `CHILD_POOL_URL` (the test's proxy), short
 * retries. Prints `ZW_CHILD_READY {"url": …}` once it listens.
 */
import { PostgresBroker } from '../../src/brokers/postgresql';
import { loadConfig } from '../../src/config';
import { startPlatform } from '../../src/platform';

const platform = await startPlatform(
  loadConfig({
    ZW_PORT: '0',
    ZW_DATA_DIR: process.env.CHILD_DATA_DIR!,
    ZW_LOG_LEVEL: 'silent',
    ZW_EMBEDDED_ENGINES: 'none',
  }),
  {
    brokers: [
      new PostgresBroker({
        adminUrl: process.env.CHILD_POOL_URL!,
        pool: 'postgresql-crash',
        publicHost: process.env.CHILD_PUBLIC_HOST,
        publicPort: Number(process.env.CHILD_PUBLIC_PORT),
      }),
    ],
    // Retries far enough apart that the test kills it between two, long before the last.
    operations: {
      pollMs: 100,
      leaseMs: 1000,
      backoff: { baseMs: 1000, maxMs: 2000, jitter: false },
    },
  },
);
console.log(`ZW_CHILD_READY ${JSON.stringify({ url: platform.url })}`);
