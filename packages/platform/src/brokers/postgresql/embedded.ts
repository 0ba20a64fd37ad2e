import { type EmbeddedDatabase, startEmbeddedDatabase } from '../../db/embedded';
import { PostgresBroker, type PostgresBrokerOptions } from './broker';

/**
 * Client authentication of the engine cluster: TCP on loopback only, and every role — the
 * admin included — proves its password with SCRAM. (initdb's default may trust local
 * connections; a binding's password must really be checked.)
 */
const ENGINE_HBA = `# zhengwu engine pool: every login proves its password
# TYPE  DATABASE  USER  ADDRESS       METHOD
host    all       all   127.0.0.1/32  scram-sha-256
host    all       all   ::1/128       scram-sha-256
`;

/**
 * Starts (initialising on first use) the embedded PostgreSQL engine pool under
 * `<dataDir>/engines/postgresql`: a cluster of its own, apart from the control plane's state
 * in `<dataDir>/postgres`. `url` is its superuser URL (database `postgres`); its port is
 * chosen at first start and kept.
 */
export function startEmbeddedPostgresPool(
  dataDir: string,
  log: (line: string) => void = () => {},
): Promise<EmbeddedDatabase> {
  return startEmbeddedDatabase(dataDir, log, {
    cluster: 'engines/postgresql',
    database: null,
    hba: ENGINE_HBA,
    // Bindings hand this address to apps: it must survive a platform restart.
    stablePort: true,
  });
}

/** The embedded pool and a broker over it; closing the broker stops the cluster. */
export async function createEmbeddedPostgresBroker(
  dataDir: string,
  options: Omit<PostgresBrokerOptions, 'adminUrl' | 'onClose'> = {},
  log?: (line: string) => void,
): Promise<PostgresBroker> {
  const cluster = await startEmbeddedPostgresPool(dataDir, log);
  return new PostgresBroker({
    pool: 'postgresql-embedded',
    ...options,
    adminUrl: cluster.url,
    onClose: () => cluster.stop(),
  });
}
