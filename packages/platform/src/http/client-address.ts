import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import proxyaddr from '@fastify/proxy-addr';

/** Where a request came from, read through the proxies the operator trusts. */
export interface ClientOrigin {
  /** The client's address: the socket's peer, or the nearest untrusted `X-Forwarded-For` hop. */
  ip: string;
  /** `https` when the client spoke TLS to us or to a trusted proxy (`X-Forwarded-Proto`). */
  proto: 'http' | 'https';
}

/**
 * Resolves requests' client address and scheme. With no trusted proxies (the default) the
 * socket is the truth and forwarding headers are ignored; behind a load balancer listed in
 * `ZW_TRUST_PROXY`, its `X-Forwarded-For` and `X-Forwarded-Proto` are believed — what the
 * audit log's source IP, the failed-login limiter and apps' `X-Forwarded-For` need.
 */
export function clientOrigin(trusted: readonly string[]): (req: IncomingMessage) => ClientOrigin {
  const socketProto = (req: IncomingMessage) =>
    (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  if (trusted.length === 0) {
    return (req) => ({ ip: req.socket.remoteAddress ?? '', proto: socketProto(req) });
  }
  const trust = proxyaddr.compile([...trusted]);
  return (req) => {
    const peer = req.socket.remoteAddress ?? '';
    if (!trust(peer, 0)) return { ip: peer, proto: socketProto(req) };
    // The last value is the one our proxy set; earlier ones are whatever the client sent.
    const header = req.headers['x-forwarded-proto'];
    const last = (Array.isArray(header) ? header.join(',') : header)?.split(',').at(-1)?.trim();
    return {
      ip: proxyaddr(req, trust),
      proto: last === 'https' || last === 'http' ? last : socketProto(req),
    };
  };
}

/** Whether `entry` is something `ZW_TRUST_PROXY` may list (an address, a CIDR, or a range name). */
export function isTrustEntry(entry: string): boolean {
  try {
    proxyaddr.compile(entry);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the list trusts loopback peers. Apps of the local runtime run on this machine and
 * can reach the API over loopback: trusted, they could claim any client address.
 */
export function trustsLoopback(trusted: readonly string[]): boolean {
  if (trusted.length === 0) return false;
  const trust = proxyaddr.compile([...trusted]);
  return ['127.0.0.1', '::1', '::ffff:127.0.0.1'].some((address) => trust(address, 0));
}
