/**
 * Serves the built site (`.vitepress/dist`) on loopback with clean URLs, as a static host
 * would: `pnpm docs:preview`, and the browser test. (`vitepress preview` listens on every
 * interface; the platform's rule is loopback only.)
 */
import { createReadStream, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sirv from 'sirv';

export const DIST = join(import.meta.dirname, 'dist');

export async function serveSite(port = 0): Promise<{ url: string; server: Server }> {
  const files = sirv(DIST, { extensions: ['html'], dev: false, gzip: false });
  const notFound = join(DIST, '404.html');
  // Unknown paths get the site's own 404 page, with status 404.
  const server = createServer((req, res) =>
    files(req, res, () => {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      if (existsSync(notFound)) createReadStream(notFound).pipe(res);
      else res.end('not found');
    }),
  );
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

if (process.argv[1] === import.meta.filename) {
  if (!existsSync(join(DIST, 'index.html'))) {
    console.error('还没有构建站点 · The site is not built: run pnpm docs:build first');
    process.exit(1);
  }
  const { url } = await serveSite(Number(process.env.PORT ?? 7080));
  console.log(`文档站点 · docs site: ${url}/  (Ctrl+C 停止 · to stop)`);
}
