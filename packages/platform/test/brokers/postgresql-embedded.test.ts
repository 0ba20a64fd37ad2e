import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName } from '../../src/brokers/broker';
import { createEmbeddedPostgresBroker, type PostgresBroker } from '../../src/brokers/postgresql';
import { newId } from '../../src/ids';
import { postgresBrokerSuite } from './postgresql-suite';

/** A `dev` instance of a made-up tenant, as the broker sees it. */
const devInstance = () => ({
  id: newId('ins'),
  tenantId: newId('ten'),
  plan: 'dev',
  limits: { connections: 5 },
  parameters: {},
});

// The embedded default: a cluster of its own under <dataDir>/engines/postgresql.
describe('embedded PostgreSQL pool', () => {
  let dataDir: string;
  let broker: PostgresBroker;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'zw-engines-'));
    broker = await createEmbeddedPostgresBroker(dataDir);
  }, 120_000);
  // Registered before the suite's own afterAll (which needs the broker): runs after it.
  afterAll(async () => {
    await broker?.close(); // stops the cluster
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('keeps the engine cluster apart from the control plane state, checking passwords', async () => {
    expect(existsSync(join(dataDir, 'engines', 'postgresql', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dataDir, 'postgres'))).toBe(false);
    const hba = await readFile(join(dataDir, 'engines', 'postgresql', 'pg_hba.conf'), 'utf8');
    const rules = hba.split('\n').filter((line) => line.trim() && !line.startsWith('#'));
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) expect(rule).toMatch(/^host\s.*\sscram-sha-256$/);
    expect(broker.pool).toBe('postgresql-embedded');
  });

  it('refuses a binding whose password is wrong, and accepts the right one', async () => {
    const instance = devInstance();
    await broker.provision(instance);
    try {
      const credentials = await broker.bind(instance, {
        id: newId('bnd'),
        version: 1,
        parameters: {},
      });
      const wrong = new URL(String(credentials.uri));
      wrong.password = `${credentials.password}x`;
      const refused = new pg.Client({ connectionString: wrong.href });
      refused.on('error', () => {});
      await expect(refused.connect()).rejects.toThrow(
        `password authentication failed for user "${credentials.username}"`,
      );
      const accepted = new pg.Client({ connectionString: String(credentials.uri) });
      await accepted.connect();
      const { rows } = await accepted.query('SELECT current_database() AS db');
      expect(rows).toEqual([{ db: engineName(instance.id) }]);
      await accepted.end();
    } finally {
      await broker.deprovision(instance);
    }
    expect((await broker.inventory()).instances).not.toContain(engineName(instance.id));
  }, 60_000);

  postgresBrokerSuite('embedded', () => broker, { passwordsChecked: true });
});

// Apps keep a binding's URI across platform restarts: the engine cluster must come back on
// the address it handed out.
it('keeps its port across restarts, so issued credentials still connect', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'zw-engines-restart-'));
  let broker = await createEmbeddedPostgresBroker(dataDir);
  const instance = devInstance();
  try {
    await broker.provision(instance);
    const credentials = await broker.bind(instance, {
      id: newId('bnd'),
      version: 1,
      parameters: {},
    });
    // Once as a cluster from before ports were kept (no port file), once as one with it.
    await broker.close();
    await rm(join(dataDir, 'engines', 'postgresql-port'));
    broker = await createEmbeddedPostgresBroker(dataDir);
    await broker.close();
    broker = await createEmbeddedPostgresBroker(dataDir);
    const kept = await readFile(join(dataDir, 'engines', 'postgresql-port'), 'utf8');
    expect(new URL(String(credentials.uri)).port).toBe(kept.trim());
    const client = new pg.Client({ connectionString: String(credentials.uri) });
    await client.connect();
    const { rows } = await client.query('SELECT current_database() AS db');
    expect(rows).toEqual([{ db: engineName(instance.id) }]);
    await client.end();
    await broker.deprovision(instance);
  } finally {
    await broker.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}, 120_000);
