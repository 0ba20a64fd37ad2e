import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { AuditLog } from './audit/log';
import { oidcVerifier } from './auth/oidc';
import { AUTH_CHANGED_CHANNEL, TokenCache } from './auth/token-cache';
import { auditKey, ensureAdminToken } from './bootstrap';
import type { PlatformConfig } from './config';
import { connect, type Db, migrate } from './db/database';
import { startEmbeddedDatabase } from './db/embedded';
import { buildApp } from './http/app';
import type { PlatformContext } from './http/context';
import { Metrics } from './http/metrics';
import { type Durability, type DurabilityOptions, startDurability } from './operations/durability';
import { handlers } from './routes';

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

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** Starts the control plane: state database (embedded or external), migrations, HTTP API. */
/**
 * Keeps a connection that `LISTEN`s for token invalidations from every replica. If it
 * fails, the cache is cleared and staleness is bounded by its TTL (`ZW_AUTH_CACHE_MS`).
 */
async function listenForAuthChanges(url: string, cache: TokenCache): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    application_name: 'zhengwu-platform-listener',
  });
  client.on('notification', () => cache.clear());
  client.on('error', () => cache.clear());
  await client.connect();
  await client.query(`LISTEN ${AUTH_CHANGED_CHANNEL}`);
  return client;
}

export async function startPlatform(
  config: PlatformConfig,
  options: DurabilityOptions = {},
): Promise<RunningPlatform> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const embedded = config.databaseUrl ? undefined : await startEmbeddedDatabase(config.dataDir);
  const url = config.databaseUrl ?? embedded!.url;
  const db = connect(url);
  const tokenCache = new TokenCache(config.authCacheMs);
  let listener: pg.Client | undefined;
  try {
    await migrate(db);
    const context: PlatformContext = {
      config,
      db,
      audit: new AuditLog(await auditKey(config.auditKey, config.dataDir)),
      metrics: new Metrics(),
      tokenCache,
      version,
      draining: false,
    };
    listener = await listenForAuthChanges(url, tokenCache);
    const adminToken = await ensureAdminToken(db, config.dataDir);
    const app = buildApp(context, {
      handlers,
      tls: config.tls,
      oidc: config.oidc && oidcVerifier(db, config.oidc),
    });
    const address = await app.listen({ host: config.host, port: config.port });
    const durability = startDurability(context, app.log, options);
    return {
      url: address.replace('[::1]', 'localhost'),
      adminToken,
      app,
      db,
      databaseUrl: url,
      context,
      durability,
      async stop() {
        context.draining = true;
        // Operations finish (or are released) while in-flight requests drain.
        await Promise.all([app.close(), durability.stop()]);
        await listener?.end().catch(() => {});
        await db.destroy();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await listener?.end().catch(() => {});
    await db.destroy().catch(() => {});
    await embedded?.stop().catch(() => {});
    throw error;
  }
}
