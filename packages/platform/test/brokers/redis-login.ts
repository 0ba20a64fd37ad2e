import { Redis } from 'ioredis';
import type { Credentials } from '../../src/brokers/broker';

/** A client that logs in with nothing but the returned credentials and never retries. */
export async function login(credentials: Credentials): Promise<Redis> {
  const client = new Redis(credentials.uri as string, {
    lazyConnect: true,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // A refused AUTH arrives as an `error` event; `connect()` then only says "closed".
  let refused: Error | undefined;
  client.on('error', (error: Error) => {
    refused ??= error;
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw refused ?? error;
  }
  return client;
}
