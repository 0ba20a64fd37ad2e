import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { purgeAppsStorage } from './apps/purge';
import { type AppRuntimeParts, startAppRuntime } from './apps/start';
import { HeadAnchor } from './audit/anchor';
import { AuditLog } from './audit/log';
import { FAILURE_WINDOW_MS } from './auth/failure-limiter';
import { oidcVerifier } from './auth/oidc';
import { purgeFailures } from './auth/shared-failures';
import { AUTH_CHANGED_CHANNEL, TokenCache } from './auth/token-cache';
import { auditKey, ensureAdminToken } from './bootstrap';
import type { Broker } from './brokers/broker';
import { startEngines } from './brokers/engines';
import type { PlatformConfig } from './config';
import { lockDataDir } from './data-dir-lock';
import { connect, type Db, migrate } from './db/database';
import { startEmbeddedDatabase } from './db/embedded';
import { buildApp } from './http/app';
import type { PlatformContext } from './http/context';
import { Metrics } from './http/metrics';
import { registerStateMetrics } from './http/state-metrics';
import { type Durability, type DurabilityOptions, startDurability } from './operations/durability';
import { OPERATIONS_CHANNEL } from './operations/queue';
import { handlers } from './routes';
import { routingServerFactory } from './runtime/server';
import { Keyring, loadOrCreateMasterKey } from './secrets';
import { SERVICE_IDS } from './services/availability';
import type { CredentialSealer } from './services/context';
import { BrokerPools } from './services/pools';
import { purgeDeletedServices } from './services/purge-deleted';
import { reapplyRedisUsers } from './services/reapply';
import { revokeDueCredentials, serviceOperations } from './services/work';

export interface RunningPlatform {
  /** Base URL the platform listens on, e.g. `http://127.0.0.1:7070`. */
  url: string;
  /** The platform-admin token, only on the start that created it. */
  adminToken: string | undefined;
  app: FastifyInstance;
  db: Db;
  /** Connection URL of the state database (with its password: for tests and tools only). */
  databaseUrl: string;
  context: PlatformContext;
  /** Operation workers and maintenance jobs (audit retention, key and operation purges). */
  durability: Durability;
  /** Graceful stop: stop accepting, finish in-flight requests, close the database, stop embedded engines. */
  stop(): Promise<void>;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** Starts the control plane: state database (embedded or external), migrations, HTTP API. */
/**
 * Keeps a connection that `LISTEN`s to every replica: token invalidations (if it fails, the
 * cache is cleared and staleness is bounded by its TTL, `ZW_AUTH_CACHE_MS`) and newly
 * enqueued operations (idle workers wake; without it they still find them at the next poll).
 */
async function listenForChanges(
  url: string,
  cache: TokenCache,
  onOperation: () => void,
): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    application_name: 'zhengwu-platform-listener',
  });
  client.on('notification', (message) => {
    if (message.channel === OPERATIONS_CHANNEL) onOperation();
    else cache.clear();
  });
  client.on('error', () => cache.clear());
  await client.connect();
  await client.query(`LISTEN ${AUTH_CHANGED_CHANNEL}`);
  await client.query(`LISTEN ${OPERATIONS_CHANNEL}`);
  return client;
}

/** Binding credentials sealed as JSON by the keyring (envelope encryption per tenant). */
function sealerOf(keyring: Keyring): CredentialSealer {
  return {
    seal: (tenantId, value, context) => keyring.encryptJson(tenantId, value, context),
    open: (tenantId, sealed, context) => keyring.decryptJson(tenantId, sealed, context),
  };
}

/** What only code can set when starting a platform (tests, embedding programs). */
export interface PlatformOptions extends DurabilityOptions {
  /** Engine pools to use instead of those the configuration names. */
  brokers?: Broker[];
}

export async function startPlatform(
  config: PlatformConfig,
  options: PlatformOptions = {},
): Promise<RunningPlatform> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const unlock = await lockDataDir(config.dataDir);
  const embedded = await (config.databaseUrl
    ? undefined
    : startEmbeddedDatabase(config.dataDir).catch(async (error: unknown) => {
        await unlock();
        throw error;
      }));
  const url = config.databaseUrl ?? embedded!.url;
  const db = connect(url);
  const tokenCache = new TokenCache(config.authCacheMs);
  let listener: pg.Client | undefined;
  let pools: BrokerPools | undefined;
  let runtime: AppRuntimeParts | undefined;
  let serverFactory: ReturnType<typeof routingServerFactory> | undefined;
  let anchor: HeadAnchor | undefined;
  // Engines start while the state database migrates (after it: both embedded clusters may
  // create the same OS user on first start). Their faults reach the log once it exists.
  let engineFault = (_engine: string, _error: unknown) => {};
  const engines = options.brokers
    ? Promise.resolve({ brokers: options.brokers, unavailable: new Map<string, string>() })
    : startEngines(config, undefined, (engine, error) => engineFault(engine, error));
  engines.catch(() => {});
  try {
    await migrate(db);
    const { brokers, unavailable } = await engines;
    pools = new BrokerPools(brokers, unavailable);
    await pools.refresh(SERVICE_IDS);
    pools.keepFresh(SERVICE_IDS);
    const keyring = new Keyring(db, {
      masterKeys: await loadOrCreateMasterKey(config.dataDir, config.masterKey),
      mode: config.crypto,
      // With the key file, a rotation run elsewhere adds a key this process re-reads.
      reloadMasterKeys: config.masterKey ? undefined : () => loadOrCreateMasterKey(config.dataDir),
    });
    const services = { pools, sealer: sealerOf(keyring) };
    await reapplyRedisUsers(db, pools, services.sealer);
    const chainKey = await auditKey(config.auditKey, config.dataDir);
    anchor = await HeadAnchor.load(config.dataDir, chainKey);
    const context: PlatformContext = {
      config,
      db,
      audit: new AuditLog(chainKey, anchor),
      metrics: new Metrics(),
      tokenCache,
      version,
      draining: false,
      services,
    };
    registerStateMetrics(context.metrics, db, pools);
    let wakeWorkers = () => {};
    listener = await listenForChanges(url, tokenCache, () => wakeWorkers());
    const adminToken = await ensureAdminToken(db, config.dataDir);
    if (config.appRuntime === 'local') {
      runtime = startAppRuntime(context);
      context.apps = runtime.apps;
      serverFactory = routingServerFactory(runtime.router, config.tls);
    }
    const operations = new Map([
      ...serviceOperations(services, context.audit),
      ...(runtime?.operations ?? []),
    ]);
    // A pending operation canceled through the API never reaches a worker: the route runs
    // its finalizer (an instance that will not be provisioned fails and frees its quota).
    context.operationFinalizer = (type) => operations.get(type)?.finalize;
    const app = buildApp(context, {
      handlers,
      tls: config.tls,
      oidc: config.oidc && oidcVerifier(db, config.oidc),
      ...(serverFactory && { serverFactory }),
    });
    // Say, an object whose data file fails authentication (altered on disk).
    engineFault = (engine, error) =>
      app.log.error({ err: error, engine }, '引擎处理请求失败 · an engine failed a request');
    await anchor.start(db, app.log, context.metrics.registry);
    const address = await app.listen({ host: config.host, port: config.port });
    runtime?.apps.runtime.setPublicPort(Number(new URL(address).port));
    const durability = startDurability(context, app.log, options, operations, (jobs) => {
      jobs.every('credentials-revoke', 5_000, () => revokeDueCredentials(services, db));
      jobs.every('auth-failures-purge', MINUTE, () => purgeFailures(db, FAILURE_WINDOW_MS));
      const { audit } = context;
      jobs.every('deleted-services-purge', HOUR, () => purgeDeletedServices(db, audit), 5 * MINUTE);
      if (runtime) {
        const purge = () => purgeAppsStorage(db, audit, config.dataDir);
        jobs.every('apps-storage-purge', HOUR, purge, 5 * MINUTE);
      }
    });
    wakeWorkers = () => durability.runner.wake();
    // Apps that were running come back in the background (the API answers meanwhile).
    runtime?.restore().catch((error) => app.log.error({ err: error }, 'restoring apps failed'));
    return {
      // Behind the app router's server factory Fastify does not know it serves TLS.
      url: (config.tls ? address.replace(/^http:/, 'https:') : address).replace(
        '[::1]',
        'localhost',
      ),
      adminToken,
      app,
      db,
      databaseUrl: url,
      context,
      durability,
      async stop() {
        context.draining = true;
        // Followed log streams end first: they would hold `app.close()` open.
        runtime?.apps.logStore.endStreams();
        // Operations finish (or are released) while in-flight requests drain.
        await Promise.all([app.close(), durability.stop()]);
        await runtime?.close();
        // After the last append, before the database goes: the anchor covers every event.
        await anchor
          ?.stop()
          .catch((error: unknown) =>
            app.log.error(
              { err: error },
              '审计链头锚点写入失败 · writing the audit head anchor failed',
            ),
          );
        await listener?.end().catch(() => {});
        await pools?.close();
        await db.destroy();
        await embedded?.stop();
        await unlock();
      },
    };
  } catch (error) {
    anchor?.halt();
    await runtime?.close().catch(() => {});
    await listener?.end().catch(() => {});
    await (pools ?? new BrokerPools((await engines.catch(() => null))?.brokers ?? [])).close();
    await db.destroy().catch(() => {});
    await embedded?.stop().catch(() => {});
    await unlock();
    throw error;
  }
}
