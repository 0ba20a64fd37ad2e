import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { AppRouter } from './router';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A Fastify `serverFactory`: app requests (host or `/apps/` path) go straight to the router,
 * before Fastify builds its request and reply objects; everything else to Fastify. Upgrades
 * for apps are tunnelled; others are left to any other `upgrade` listener (or refused).
 */
export function routingServerFactory(
  router: AppRouter,
  tls?: { cert: string; key: string },
): (handler: Handler) => Server {
  return (handler) => {
    const listener: Handler = (req, res) => {
      if (router.matches(req)) router.handle(req, res);
      else handler(req, res);
    };
    const server = tls ? createHttpsServer(tls, listener) : createServer(listener);
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (router.matches(req)) router.handleUpgrade(req, socket, head);
      else if (server.listenerCount('upgrade') === 1) socket.destroy();
    });
    return server as Server;
  };
}
