import { afterAll, beforeAll, describe } from 'vitest';
import { PostgresBroker } from '../../src/brokers/postgresql';
import { postgresBrokerSuite } from './postgresql-suite';
import { SERVERS, serverAvailable } from './servers';

// This machine's PostgreSQL (ZW_POSTGRES_URL), as an external pool.
const available = await serverAvailable('PostgreSQL', SERVERS.postgresql, 5432);

describe.runIf(available)('external PostgreSQL pool', () => {
  let broker: PostgresBroker;
  beforeAll(() => {
    broker = new PostgresBroker({ adminUrl: SERVERS.postgresql, pool: 'postgresql-test' });
  });
  // Registered before the suite's own afterAll (which needs the broker): runs after it.
  afterAll(() => broker.close());

  postgresBrokerSuite('external', () => broker, { passwordsChecked: false });
});
