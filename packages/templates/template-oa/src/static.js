import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * Serves the few files of `public/` from memory. A short fixed list instead of a static-file
 * plugin: nothing outside the folder can be reached, and there is one dependency less.
 * @param {import('fastify').FastifyInstance} app
 * @param {string} dir
 */
export function servePublic(app, dir) {
  /** @type {Map<string, { body: Buffer, type: string }>} */
  const files = new Map();
  for (const name of readdirSync(dir)) {
    const type = TYPES[/** @type {keyof typeof TYPES} */ (extname(name))];
    if (type) files.set(name, { body: readFileSync(join(dir, name)), type });
  }
  /** @param {string} name @param {import('fastify').FastifyReply} reply */
  const send = (name, reply) => {
    const file = files.get(name);
    if (!file) return reply.callNotFound();
    return reply.type(file.type).header('cache-control', 'no-cache').send(file.body);
  };
  app.get('/', (_request, reply) => send('index.html', reply));
  app.get('/:file', (request, reply) =>
    send(/** @type {{ file: string }} */ (request.params).file, reply),
  );
}
