import { POSTGRESQL_EXTENSIONS } from '@zhengwu/catalog';
import pg from 'pg';
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
import { newPassword, scramVerifier } from './secrets';

const { escapeIdentifier: ident, escapeLiteral: literal } = pg;

export interface PostgresBrokerOptions {
  /** A superuser URL of the cluster (`ZW_POSTGRES_URL`); never shown in errors. */
  adminUrl: string;
  /** This pool's id (`Instance.pool`); default `postgresql`. */
  pool?: string;
  /** How many instances this pool may hold; default 100. */
  capacity?: number;
  /** Host and port apps reach the cluster on (credentials); default the admin URL's. */
  publicHost?: string;
  publicPort?: number;
  /** What apps must use to reach the pool; default `disable` (a loopback pool without TLS). */
  tls?: { mode: TlsMode; gm?: boolean };
  /** Runs in `close()` after the connections are released (stops an embedded cluster). */
  onClose?: () => Promise<void>;
}

/** Transport security of the pool, as the catalog's credentials schema names it. */
export type TlsMode = 'disable' | 'require' | 'verify-full';

/** The extensions the catalog offers (parameters are validated already; this is defence). */
const EXTENSIONS = new Set<string>(POSTGRESQL_EXTENSIONS);

/** Marks a login role with the instance it belongs to, so deprovision finds read-only ones. */
const bindingComment = (group: string) => `zhengwu binding of ${group}`;

/** The connection limit of a plan in PostgreSQL's terms (-1: none). */
function connectionLimit(limits: PlanLimits): number {
  const n = limits.connections;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : -1;
}

/**
 * PostgreSQL broker. Per instance a NOLOGIN group role that owns a database of the same name
 * and its `public` schema; per binding version a LOGIN role, member of the group (whose
 * sessions act as the group, so every table belongs to the group and survives rotation) or
 * holding read-only grants. PUBLIC may not connect to the instance database, nor to
 * `postgres` or `template1`.
 */
export class PostgresBroker implements Broker {
  readonly service = 'postgresql';
  readonly pool: string;
  readonly capacity: number;
  private readonly admin: pg.Pool;
  private readonly adminUrl: URL;
  /** `host:port` of the pool, the only way errors name it. */
  private readonly where: string;
  private readonly publicHost: string;
  private readonly publicPort: number;
  private readonly tls: { mode: TlsMode; gm: boolean };
  private prepared: Promise<void> | undefined;

  constructor(private readonly options: PostgresBrokerOptions) {
    this.adminUrl = new URL(options.adminUrl);
    this.pool = options.pool ?? 'postgresql';
    this.capacity = options.capacity ?? 100;
    this.where = `${this.adminUrl.hostname}:${this.adminUrl.port || 5432}`;
    this.publicHost = options.publicHost ?? this.adminUrl.hostname.replace(/^\[|\]$/g, '');
    this.publicPort = options.publicPort ?? Number(this.adminUrl.port || 5432);
    this.tls = { mode: options.tls?.mode ?? 'disable', gm: options.tls?.gm ?? false };
    this.admin = new pg.Pool({
      connectionString: options.adminUrl,
      max: 4,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 10_000,
      application_name: 'zhengwu-broker',
    });
    // An idle connection the server closed must not crash the process; the next query reconnects.
    this.admin.on('error', () => {});
  }

  async health(): Promise<PoolHealth> {
    const client = new pg.Client({
      connectionString: this.options.adminUrl,
      connectionTimeoutMillis: 3000,
      query_timeout: 3000,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      const { rows } = await client.query<{ super: boolean; version: number }>(
        `SELECT rolsuper AS super, current_setting('server_version_num')::int AS version
           FROM pg_roles WHERE rolname = current_user`,
      );
      const row = rows[0];
      if (!row?.super) {
        return {
          available: false,
          reason: `PostgreSQL 资源池的管理账号不是超级用户 · The admin role of PostgreSQL pool ${this.where} is not a superuser`,
        };
      }
      if (row.version < 140000) {
        return {
          available: false,
          reason: `PostgreSQL 资源池版本过低（需要 14 以上）· PostgreSQL pool ${this.where} runs ${row.version}; version 14 or later is needed`,
        };
      }
      return { available: true };
    } catch (error) {
      return {
        available: false,
        reason: `PostgreSQL 资源池不可达 · PostgreSQL pool ${this.where} is unreachable: ${describe(error)}`,
      };
    } finally {
      await client.end().catch(() => {});
    }
  }

  async provision(instance: InstanceSpec): Promise<void> {
    await this.prepare();
    const name = engineName(instance.id);
    const limit = connectionLimit(instance.limits);
    await this.onAdmin(async (c) => {
      const { rows } = await c.query<{ role: boolean; db: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS role,
                EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS db`,
        [name],
      );
      if (!rows[0]?.role) await c.query(`CREATE ROLE ${ident(name)} NOLOGIN`);
      if (rows[0]?.db) {
        await c.query(`ALTER DATABASE ${ident(name)} CONNECTION LIMIT ${limit}`);
      } else {
        await c.query(
          `CREATE DATABASE ${ident(name)} OWNER ${ident(name)} CONNECTION LIMIT ${limit}`,
        );
      }
      await c.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${ident(name)} FROM PUBLIC`);
    });
    await this.onInstanceDatabase(name, async (c) => {
      await c.query(
        `ALTER SCHEMA public OWNER TO ${ident(name)}; REVOKE ALL ON SCHEMA public FROM PUBLIC`,
      );
      await this.createExtensions(c, instance.parameters.extensions);
    });
  }

  async update(instance: InstanceSpec): Promise<void> {
    const name = engineName(instance.id);
    const limit = connectionLimit(instance.limits);
    await this.onAdmin(async (c) => {
      await this.requireDatabase(c, instance);
      await c.query(`ALTER DATABASE ${ident(name)} CONNECTION LIMIT ${limit}`);
      for (const login of await this.loginRoles(c, name)) {
        await c.query(`ALTER ROLE ${ident(login)} CONNECTION LIMIT ${limit}`);
      }
    });
    await this.onInstanceDatabase(name, (c) =>
      this.createExtensions(c, instance.parameters.extensions),
    );
  }

  async deprovision(instance: InstanceSpec): Promise<void> {
    const name = engineName(instance.id);
    await this.onAdmin(async (c) => {
      const logins = await this.loginRoles(c, name);
      for (const login of logins) await c.query(`ALTER ROLE ${ident(login)} NOLOGIN`);
      await this.terminate(c, 'datname = $1 OR usename = ANY($2)', [name, logins]);
      await c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
      for (const role of [...logins, name]) await this.dropRole(c, role);
    });
  }

  async bind(instance: InstanceSpec, binding: BindingSpec): Promise<Credentials> {
    const group = engineName(instance.id);
    const login = engineName(binding.id, binding.version);
    const readOnly = binding.parameters.readOnly === true;
    const password = newPassword();
    const verifier = await scramVerifier(password);
    const limit = connectionLimit(instance.limits);
    await this.onAdmin(async (c) => {
      await c.query('BEGIN');
      try {
        await this.requireDatabase(c, instance);
        const { rowCount } = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [login]);
        await c.query(
          `${rowCount ? 'ALTER' : 'CREATE'} ROLE ${ident(login)} LOGIN PASSWORD ${literal(verifier)}
             CONNECTION LIMIT ${limit}`,
        );
        if (readOnly) {
          await c.query(`GRANT CONNECT ON DATABASE ${ident(group)} TO ${ident(login)}`);
        } else {
          // Sessions start as the group: what they create is the group's, not this version's.
          await c.query(
            `GRANT ${ident(group)} TO ${ident(login)}; ALTER ROLE ${ident(login)} SET role = ${literal(group)}`,
          );
        }
        await c.query(`COMMENT ON ROLE ${ident(login)} IS ${literal(bindingComment(group))}`);
        await c.query('COMMIT');
      } catch (error) {
        await c.query('ROLLBACK').catch(() => {});
        throw error;
      }
    });
    if (readOnly) {
      await this.onInstanceDatabase(group, (c) =>
        c.query(
          `GRANT USAGE ON SCHEMA public TO ${ident(login)};
           GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${ident(login)};
           ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(group)} IN SCHEMA public
             GRANT SELECT ON TABLES TO ${ident(login)}`,
        ),
      );
    }
    return this.credentials(group, login, password);
  }

  async unbind(instance: InstanceSpec, binding: BindingSpec): Promise<void> {
    const group = engineName(instance.id);
    const login = engineName(binding.id, binding.version);
    const present = await this.onAdmin(async (c) => {
      const { rows } = await c.query<{ role: boolean; db: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS role,
                EXISTS (SELECT 1 FROM pg_database WHERE datname = $2) AS db`,
        [login, group],
      );
      if (!rows[0]?.role) return undefined;
      // No new sessions, then end the open ones: the old password stops working now.
      await c.query(`ALTER ROLE ${ident(login)} NOLOGIN`);
      await this.terminate(c, 'usename = $1', [login]);
      return rows[0];
    });
    if (!present) return;
    if (present.db) {
      // Anything the version made as itself (`SET ROLE NONE`) goes to the group: no data is lost.
      await this.onInstanceDatabase(group, (c) =>
        c.query(
          `REASSIGN OWNED BY ${ident(login)} TO ${ident(group)}; DROP OWNED BY ${ident(login)}`,
        ),
      );
    }
    await this.onAdmin((c) => this.dropRole(c, login));
  }

  async usage(instance: InstanceSpec): Promise<EngineUsage> {
    const name = engineName(instance.id);
    return this.onAdmin(async (c) => {
      await this.requireDatabase(c, instance);
      const { rows } = await c.query<{ bytes: string; connections: number }>(
        `SELECT pg_database_size($1::name)::text AS bytes,
                (SELECT count(*)::int FROM pg_stat_activity WHERE datname = $1::name) AS connections`,
        [name],
      );
      const row = rows[0]!;
      return { storageMb: Number(row.bytes) / 1024 / 1024, connections: row.connections };
    });
  }

  async inventory(): Promise<EngineInventory> {
    return this.onAdmin(async (c) => {
      const databases = await c.query<{ name: string }>(
        `SELECT datname AS name FROM pg_database WHERE datname LIKE 'zw\\_i\\_%' ORDER BY 1`,
      );
      const roles = await c.query<{ name: string }>(
        `SELECT rolname AS name FROM pg_roles
          WHERE rolname LIKE 'zw\\_i\\_%' OR rolname LIKE 'zw\\_b\\_%' ORDER BY 1`,
      );
      const instances = new Set(databases.rows.map((r) => r.name));
      const credentials: string[] = [];
      for (const { name } of roles.rows) {
        if (name.startsWith('zw_i_')) instances.add(name);
        else credentials.push(name);
      }
      return { instances: [...instances].sort(), credentials };
    });
  }

  async close(): Promise<void> {
    await this.admin.end();
    await this.options.onClose?.();
  }

  /**
   * Once per broker: PUBLIC may not connect to the maintenance databases, so a binding
   * reaches its own database only. (A managed cluster may refuse this for template1.)
   */
  private prepare(): Promise<void> {
    this.prepared ??= this.onAdmin(async (c) => {
      await c.query('REVOKE CONNECT ON DATABASE postgres FROM PUBLIC');
      await c.query('REVOKE CONNECT ON DATABASE template1 FROM PUBLIC').catch(() => {});
    }).catch((error) => {
      this.prepared = undefined;
      throw error;
    });
    return this.prepared;
  }

  private async createExtensions(c: pg.ClientBase, wanted: unknown): Promise<void> {
    if (!Array.isArray(wanted)) return;
    for (const extension of wanted) {
      if (typeof extension !== 'string' || !EXTENSIONS.has(extension)) {
        throw new Error(`不支持的扩展 · Unsupported extension: ${String(extension)}`);
      }
      const { rowCount } = await c.query('SELECT 1 FROM pg_available_extensions WHERE name = $1', [
        extension,
      ]);
      if (!rowCount) {
        throw new Error(
          `扩展 ${extension} 在此资源池不可用 · Extension ${extension} is not available on pool ${this.pool}`,
        );
      }
      await c.query(`CREATE EXTENSION IF NOT EXISTS ${ident(extension)}`);
    }
  }

  /** The login roles of an instance: members of its group, and read-only roles marked for it. */
  private async loginRoles(c: pg.ClientBase, group: string): Promise<string[]> {
    const { rows } = await c.query<{ name: string }>(
      `SELECT m.rolname AS name FROM pg_auth_members a
         JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
        WHERE g.rolname = $1 AND m.rolname LIKE 'zw\\_b\\_%'
       UNION
       SELECT rolname FROM pg_roles
        WHERE rolname LIKE 'zw\\_b\\_%' AND shobj_description(oid, 'pg_authid') = $2`,
      [group, bindingComment(group)],
    );
    return rows.map((r) => r.name).sort();
  }

  /** Ends the sessions matching `where`, waiting (up to 5 s each) until they are gone. */
  private async terminate(c: pg.ClientBase, where: string, values: unknown[]): Promise<void> {
    await c.query(
      `SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity
        WHERE pid <> pg_backend_pid() AND (${where})`,
      values,
    );
  }

  /** Drops a role and what it holds in the admin database and on shared objects. */
  private async dropRole(c: pg.ClientBase, role: string): Promise<void> {
    const { rowCount } = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (!rowCount) return;
    await c.query(`DROP OWNED BY ${ident(role)}; DROP ROLE IF EXISTS ${ident(role)}`);
  }

  private async requireDatabase(c: pg.ClientBase, instance: InstanceSpec): Promise<void> {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      engineName(instance.id),
    ]);
    if (!rowCount) {
      throw new Error(
        `实例在资源池中不存在 · Instance ${instance.id} has no database on pool ${this.pool}`,
      );
    }
  }

  private credentials(database: string, username: string, password: string): Credentials {
    const host = this.publicHost.includes(':') ? `[${this.publicHost}]` : this.publicHost;
    const query = this.tls.mode === 'disable' ? '' : `?sslmode=${this.tls.mode}`;
    return {
      uri: `postgresql://${username}:${password}@${host}:${this.publicPort}/${database}${query}`,
      host: this.publicHost,
      port: this.publicPort,
      database,
      username,
      password,
      tls: { ...this.tls },
    };
  }

  private onAdmin<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return onEngine(this.where, async () => {
      const client = await this.admin.connect();
      try {
        return await work(client);
      } finally {
        client.release();
      }
    });
  }

  /** Runs `work` as the admin inside the instance's database (schema-level statements). */
  private onInstanceDatabase<T>(database: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
    return onEngine(this.where, async () => {
      const url = new URL(this.adminUrl);
      url.pathname = `/${encodeURIComponent(database)}`;
      const client = new pg.Client({ connectionString: url.href, connectionTimeoutMillis: 5000 });
      client.on('error', () => {});
      await client.connect();
      try {
        return await work(client);
      } finally {
        await client.end().catch(() => {});
      }
    });
  }
}
