import { Pool } from 'undici';

/** Where a replica listens. */
export interface UpstreamAddress {
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export const addressKey = ({ host = '127.0.0.1', port }: UpstreamAddress): string =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;

/**
 * Keep-alive connection pools to replicas, one per address (undici: about twice the
 * requests per CPU second of `http.request` with an Agent). A pool whose replica the
 * router no longer uses closes once the requests it carries are done, so draining a
 * replica never cuts a response.
 */
export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly connectionsPerReplica: number) {}

  get(address: UpstreamAddress): Pool {
    const key = addressKey(address);
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new Pool(`http://${key}`, {
        connections: this.connectionsPerReplica,
        // Idle sockets are dropped before Node servers drop theirs (keepAliveTimeout 5 s, which
        // undici also reads from the app's `Keep-Alive` header): few requests meet a closing socket.
        keepAliveTimeout: 4_000,
        // No deadline of the router's own: a slow report or an event stream is the app's business.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** Closes, once idle, the pools of every address not in `live`. */
  retain(live: ReadonlySet<string>): void {
    for (const [key, pool] of this.pools) {
      if (live.has(key)) continue;
      this.pools.delete(key);
      pool.close().catch(() => {});
    }
  }

  /** Drops every connection now (platform shutdown). */
  async destroy(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy().catch(() => {})));
  }
}
