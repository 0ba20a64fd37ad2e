import type { Zhengwu } from '@zhengwu/sdk';
import pg from 'pg';

/** Waits poll briskly here; a real program can keep the SDK defaults (1 s to 15 s). */
const brisk = { minDelay: 50, maxDelay: 500, maxWaitTime: 120_000 };

/** One row of the example's table, as `pg` returns it. */
export interface ApplicationRow {
  id: number;
  applicant: string;
  matter: string;
  filed_at: Date;
}

export interface PostgresResult {
  /** The tenant the example made (a platform-wide token belongs to none), else null. */
  tenantId: string | null;
  instanceId: string;
  bindingId: string;
  /** The rows read back after the inserts. */
  rows: ApplicationRow[];
  serverVersion: string;
}

/**
 * PostgreSQL from the marketplace, used with `pg`: provision an instance, bind it, read the
 * binding's credentials, connect, create a table, insert rows and read them back.
 *
 * @param suffix appended to the names so the example can run again on one platform
 */
export async function postgres(
  client: Zhengwu,
  log: (line: string) => void = console.log,
  suffix = Math.random().toString(36).slice(2, 8),
): Promise<PostgresResult> {
  // A platform-wide token (the bootstrap admin) belongs to no tenant: make one to work in.
  const me = await client.tokens.whoami();
  const tenantId = me.tenantId
    ? null
    : (
        await client.tenants.create({
          parentId: null,
          name: `pg-example-${suffix}`,
          displayName: { zh: 'PostgreSQL 示例', en: 'PostgreSQL example' },
          level: 'province',
        })
      ).id;

  log('① 开通 PostgreSQL · Provisioning PostgreSQL (plan dev)');
  const instance = await client.instances.create({
    name: `applications-db-${suffix}`,
    service: 'postgresql',
    plan: 'dev',
    ...(tenantId && { tenantId }),
  });
  await client.instances.waitUntilReady(instance.id, brisk);
  log(`   ${instance.id} ready`);

  log('② 绑定并读取凭据 · Binding and reading the credentials');
  const binding = await client.bindings.create({ instanceId: instance.id, name: 'web' });
  await client.bindings.waitUntilReady(binding.id, brisk);
  const { credentials } = await client.bindings.credentials<'postgresql'>(binding.id);
  log(`   ${credentials.username}@${credentials.host}:${credentials.port}/${credentials.database}`);

  log('③ 用 pg 连接并写入 · Connecting with pg, creating a table, inserting rows');
  // The URI carries user, password, host, port, database and (when the pool has TLS) sslmode.
  const db = new pg.Client({ connectionString: credentials.uri });
  await db.connect();
  try {
    const { rows: version } = await db.query<{ server_version: string }>('SHOW server_version');
    await db.query(`
      CREATE TABLE applications (
        id        serial PRIMARY KEY,
        applicant text NOT NULL,
        matter    text NOT NULL,
        filed_at  timestamptz NOT NULL DEFAULT now()
      )`);
    const filed: [string, string][] = [
      ['张三', '食品经营许可'],
      ['李四', '建设工程规划许可'],
      ['Wang Wu', 'Business licence'],
    ];
    for (const [applicant, matter] of filed) {
      // Parameters ($1, $2), never string concatenation: values are data, not SQL.
      await db.query('INSERT INTO applications (applicant, matter) VALUES ($1, $2)', [
        applicant,
        matter,
      ]);
    }

    log('④ 读回 · Reading the rows back');
    const { rows } = await db.query<ApplicationRow>(
      'SELECT id, applicant, matter, filed_at FROM applications ORDER BY id',
    );
    for (const row of rows) log(`   #${row.id} ${row.applicant} — ${row.matter}`);
    return {
      tenantId,
      instanceId: instance.id,
      bindingId: binding.id,
      rows,
      serverVersion: version[0]!.server_version,
    };
  } finally {
    await db.end();
  }
}

/** Removes what `postgres` made: the binding, the instance (its data with it), the tenant. */
export async function cleanUp(client: Zhengwu, result: PostgresResult): Promise<void> {
  await client.bindings.delete(result.bindingId);
  await client.instances.delete(result.instanceId);
  await client.instances.waitUntilDeleted(result.instanceId, brisk);
  if (result.tenantId) await client.tenants.delete(result.tenantId);
}
