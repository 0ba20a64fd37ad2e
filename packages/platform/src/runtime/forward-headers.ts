import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { ClientOrigin } from '../http/client-address';

/** Per-hop headers (RFC 9110 §7.6.1): they describe one connection, never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Set by the router only, or client addresses other proxies set: whatever a client sent under
 * these names is dropped (also spelt with `_`, which some frameworks read as `-`). `Expect`
 * was answered already (the platform's server sends `100 Continue` itself).
 */
const ROUTER_SET = new Set([
  'expect',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-prefix',
  'x-forwarded-server',
  'x-forwarded-ssl',
  'x-real-ip',
  'x-client-ip',
  'true-client-ip',
  'x-request-id',
]);

function connectionTokens(value: string | string[] | undefined): Set<string> | undefined {
  if (!value) return undefined;
  const text = Array.isArray(value) ? value.join(',') : value;
  const tokens = text
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t && t !== 'close' && t !== 'keep-alive');
  return tokens.length ? new Set(tokens) : undefined;
}

/**
 * The headers an app receives: the client's, minus per-hop ones and forged forwarding
 * headers, plus `X-Forwarded-For/Proto/Host/Port`, `X-Real-IP`, `X-Forwarded-Prefix` (path
 * routing) and `X-Request-Id`. The router is the edge, so it overwrites rather than appends:
 * the client's address and scheme come from `origin` (the socket, or a trusted proxy).
 */
export function upstreamHeaders(
  req: IncomingMessage,
  prefix: string | undefined,
  requestId: string,
  origin: ClientOrigin,
  upgrade = false,
): Record<string, string | string[]> {
  const listed = connectionTokens(req.headers.connection);
  const out: Record<string, string | string[]> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const dashed = name.includes('_') ? name.replaceAll('_', '-') : name;
    if (HOP_BY_HOP.has(dashed) || ROUTER_SET.has(dashed) || listed?.has(name)) continue;
    const value = raw[i + 1]!;
    const existing = out[name];
    if (existing === undefined) out[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[name] = [existing, value];
  }
  out['x-forwarded-for'] = origin.ip;
  out['x-real-ip'] = origin.ip;
  out['x-forwarded-proto'] = origin.proto;
  if (req.socket.localPort) out['x-forwarded-port'] = String(req.socket.localPort);
  if (req.headers.host) out['x-forwarded-host'] = req.headers.host;
  if (prefix) out['x-forwarded-prefix'] = prefix;
  out['x-request-id'] = requestId;
  if (upgrade) {
    out.connection = 'upgrade';
    out.upgrade = req.headers.upgrade ?? 'websocket';
  }
  return out;
}

/** The app's response headers minus per-hop ones. */
export function downstreamHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const listed = connectionTokens(headers.connection);
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || listed?.has(name)) continue;
    out[name] = headers[name];
  }
  return out;
}
