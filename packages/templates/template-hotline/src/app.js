import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { installProblemHandlers, Problem, sendProblem } from './problem.js';
import { createRelay } from './relay.js';
import { registerRoutes } from './routes.js';
import { servePublic } from './static.js';

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');

/**
 * The HTTP app without listening, so tests and server.js build it the same way. With a `bus`
 * every committed change is relayed to the message broker right away; without one, events
 * wait in the outbox for the worker's relay.
 * @param {{ db: import('pg').Pool, bus?: import('./bus.js').Bus | null, now?: () => Date,
 *   logger?: import('fastify').FastifyServerOptions['logger'] }} deps
 */
export function buildApp(deps) {
  const app = Fastify({
    logger: deps.logger ?? false,
    // The platform router sits in front and sets X-Forwarded-For.
    trustProxy: true,
  });
  installProblemHandlers(app);
  const relay = createRelay(deps.db, deps.bus ?? null, app.log);
  app.addHook('onClose', async () => {
    await relay.idle();
  });

  // Probes come every few seconds: log them only when they fail.
  const probe = { logLevel: 'warn' };
  app.get('/healthz', probe, async () => ({ status: 'ok' }));
  app.get('/readyz', probe, async (_request, reply) => {
    try {
      await deps.db.query('SELECT 1');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return sendProblem(
        reply,
        new Problem('not_ready', `数据库不可用 · Database unavailable: ${message}`),
      );
    }
    if (deps.bus && !deps.bus.connected()) {
      return sendProblem(
        reply,
        new Problem(
          'not_ready',
          `消息服务未连接 · ${deps.bus.kind === 'mqtt' ? 'MQTT broker' : 'RabbitMQ'} not connected`,
        ),
      );
    }
    return { status: 'ready' };
  });

  registerRoutes(app, {
    db: deps.db,
    now: deps.now ?? (() => new Date()),
    afterChange: () => relay.kick(),
  });
  servePublic(app, PUBLIC_DIR);
  return app;
}
