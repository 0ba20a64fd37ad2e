import mysql from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type BindingSpec,
  type Credentials,
  EngineUnavailableError,
  engineName,
  type InstanceSpec,
} from '../../src/brokers/broker';
import { MysqlBroker } from '../../src/brokers/mysql';
import { newId } from '../../src/ids';
import { credentialsErrors } from './catalog-credentials';
import { SERVERS, serverAvailable } from './servers';

const SLOW = 60_000;

// This machine's MariaDB (ZW_MYSQL_URL), as an external pool.
const available = await serverAvailable('MariaDB', SERVERS.mysql, 3306);

describe.runIf(available)('MySQL-compatible broker (MariaDB)', () => {
  let broker: MysqlBroker;
  const instances: InstanceSpec[] = [];
  const names = new Set<string>();
  const connections: mysql.Connection[] = [];

  const instance = (
    connectionLimit = 20,
    parameters: Record<string, unknown> = {},
  ): InstanceSpec => {
    const spec = {
      id: newId('ins'),
      tenantId: newId('ten'),
      plan: 'dev',
      limits: { connections: connectionLimit },
      parameters,
    };
    instances.push(spec);
    names.add(engineName(spec.id));
    return spec;
  };
  const binding = (parameters: Record<string, unknown> = {}): BindingSpec => ({
    id: newId('bnd'),
    version: 1,
    parameters,
  });
  const bind = (ins: InstanceSpec, bnd: BindingSpec) => {
    names.add(engineName(bnd.id, bnd.version));
    return broker.bind(ins, bnd);
  };
  /** Connects with the ordinary client from credentials only (`database` overrides). */
  const connect = async (credentials: Credentials, database?: string) => {
    const url = new URL(String(credentials.uri));
    if (database !== undefined) url.pathname = `/${database}`;
    const connection = await mysql.createConnection({ uri: url.href, connectTimeout: 5000 });
    connection.on('error', () => {}); // a killed session also rejects its next query
    connections.push(connection);
    return connection;
  };

  beforeAll(() => {
    broker = new MysqlBroker({ adminUrl: SERVERS.mysql, pool: 'mysql-test' });
  });

  afterEach(async () => {
    await Promise.all(connections.splice(0).map((c) => c.end().catch(() => {})));
  });

  afterAll(async () => {
    for (const spec of instances) await broker.deprovision(spec);
    const { instances: left, credentials } = await broker.inventory();
    expect([...left, ...credentials].filter((name) => names.has(name))).toEqual([]);
    await broker.close();
  }, SLOW);

  it('reports the pool available', async () => {
    expect(await broker.health()).toEqual({ available: true });
  });

  it(
    "gives two tenants working databases that the other tenant's credentials cannot reach",
    async () => {
      const a = instance();
      const b = instance();
      await broker.provision(a);
      await broker.provision(b);
      const credA = await bind(a, binding());
      const credB = await bind(b, binding());
      expect(credA).toMatchObject({
        uri: expect.stringMatching(/^mysql:\/\//),
        database: engineName(a.id),
        port: 3306,
        tls: { mode: 'disable', gm: false },
      });
      expect(credentialsErrors('mysql', credA)).toEqual([]);

      const sessionA = await connect(credA);
      await sessionA.query('CREATE TABLE notes (body VARCHAR(100))');
      await sessionA.query(`INSERT INTO notes VALUES ('from A')`);
      const [rows] = await sessionA.query('SELECT body FROM notes');
      expect(rows).toEqual([{ body: 'from A' }]);

      await expect(connect(credB, engineName(a.id))).rejects.toThrow(
        `Access denied for user '${credB.username}'@'%' to database '${engineName(a.id)}'`,
      );
      const sessionB = await connect(credB);
      await expect(sessionB.query(`SELECT body FROM ${engineName(a.id)}.notes`)).rejects.toThrow(
        `SELECT command denied to user '${credB.username}'`,
      );
      await expect(
        sessionB.query(`INSERT INTO ${engineName(a.id)}.notes VALUES ('from B')`),
      ).rejects.toThrow(`INSERT command denied to user '${credB.username}'`);
      // B's own database is B's only one.
      const [databases] = await sessionB.query('SHOW DATABASES');
      expect((databases as { Database: string }[]).map((r) => r.Database).sort()).toEqual([
        'information_schema',
        engineName(b.id),
      ]);
      await expect(connect(credB, 'mysql')).rejects.toThrow('Access denied');
    },
    SLOW,
  );

  it('creates the database in the character set and collation asked for', async () => {
    const a = instance(20, { characterSet: 'gbk', collation: 'gbk_chinese_ci' });
    await broker.provision(a);
    const session = await connect(await bind(a, binding()));
    const [rows] = await session.query(
      'SELECT DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()',
    );
    expect(rows).toEqual([{ cs: 'gbk', co: 'gbk_chinese_ci' }]);
    await session.query('CREATE TABLE names (n VARCHAR(10))');
    await session.query(`INSERT INTO names VALUES ('政务云')`);
    const [names] = await session.query('SELECT n, LENGTH(n) AS bytes FROM names');
    expect(names).toEqual([{ n: '政务云', bytes: 6 }]); // two bytes a character in GBK
    await expect(
      broker.provision(instance(20, { characterSet: 'gbk', collation: 'utf8mb4_bin' })),
    ).rejects.toThrow('Collation utf8mb4_bin is not one of gbk');
  });

  it('refuses a wrong password', async () => {
    const a = instance();
    await broker.provision(a);
    const credentials = await bind(a, binding());
    const wrong = new URL(String(credentials.uri));
    wrong.password = `${credentials.password}x`;
    await expect(connect({ ...credentials, uri: wrong.href })).rejects.toThrow(
      `Access denied for user '${credentials.username}'`,
    );
    await expect(connect(credentials)).resolves.toBeDefined();
  });

  it(
    'gives a read-only binding SELECT and nothing more',
    async () => {
      const a = instance();
      await broker.provision(a);
      const writer = await connect(await bind(a, binding()));
      await writer.query('CREATE TABLE numbers (n INT)');
      await writer.query('INSERT INTO numbers VALUES (1)');
      const reader = await connect(await bind(a, binding({ readOnly: true })));
      const [rows] = await reader.query('SELECT n FROM numbers');
      expect(rows).toEqual([{ n: 1 }]);
      await expect(reader.query('INSERT INTO numbers VALUES (2)')).rejects.toThrow(
        'INSERT command denied',
      );
      await expect(reader.query('CREATE TABLE mine (n INT)')).rejects.toThrow(
        'CREATE command denied',
      );
    },
    SLOW,
  );

  it(
    'rotates: v2 sees what v1 wrote, v1 can no longer log in and its open session ends',
    async () => {
      const a = instance();
      await broker.provision(a);
      const v1 = binding();
      const cred1 = await bind(a, v1);
      const session1 = await connect(cred1);
      await session1.query('CREATE TABLE notes (body VARCHAR(100))');
      await session1.query(`INSERT INTO notes VALUES ('v1')`);

      const cred2 = await bind(a, { ...v1, version: 2 });
      expect(cred2.username).not.toBe(cred1.username);
      await broker.unbind(a, v1);

      await expect(session1.query('SELECT 1')).rejects.toThrow();
      await expect(connect(cred1)).rejects.toThrow(`Access denied for user '${cred1.username}'`);
      const session2 = await connect(cred2);
      const [rows] = await session2.query('SELECT body FROM notes');
      expect(rows).toEqual([{ body: 'v1' }]);
    },
    SLOW,
  );

  it(
    "enforces the plan's connection limit and applies a new one on update",
    async () => {
      const a = instance(2);
      await broker.provision(a);
      const credentials = await bind(a, binding());
      await connect(credentials);
      await connect(credentials);
      await expect(connect(credentials)).rejects.toThrow(
        `User '${credentials.username}' has exceeded the 'max_user_connections' resource`,
      );
      await broker.update({ ...a, limits: { connections: 3 } });
      const third = await connect(credentials);
      const [rows] = await third.query('SELECT 1 AS ok');
      expect(rows).toEqual([{ ok: 1 }]);
    },
    SLOW,
  );

  it(
    'reports usage: table storage and open connections',
    async () => {
      const a = instance();
      await broker.provision(a);
      const session = await connect(await bind(a, binding()));
      await session.query('CREATE TABLE filler (id INT PRIMARY KEY, pad VARCHAR(255))');
      const values = Array.from({ length: 5000 }, (_, i) => [i, 'x'.repeat(200)]);
      await session.query('INSERT INTO filler VALUES ?', [values]);
      await session.query('ANALYZE TABLE filler'); // refresh InnoDB's size statistics
      const usage = await broker.usage(a);
      // 5 000 rows of ~210 bytes: about 1-2 MB in InnoDB pages.
      expect(usage.storageMb).toBeGreaterThan(0.5);
      expect(usage.storageMb).toBeLessThan(50);
      expect(usage.connections).toBe(1);
      await session.end();
      await expect.poll(async () => (await broker.usage(a)).connections).toBe(0);
    },
    SLOW,
  );

  it(
    'runs every method twice without harm',
    async () => {
      const a = instance(10);
      await broker.provision(a);
      await broker.provision(a);
      await broker.update(a);
      await broker.update(a);
      const v1 = binding();
      const first = await bind(a, v1);
      const again = await bind(a, v1); // the last credentials returned are the ones that work
      expect(again.username).toBe(first.username);
      await expect(connect(first)).rejects.toThrow('Access denied');
      const session = await connect(again);
      await session.end();
      await broker.unbind(a, v1);
      await broker.unbind(a, v1);
      await broker.deprovision(a);
      await broker.deprovision(a);
      await expect(broker.usage(a)).rejects.toThrow('实例在资源池中不存在');
    },
    SLOW,
  );

  it(
    'deprovision removes the database and every account; the credentials stop working',
    async () => {
      const a = instance();
      await broker.provision(a);
      const rw = await bind(a, binding());
      const ro = await bind(a, binding({ readOnly: true }));
      const open = await connect(rw);
      expect((await broker.inventory()).credentials).toEqual(
        expect.arrayContaining([rw.username, ro.username]),
      );

      await broker.deprovision(a);
      const inventory = await broker.inventory();
      expect(inventory.instances).not.toContain(engineName(a.id));
      expect(inventory.credentials).not.toContain(rw.username);
      expect(inventory.credentials).not.toContain(ro.username);
      await expect(open.query('SELECT 1')).rejects.toThrow();
      await expect(connect(rw)).rejects.toThrow(`Access denied for user '${rw.username}'`);
      await expect(connect(ro)).rejects.toThrow(`Access denied for user '${ro.username}'`);
    },
    SLOW,
  );

  it('refuses to bind an instance it never provisioned', async () => {
    const a = instance();
    await expect(bind(a, binding())).rejects.toThrow(
      `实例在资源池中不存在 · Instance ${a.id} has no database`,
    );
  });

  it('names an unreachable pool without its password', async () => {
    const down = new MysqlBroker({ adminUrl: 'mysql://root:s3cret-pw@127.0.0.1:1/' });
    try {
      const health = await down.health();
      expect(health.available).toBe(false);
      const reason = (health as { reason: string }).reason;
      expect(reason).toContain('MySQL 资源池不可达 · MySQL pool 127.0.0.1:1 is unreachable');
      expect(reason).not.toContain('s3cret-pw');
      const error = await down.provision(instance()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EngineUnavailableError);
      expect(String((error as Error).message)).not.toContain('s3cret-pw');
    } finally {
      await down.close();
    }
  });
});
