/**
 * Serves the example on one origin: the page, its esbuild browser bundle, and the platform
 * API — here the offline mock, answered through msw's `getResponse`.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createMockPlatform } from '@zhengwu/mock';
import { build } from 'esbuild';
import { getResponse } from 'msw';

const here = import.meta.dirname;

/** Bundles the page script for browsers (ES2022, no Node built-ins). */
export async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [`${here}/app.ts`],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['zhengwu-source'],
    write: false,
  });
  return out.outputFiles[0]!.text;
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  return new Request(new URL(req.url ?? '/', origin), { method: req.method, headers, body });
}

export async function serve(port = 0): Promise<{ url: string; token: string; server: Server }> {
  const [html, js] = await Promise.all([readFile(`${here}/index.html`, 'utf8'), bundle()]);
  let platform: ReturnType<typeof createMockPlatform> | undefined;
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/')
      return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    if (path === '/app.js')
      return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    const address = server.address() as { port: number };
    const request = await toRequest(req, `http://127.0.0.1:${address.port}`);
    const response = platform && (await getResponse([...platform.handlers], request));
    if (!response) return res.writeHead(404).end();
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as { port: number };
  // The mock answers for one origin: this server's, known once it listens.
  platform = createMockPlatform({ baseUrl: `http://127.0.0.1:${bound}` });
  return {
    url: `http://127.0.0.1:${bound}/?token=${platform.token}`,
    token: platform.token,
    server,
  };
}

if (process.argv[1] === import.meta.filename) {
  const { url } = await serve(Number(process.env.PORT ?? 5173));
  console.log(`打开 · Open ${url}`);
}
