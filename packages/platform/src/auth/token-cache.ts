import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { Principal } from './principal';

/** PostgreSQL channel on which every replica hears that cached credentials went stale. */
export const AUTH_CHANGED_CHANNEL = 'zw_auth_changed';

/**
 * Authenticated tokens by secret hash, for a few seconds, so a hot client does not cost a
 * database round trip per request. Anything that invalidates a token (revocation, its
 * tenant's deletion) clears the cache at once on this replica and `NOTIFY`s the others;
 * the short TTL bounds staleness if a notification is ever lost.
 */
export class TokenCache {
  readonly #entries = new Map<string, { principal: Principal; until: number }>();
  #generation = 0;

  constructor(readonly ttlMs: number) {}

  /**
   * Changes with every `clear`. Read it before looking a token up: a lookup that overlapped
   * a revocation read the row before it committed, and must not cache what it read.
   */
  get generation(): number {
    return this.#generation;
  }

  get(hash: string, now = Date.now()): Principal | undefined {
    const entry = this.#entries.get(hash);
    if (!entry) return undefined;
    if (entry.until > now) return entry.principal;
    this.#entries.delete(hash);
    return undefined;
  }

  /**
   * Caches until the TTL or the token's own expiry, whichever comes first — unless the
   * cache was cleared since `generation` (read before the lookup) was taken.
   */
  set(
    hash: string,
    principal: Principal,
    expiresAt: Date,
    generation: number,
    now = Date.now(),
  ): void {
    if (this.ttlMs <= 0 || generation !== this.#generation) return;
    if (this.#entries.size >= 50_000) this.#entries.clear();
    this.#entries.set(hash, { principal, until: Math.min(now + this.ttlMs, expiresAt.getTime()) });
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }
}

/**
 * Call after committing anything that makes a token invalid: clears this replica's cache
 * at once and tells the others (`LISTEN` in `platform.ts`).
 */
export async function authChanged(ctx: { db: Db; tokenCache: TokenCache }): Promise<void> {
  ctx.tokenCache.clear();
  await sql`SELECT pg_notify(${AUTH_CHANGED_CHANNEL}, '')`.execute(ctx.db);
}
