import { MYSQL_GBK_COLLATIONS, MYSQL_UTF8MB4_COLLATIONS } from '@zhengwu/catalog';
import mysql, { type Pool, type PoolConnection, type RowDataPacket } from 'mysql2/promise';
import {
  type BindingSpec,
  type Broker,
  type Credentials,
  type EngineInventory,
  type EngineUsage,
  engineName,
  type InstanceSpec,
  type PlanLimits,
  type PoolHealth,
} from '../broker';
import { describe, onEngine } from './errors';
import { nativePasswordHash, newPassword } from './secrets';

export interface MysqlBrokerOptions {
  /** An admin URL with CREATE USER and GRANT OPTION (`ZW_MYSQL_URL`); never shown in errors. */
  adminUrl: string;
  /** This pool's id (`Instance.pool`); default `mysql`. */
  pool?: string;
  /** How many instances this pool may hold; default 100. */
  capacity?: number;
  /** Host and port apps reach the server on (credentials); default the admin URL's. */
  publicHost?: string;
  publicPort?: number;
  /** What apps must use to reach the pool; default `disable` (a loopback pool without TLS). */
  tls?: { mode: 'disable' | 'require' | 'verify-full'; gm?: boolean };
  /** The host part of binding accounts; default `%` (any host). */
  userHost?: string;
}

/** The catalog's character sets and their collations (parameters are validated already). */
const COLLATIONS = new Map<unknown, readonly string[]>([
  ['utf8mb4', MYSQL_UTF8MB4_COLLATIONS],
  ['gbk', MYSQL_GBK_COLLATIONS],
]);

/** Waits this long for killed sessions to be gone before dropping their account. */
const KILL_WAIT_MS = 5000;

/** MySQL's per-account connection limit for a plan (0: the server's default, no own limit). */
function maxUserConnections(limits: PlanLimits): number {
  const n = limits.connections;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 0;
}

/**
 * A database name as GRANT reads it: `_` and `%` there are wildcards (`zw_i_a` would also
 * match `zwXiXa`), so they are escaped. mysql.db stores the name in this form.
 */
const grantPattern = (database: string) => database.replace(/[\\_%]/g, '\\$&');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * MySQL-compatible (MariaDB) broker. Per instance a database; per binding version an account
 * `'<engine name>'@'%'` with privileges on that database only (read-only: SELECT) and the
 * plan's MAX_USER_CONNECTIONS. MySQL has no per-database connection limit, so the limit holds
 * per binding version.
 */
export class MysqlBroker implements Broker {
  readonly service = 'mysql';
  readonly pool: string;
  readonly capacity: number;
  private readonly admin: Pool;
  private readonly where: string;
  private readonly publicHost: string;
  private readonly publicPort: number;
  private readonly userHost: string;
  private readonly tls: { mode: 'disable' | 'require' | 'verify-full'; gm: boolean };

  constructor(private readonly options: MysqlBrokerOptions) {
    const url = new URL(options.adminUrl);
    this.pool = options.pool ?? 'mysql';
    this.capacity = options.capacity ?? 100;
    this.where = `${url.hostname}:${url.port || 3306}`;
    this.publicHost = options.publicHost ?? url.hostname.replace(/^\[|\]$/g, '');
    this.publicPort = options.publicPort ?? Number(url.port || 3306);
    this.userHost = options.userHost ?? '%';
    this.tls = { mode: options.tls?.mode ?? 'disable', gm: options.tls?.gm ?? false };
    this.admin = mysql.createPool({
      uri: options.adminUrl,
      connectionLimit: 4,
      connectTimeout: 5000,
      maxIdle: 1,
      idleTimeout: 10_000,
    });
  }

  async health(): Promise<PoolHealth> {
    let connection: mysql.Connection | undefined;
    try {
      connection = await mysql.createConnection({
        uri: this.options.adminUrl,
        connectTimeout: 3000,
      });
      const [rows] = await connection.query<RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM mysql.user WHERE User = ''`,
      );
      if (Number(rows[0]?.n) > 0) {
        // An anonymous ''@'localhost' is a more specific match than 'binding'@'%' for local
        // clients: they would log in as the anonymous account instead.
        return {
          available: false,
          reason: `MySQL 资源池存在匿名账号，会遮蔽绑定账号 · MySQL pool ${this.where} has anonymous accounts, which shadow binding accounts; drop them (mariadb-secure-installation)`,
        };
      }
      return { available: true };
    } catch (error) {
      return {
        available: false,
        reason: `MySQL 资源池不可达 · MySQL pool ${this.where} is unreachable: ${describe(error)}`,
      };
    } finally {
      await connection?.end().catch(() => {});
    }
  }

  async provision(instance: InstanceSpec): Promise<void> {
    const { characterSet = 'utf8mb4', collation } = instance.parameters;
    const collations = COLLATIONS.get(characterSet);
    if (!collations) {
      throw new Error(`不支持的字符集 · Unsupported character set: ${String(characterSet)}`);
    }
    if (collation !== undefined && !collations.includes(String(collation))) {
      throw new Error(
        `排序规则不属于字符集 ${characterSet} · Collation ${String(collation)} is not one of ${characterSet}`,
      );
    }
    const collate = collation === undefined ? '' : ` COLLATE ${collation}`;
    await this.onAdmin((c) =>
      c.query(
        `CREATE DATABASE IF NOT EXISTS ${mysql.escapeId(engineName(instance.id))} CHARACTER SET ${characterSet}${collate}`,
      ),
    );
  }

  async update(instance: InstanceSpec): Promise<void> {
    const limit = maxUserConnections(instance.limits);
    await this.onAdmin(async (c) => {
      await this.requireDatabase(c, instance);
      for (const account of await this.accounts(c, engineName(instance.id))) {
        await c.query(`ALTER USER ?@? WITH MAX_USER_CONNECTIONS ${limit}`, account);
      }
    });
  }

  async deprovision(instance: InstanceSpec): Promise<void> {
    const database = engineName(instance.id);
    await this.onAdmin(async (c) => {
      for (const account of await this.accounts(c, database)) await this.dropAccount(c, account);
      await c.query(`DROP DATABASE IF EXISTS ${mysql.escapeId(database)}`);
    });
  }

  async bind(instance: InstanceSpec, binding: BindingSpec): Promise<Credentials> {
    const database = engineName(instance.id);
    const user = engineName(binding.id, binding.version);
    const privileges = binding.parameters.readOnly === true ? 'SELECT' : 'ALL PRIVILEGES';
    const password = newPassword();
    await this.onAdmin(async (c) => {
      await this.requireDatabase(c, instance);
      // One statement creates the account with its password, limit and grant: a crash
      // leaves either nothing or a complete account that deprovision can find by its grant.
      await c.query(
        `GRANT ${privileges} ON \`${grantPattern(database)}\`.* TO ?@?
           IDENTIFIED BY PASSWORD ? WITH MAX_USER_CONNECTIONS ${maxUserConnections(instance.limits)}`,
        [user, this.userHost, nativePasswordHash(password)],
      );
    });
    const host = this.publicHost.includes(':') ? `[${this.publicHost}]` : this.publicHost;
    return {
      uri: `mysql://${user}:${password}@${host}:${this.publicPort}/${database}`,
      host: this.publicHost,
      port: this.publicPort,
      database,
      username: user,
      password,
      tls: { ...this.tls },
    };
  }

  async unbind(_instance: InstanceSpec, binding: BindingSpec): Promise<void> {
    const user = engineName(binding.id, binding.version);
    await this.onAdmin((c) => this.dropAccount(c, [user, this.userHost]));
  }

  async usage(instance: InstanceSpec): Promise<EngineUsage> {
    const database = engineName(instance.id);
    return this.onAdmin(async (c) => {
      await this.requireDatabase(c, instance);
      const [rows] = await c.query<RowDataPacket[]>(
        `SELECT
           (SELECT COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) FROM information_schema.TABLES
             WHERE TABLE_SCHEMA = ?) AS bytes,
           (SELECT COUNT(*) FROM information_schema.PROCESSLIST
             WHERE USER IN (SELECT User FROM mysql.db WHERE Db IN (?, ?))) AS connections`,
        [database, grantPattern(database), database],
      );
      const row = rows[0]!;
      return { storageMb: Number(row.bytes) / 1024 / 1024, connections: Number(row.connections) };
    });
  }

  async inventory(): Promise<EngineInventory> {
    return this.onAdmin(async (c) => {
      const [databases] = await c.query<RowDataPacket[]>(
        `SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA
          WHERE SCHEMA_NAME LIKE 'zw\\_i\\_%' ORDER BY 1`,
      );
      const [users] = await c.query<RowDataPacket[]>(
        `SELECT DISTINCT User AS name FROM mysql.user WHERE User LIKE 'zw\\_b\\_%' ORDER BY 1`,
      );
      return {
        instances: databases.map((r) => String(r.name)),
        credentials: users.map((r) => String(r.name)),
      };
    });
  }

  async close(): Promise<void> {
    await this.admin.end();
  }

  /** The binding accounts holding grants on `database` (`[user, host]`). */
  private async accounts(c: PoolConnection, database: string): Promise<[string, string][]> {
    const [rows] = await c.query<RowDataPacket[]>(
      `SELECT DISTINCT User AS user, Host AS host FROM mysql.db
        WHERE Db IN (?, ?) AND User LIKE 'zw\\_b\\_%'`,
      [grantPattern(database), database],
    );
    return rows.map((r) => [String(r.user), String(r.host)]);
  }

  /** Locks the account (no new logins), ends its sessions, then drops it. */
  private async dropAccount(c: PoolConnection, [user, host]: [string, string]): Promise<void> {
    await c.query('ALTER USER IF EXISTS ?@? ACCOUNT LOCK', [user, host]);
    const sessions = async () => {
      const [rows] = await c.query<RowDataPacket[]>(
        'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = ?',
        [user],
      );
      return rows.map((r) => Number(r.id));
    };
    for (const id of await sessions()) {
      await c.query(`KILL CONNECTION ${id}`).catch((error: { code?: string }) => {
        if (error.code !== 'ER_NO_SUCH_THREAD') throw error; // it ended meanwhile
      });
    }
    const deadline = Date.now() + KILL_WAIT_MS;
    while ((await sessions()).length > 0 && Date.now() < deadline) await sleep(20);
    await c.query('DROP USER IF EXISTS ?@?', [user, host]);
  }

  private async requireDatabase(c: PoolConnection, instance: InstanceSpec): Promise<void> {
    const [rows] = await c.query<RowDataPacket[]>(
      'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [engineName(instance.id)],
    );
    if (rows.length === 0) {
      throw new Error(
        `实例在资源池中不存在 · Instance ${instance.id} has no database on pool ${this.pool}`,
      );
    }
  }

  private onAdmin<T>(work: (c: PoolConnection) => Promise<T>): Promise<T> {
    return onEngine(this.where, async () => {
      const connection = await this.admin.getConnection();
      try {
        return await work(connection);
      } finally {
        connection.release();
      }
    });
  }
}
