import type { FastifyInstance } from 'fastify';
import type { TestPlatform } from './harness';

/** One raw HTTP exchange, for what the SDK hides (status, headers, malformed bodies). */
export async function call(
  platform: TestPlatform,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${platform.url}${path}`, {
    method,
    headers,
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
}

/**
 * Captures what the platform's logger writes (Fastify's pino, at the configured level)
 * instead of printing it: the stream is found by pino's `pino.stream` symbol.
 */
export function captureLogs(app: FastifyInstance): string[] {
  const lines: string[] = [];
  let holder: object | null = app.log as object;
  while (holder) {
    const symbol = Object.getOwnPropertySymbols(holder).find(
      (s) => s.description === 'pino.stream',
    );
    if (symbol) {
      const stream = (holder as Record<symbol, { write(line: string): boolean }>)[symbol]!;
      stream.write = (line: string) => {
        lines.push(line);
        return true;
      };
      return lines;
    }
    holder = Object.getPrototypeOf(holder);
  }
  throw new Error('no pino stream on the app logger');
}

/** The audit events of one action, oldest first. */
export async function auditEvents(platform: TestPlatform, action: string) {
  return platform.db
    .selectFrom('audit_events')
    .selectAll()
    .where('action', '=', action)
    .orderBy('sequence')
    .execute();
}
