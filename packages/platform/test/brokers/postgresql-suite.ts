import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  type BindingSpec,
  type Credentials,
  EngineUnavailableError,
  engineName,
  type InstanceSpec,
} from '../../src/brokers/broker';
import { PostgresBroker } from '../../src/brokers/postgresql';
import { newId } from '../../src/ids';
import { credentialsErrors } from './catalog-credentials';

/** Provision and rotation create databases and wait for sessions to end. */
const SLOW = 60_000;

/**
 * The acceptance suite of the PostgreSQL broker, run against the external pool and the
 * embedded one. `broker()` is called in each test (the caller starts it in `beforeAll`).
 * `passwordsChecked`: the pool authenticates TCP logins by password (this machine's external
 * PostgreSQL trusts 127.0.0.1, so there a dropped role is what refuses a login).
 */
export function postgresBrokerSuite(
  label: string,
  broker: () => PostgresBroker,
  { passwordsChecked }: { passwordsChecked: boolean },
): void {
  const instances: InstanceSpec[] = [];
  const names = new Set<string>();
  const clients: pg.Client[] = [];

  const instance = (connections = 20, parameters: Record<string, unknown> = {}): InstanceSpec => {
    const spec = {
      id: newId('ins'),
      tenantId: newId('ten'),
      plan: 'dev',
      limits: { connections },
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
  const bind = async (ins: InstanceSpec, bnd: BindingSpec) => {
    names.add(engineName(bnd.id, bnd.version));
    return broker().bind(ins, bnd);
  };

  /** Connects with the ordinary client, from credentials only (`database` overrides). */
  const connect = async (credentials: Credentials, database?: string): Promise<pg.Client> => {
    const url = new URL(String(credentials.uri));
    if (database) url.pathname = `/${database}`;
    const client = new pg.Client({ connectionString: url.href, connectionTimeoutMillis: 5000 });
    client.on('error', () => {}); // a terminated session also rejects its next query
    clients.push(client);
    await client.connect();
    return client;
  };

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end().catch(() => {})));
  });

  afterAll(async () => {
    for (const spec of instances) await broker().deprovision(spec);
    const { instances: left, credentials } = await broker().inventory();
    expect([...left, ...credentials].filter((name) => names.has(name))).toEqual([]);
  }, SLOW);

  describe(`PostgreSQL broker (${label})`, () => {
    it('reports the pool available', async () => {
      expect(await broker().health()).toEqual({ available: true });
    });

    it(
      "gives two tenants working databases that the other tenant's credentials cannot reach",
      async () => {
        const a = instance();
        const b = instance();
        await broker().provision(a);
        await broker().provision(b);
        const credA = await bind(a, binding());
        const credB = await bind(b, binding());
        expect(credA).toMatchObject({
          database: engineName(a.id),
          username: expect.stringMatching(/^zw_b_/),
          tls: { mode: 'disable', gm: false },
        });
        expect(String(credA.password).length).toBeGreaterThanOrEqual(32);
        expect(credentialsErrors('postgresql', credA)).toEqual([]);

        const clientA = await connect(credA);
        await clientA.query('CREATE TABLE notes (body text)');
        await clientA.query(`INSERT INTO notes VALUES ('from A')`);
        const { rows } = await clientA.query('SELECT body FROM notes');
        expect(rows).toEqual([{ body: 'from A' }]);

        await expect(connect(credB, engineName(a.id))).rejects.toThrow(
          `permission denied for database "${engineName(a.id)}"`,
        );
        // B in its own database sees its own empty schema, not A's table.
        const clientB = await connect(credB);
        await expect(clientB.query('SELECT body FROM notes')).rejects.toThrow(
          'relation "notes" does not exist',
        );
      },
      SLOW,
    );

    it(
      'keeps bindings out of the maintenance databases',
      async () => {
        const a = instance();
        await broker().provision(a);
        const credentials = await bind(a, binding());
        await expect(connect(credentials, 'postgres')).rejects.toThrow(
          'permission denied for database "postgres"',
        );
        await expect(connect(credentials, 'template1')).rejects.toThrow(
          'permission denied for database "template1"',
        );
      },
      SLOW,
    );

    it(
      'gives a read-only binding SELECT and nothing more',
      async () => {
        const a = instance();
        await broker().provision(a);
        const writer = await connect(await bind(a, binding()));
        await writer.query(`CREATE TABLE before_ro (n int); INSERT INTO before_ro VALUES (1)`);
        const reader = await connect(await bind(a, binding({ readOnly: true })));
        // A table made after the read-only binding is covered by the default privileges.
        await writer.query(`CREATE TABLE after_ro (n int); INSERT INTO after_ro VALUES (2)`);

        expect((await reader.query('SELECT n FROM before_ro')).rows).toEqual([{ n: 1 }]);
        expect((await reader.query('SELECT n FROM after_ro')).rows).toEqual([{ n: 2 }]);
        await expect(reader.query('INSERT INTO before_ro VALUES (3)')).rejects.toThrow(
          'permission denied for table before_ro',
        );
        await expect(reader.query('CREATE TABLE mine (n int)')).rejects.toThrow(
          'permission denied for schema public',
        );
      },
      SLOW,
    );

    it(
      'rotates: v2 sees what v1 wrote, v1 can no longer log in and its open session ends',
      async () => {
        const a = instance();
        await broker().provision(a);
        const v1 = binding();
        const cred1 = await bind(a, v1);
        const session1 = await connect(cred1);
        await session1.query(`CREATE TABLE notes (body text); INSERT INTO notes VALUES ('v1')`);
        // Made as the login role itself (SET ROLE NONE; RESET ROLE returns to the group):
        // unbind must hand it to the group rather than drop it.
        await session1.query(
          'SET ROLE NONE; CREATE TABLE own_v1 (n int); INSERT INTO own_v1 VALUES (7)',
        );
        const owner = await session1.query(
          `SELECT tableowner FROM pg_tables WHERE tablename = 'own_v1'`,
        );
        expect(owner.rows).toEqual([{ tableowner: cred1.username }]);

        const v2 = { ...v1, version: 2 };
        const cred2 = await bind(a, v2);
        expect(cred2.username).not.toBe(cred1.username);
        await broker().unbind(a, v1);

        await expect(session1.query('SELECT 1')).rejects.toThrow();
        await expect(connect(cred1)).rejects.toThrow(
          /role ".*" does not exist|password authentication failed/,
        );
        const session2 = await connect(cred2);
        expect((await session2.query('SELECT body FROM notes')).rows).toEqual([{ body: 'v1' }]);
        expect((await session2.query('SELECT n FROM own_v1')).rows).toEqual([{ n: 7 }]);
        const owners = await session2.query(
          `SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`,
        );
        expect(owners.rows).toEqual([{ tableowner: engineName(a.id) }]);
      },
      SLOW,
    );

    it(
      "enforces the plan's connection limit and applies a new one on update",
      async () => {
        const a = instance(2);
        await broker().provision(a);
        const credentials = await bind(a, binding());
        await connect(credentials);
        await connect(credentials);
        await expect(connect(credentials)).rejects.toThrow(
          /too many connections for (role|database)/,
        );

        await broker().update({ ...a, limits: { connections: 3 } });
        const third = await connect(credentials);
        expect((await third.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
      },
      SLOW,
    );

    it(
      'reports usage: database size and open connections',
      async () => {
        const a = instance();
        await broker().provision(a);
        const client = await connect(await bind(a, binding()));
        await client.query(
          `CREATE TABLE filler AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 20000) g`,
        );
        const usage = await broker().usage(a);
        // An empty database is ~7 MB; 20 000 rows of ~230 bytes add ~4-5 MB.
        expect(usage.storageMb).toBeGreaterThan(9);
        expect(usage.storageMb).toBeLessThan(100);
        expect(usage.connections).toBe(1);
        await client.end();
        await expect.poll(async () => (await broker().usage(a)).connections).toBe(0);
      },
      SLOW,
    );

    it(
      'runs every method twice without harm',
      async () => {
        const a = instance(10, { extensions: ['pgcrypto'] });
        await broker().provision(a);
        await broker().provision(a);
        await broker().update(a);
        await broker().update(a);
        const v1 = binding();
        const first = await bind(a, v1);
        const again = await bind(a, v1); // the last credentials returned are the ones that work
        expect(again.username).toBe(first.username);
        if (passwordsChecked) {
          await expect(connect(first)).rejects.toThrow('password authentication failed');
        }
        const client = await connect(again);
        expect((await client.query(`SELECT digest('x', 'sha256') IS NOT NULL AS ok`)).rows).toEqual(
          [{ ok: true }],
        );
        await client.end();
        await broker().unbind(a, v1);
        await broker().unbind(a, v1);
        await broker().deprovision(a);
        await broker().deprovision(a);
        await expect(broker().usage(a)).rejects.toThrow('实例在资源池中不存在');
      },
      SLOW,
    );

    it(
      'deprovision removes the database and every role; the credentials stop working',
      async () => {
        const a = instance();
        await broker().provision(a);
        const rw = await bind(a, binding());
        const ro = await bind(a, binding({ readOnly: true }));
        const open = await connect(rw);
        expect((await broker().inventory()).instances).toContain(engineName(a.id));

        await broker().deprovision(a);
        const inventory = await broker().inventory();
        expect(inventory.instances).not.toContain(engineName(a.id));
        expect(inventory.credentials).not.toContain(rw.username);
        expect(inventory.credentials).not.toContain(ro.username);
        await expect(open.query('SELECT 1')).rejects.toThrow();
        await expect(connect(rw)).rejects.toThrow(/does not exist|password authentication failed/);
      },
      SLOW,
    );

    it(
      'creates catalog extensions and refuses others',
      async () => {
        const a = instance(20, { extensions: ['pg_trgm', 'uuid-ossp'] });
        await broker().provision(a);
        const client = await connect(await bind(a, binding()));
        const { rows } = await client.query(
          `SELECT similarity('zhengwu', 'zhengwu') AS same, uuid_generate_v4() IS NOT NULL AS uuid`,
        );
        expect(rows).toEqual([{ same: 1, uuid: true }]);
        await expect(broker().provision(instance(20, { extensions: ['postgis'] }))).rejects.toThrow(
          '不支持的扩展 · Unsupported extension: postgis',
        );
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
      const down = new PostgresBroker({
        adminUrl: 'postgres://postgres:s3cret-pw@127.0.0.1:1/postgres',
      });
      try {
        const health = await down.health();
        expect(health.available).toBe(false);
        const reason = (health as { reason: string }).reason;
        expect(reason).toContain(
          'PostgreSQL 资源池不可达 · PostgreSQL pool 127.0.0.1:1 is unreachable',
        );
        expect(reason).not.toContain('s3cret-pw');
        const error = await down.provision(instance()).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(EngineUnavailableError);
        expect(String((error as Error).message)).not.toContain('s3cret-pw');
      } finally {
        await down.close();
      }
    });
  });
}
