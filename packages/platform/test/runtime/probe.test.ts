import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { httpProbe } from '../../src/runtime/probe.js';

let server: Server;
let port: number;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    res.statusCode = req.url === '/%E5%81%A5%E5%BA%B7' || req.url === '/ok%20now' ? 200 : 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('sends a path with Chinese characters percent-encoded, as a browser would', async () => {
  expect(await httpProbe(port, '/健康', 1000)).toBe(true);
  expect(await httpProbe(port, '/ok%20now', 1000)).toBe(true);
  expect(seen).toEqual(['/%E5%81%A5%E5%BA%B7', '/ok%20now']);
});

it('answers false, never rejects, for a path Node cannot send', async () => {
  // A lone surrogate cannot be encoded: before, `request()` threw inside a timer and the
  // unhandled rejection ended the platform.
  await expect(httpProbe(port, '/\uD800', 1000)).resolves.toBe(false);
  expect(await httpProbe(port, '/missing', 1000)).toBe(false);
});
