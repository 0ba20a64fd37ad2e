import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { installProblemHandlers, Problem, sendProblem } from './problem.js';
import { adminRoutes } from './routes-admin.js';
import { consumerRoutes } from './routes-consumer.js';
import { servePublic } from './static.js';

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');

/**
 * The HTTP app without listening, so tests and server.js build it the same way.
 * @param {{ db: import('pg').Pool, redis: import('./redis.js').RedisStore, adminToken: string,
 *   defaultRateLimit?: number, now?: () => number,
 *   logger?: import('fastify').FastifyServerOptions['logger'] }} deps
 */
export function buildApp(deps) {
  const app = Fastify({ logger: deps.logger ?? false, trustProxy: true });
  installProblemHandlers(app);

  // Probes come every few seconds: log them only when they fail.
  const probe = { logLevel: 'warn' };
  app.get('/healthz', probe, async () => ({ status: 'ok' }));
  app.get('/readyz', probe, async (_request, reply) => {
    try {
      await deps.db.query('SELECT 1');
      await deps.redis.ping();
      return { status: 'ready' };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return sendProblem(
        reply,
        new Problem('not_ready', `依赖不可用 · Dependency unavailable: ${message}`),
      );
    }
  });

  app.register(adminRoutes, {
    prefix: '/api/admin',
    db: deps.db,
    adminToken: deps.adminToken,
    defaultRateLimit: deps.defaultRateLimit ?? 60,
  });
  app.register(consumerRoutes, {
    prefix: '/api/v1',
    db: deps.db,
    redis: deps.redis,
    now: deps.now ?? Date.now,
  });
  servePublic(app, PUBLIC_DIR);
  return app;
}
