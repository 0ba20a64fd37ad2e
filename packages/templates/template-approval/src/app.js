import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { installProblemHandlers, Problem, sendProblem } from './problem.js';
import { registerRoutes } from './routes.js';
import { servePublic } from './static.js';

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');

/**
 * The HTTP app without listening, so tests and server.js build it the same way.
 * @param {{ db: import('pg').Pool, storage: import('./storage.js').Storage, maxUploadBytes?: number,
 *   now?: () => Date, logger?: import('fastify').FastifyServerOptions['logger'] }} deps
 */
export function buildApp(deps) {
  const app = Fastify({
    logger: deps.logger ?? false,
    // The platform router sits in front and sets X-Forwarded-For.
    trustProxy: true,
  });
  installProblemHandlers(app);

  // Probes come every few seconds: log them only when they fail.
  const probe = { logLevel: 'warn' };
  app.get('/healthz', probe, async () => ({ status: 'ok' }));
  app.get('/readyz', probe, async (_request, reply) => {
    try {
      await deps.db.query('SELECT 1');
      await deps.storage.ready();
      return { status: 'ready' };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return sendProblem(
        reply,
        new Problem('not_ready', `依赖不可用 · Dependency unavailable: ${message}`),
      );
    }
  });

  registerRoutes(app, {
    db: deps.db,
    storage: deps.storage,
    maxUploadBytes: deps.maxUploadBytes ?? 10 * 1024 * 1024,
    now: deps.now ?? (() => new Date()),
  });
  servePublic(app, PUBLIC_DIR);
  return app;
}
