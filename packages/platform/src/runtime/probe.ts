import { request } from 'node:http';
import { connect } from 'node:net';

/**
 * One HTTP GET to the replica; true on 2xx/3xx within the timeout. Never rejects: a path
 * Node refuses to send counts as a failed probe (it runs from timers, where a rejection
 * would end the platform).
 */
export function httpProbe(port: number, path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      get(port, path, timeoutMs, resolve);
    } catch {
      resolve(false);
    }
  });
}

/** `/健康` is sent as `/%E5%81%A5%E5%BA%B7`, as a browser would; `%xx` already there stays. */
const percentEncoded = (path: string) =>
  path.replace(/[^\x21-\x7e]/gu, (character) => encodeURIComponent(character));

function get(port: number, path: string, timeoutMs: number, resolve: (ok: boolean) => void): void {
  const req = request(
    {
      host: '127.0.0.1',
      port,
      path: percentEncoded(path),
      method: 'GET',
      agent: false,
      headers: { 'user-agent': 'zhengwu-probe', connection: 'close' },
      timeout: timeoutMs,
    },
    (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 400);
    },
  );
  req.on('timeout', () => req.destroy());
  req.on('error', () => resolve(false));
  req.end();
}

/** True when something accepts TCP connections on the port. */
export function tcpProbe(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
