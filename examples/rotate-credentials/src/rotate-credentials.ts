import type { Zhengwu } from '@zhengwu/sdk';
import pg from 'pg';

/** Waits poll briskly here; a real program can keep the SDK defaults (1 s to 15 s). */
const brisk = { minDelay: 50, maxDelay: 500, maxWaitTime: 120_000 };

/** What PostgreSQL answered to the old credentials. */
export interface Refusal {
  /** The SQLSTATE, e.g. `28P01` (invalid_password). */
  code: string;
  severity: string;
  message: string;
}

export interface RotationResult {
  /** The tenant the example made (a platform-wide token belongs to none), else null. */
  tenantId: string | null;
  instanceId: string;
  bindingId: string;
  before: { version: number; username: string; uri: string };
  after: { version: number; username: string; uri: string };
  /** The session opened with the old credentials, ended by the rotation. */
  openSessionEnded: Refusal;
  /** A new connection with the old credentials, refused. */
  oldRefused: Refusal;
  /** What the new credentials read of the row the old ones wrote. */
  readWithNew: string;
}

/** Connects with a URI and returns the error PostgreSQL answered with (or throws if none). */
async function refusalOf(uri: string): Promise<Refusal> {
  const db = new pg.Client({ connectionString: uri });
  try {
    await db.connect();
  } catch (error) {
    const { code, severity, message } = error as pg.DatabaseError;
    return { code: code ?? '', severity: severity ?? '', message };
  }
  await db.end();
  throw new Error('旧凭据仍可登录 · The old credentials still log in');
}

/**
 * Rotating a binding's credentials: bind a PostgreSQL instance, write with the credentials,
 * rotate, and show that the new credentials work (and see the data) while the old ones are
 * refused by PostgreSQL itself — an open session too.
 *
 * @param suffix appended to the names so the example can run again on one platform
 */
export async function rotateCredentials(
  client: Zhengwu,
  log: (line: string) => void = console.log,
  suffix = Math.random().toString(36).slice(2, 8),
): Promise<RotationResult> {
  const me = await client.tokens.whoami();
  const tenantId = me.tenantId
    ? null
    : (
        await client.tenants.create({
          parentId: null,
          name: `rotate-example-${suffix}`,
          displayName: { zh: '凭据轮换示例', en: 'Rotation example' },
          level: 'province',
        })
      ).id;

  log('① 开通并绑定 PostgreSQL · Provisioning and binding PostgreSQL');
  const instance = await client.instances.create({
    name: `rotation-db-${suffix}`,
    service: 'postgresql',
    plan: 'dev',
    ...(tenantId && { tenantId }),
  });
  await client.instances.waitUntilReady(instance.id, brisk);
  const binding = await client.bindings.create({ instanceId: instance.id, name: 'web' });
  await client.bindings.waitUntilReady(binding.id, brisk);
  const v1 = await client.bindings.credentials<'postgresql'>(binding.id);
  log(`   v${v1.version}: ${v1.credentials.username}`);

  log('② 用旧凭据连接并写入 · Connecting with them and writing a row');
  const old = new pg.Client({ connectionString: v1.credentials.uri });
  // The rotation ends this session: pg reports the server's reason as an 'error' event
  // (then "Connection terminated unexpectedly"); the first one is kept.
  let ended: pg.DatabaseError | undefined;
  old.on('error', (error) => {
    ended ??= error as pg.DatabaseError;
  });
  await old.connect();
  await old.query('CREATE TABLE notes (body text NOT NULL)');
  await old.query('INSERT INTO notes VALUES ($1)', ['轮换前写入 · written before the rotation']);

  log('③ 轮换凭据 · Rotating the credentials (gracePeriodSeconds: 0 — the old ones die now)');
  const rotating = await client.bindings.rotate(binding.id, { gracePeriodSeconds: 0 });
  // The binding is `ready` again as soon as the new version exists; the operation also
  // covers revoking the old one, so wait for the operation.
  await client.operations.waitUntilDone(rotating.lastOperation!.id, brisk);
  const v2 = await client.bindings.credentials<'postgresql'>(binding.id);
  log(`   v${v2.version}: ${v2.credentials.username}`);

  log('④ 新凭据可用 · The new credentials work');
  const fresh = new pg.Client({ connectionString: v2.credentials.uri });
  await fresh.connect();
  const { rows } = await fresh.query<{ body: string }>('SELECT body FROM notes');
  await fresh.end();
  log(`   read: ${rows[0]?.body}`);

  log('⑤ 旧凭据被拒绝 · The old credentials are refused');
  // The open session was terminated; a query on it fails.
  const onOpen = await old.query('SELECT 1').then(
    () => undefined,
    (error: Error) => error,
  );
  await old.end().catch(() => {});
  const sessionError = ended ?? (onOpen as pg.DatabaseError | undefined);
  const openSessionEnded: Refusal = {
    code: sessionError?.code ?? '',
    severity: sessionError?.severity ?? '',
    message: sessionError?.message ?? '会话仍然可用 · the session still works',
  };
  log(`   open session: ${openSessionEnded.code} ${openSessionEnded.message}`);
  const oldRefused = await refusalOf(v1.credentials.uri);
  log(`   new connection: ${oldRefused.severity} ${oldRefused.code} ${oldRefused.message}`);

  const brief = (c: typeof v1) => ({
    version: c.version,
    username: c.credentials.username,
    uri: c.credentials.uri,
  });
  return {
    tenantId,
    instanceId: instance.id,
    bindingId: binding.id,
    before: brief(v1),
    after: brief(v2),
    openSessionEnded,
    oldRefused,
    readWithNew: rows[0]?.body ?? '',
  };
}

/** Removes what `rotateCredentials` made: the instance with its binding, then the tenant. */
export async function cleanUp(client: Zhengwu, result: RotationResult): Promise<void> {
  await client.instances.delete(result.instanceId, { force: true });
  await client.instances.waitUntilDeleted(result.instanceId, brisk);
  if (result.tenantId) await client.tenants.delete(result.tenantId);
}
