import { sql } from 'kysely';
import type { Db } from '../db/database';

/**
 * Failed authentications in the state database, where every replica counts them: with N
 * replicas behind a load balancer an address still gets the limit once, not N times (each
 * replica learns the shared count at the address's next failure there, so at most N − 1
 * extra attempts slip through).
 */

/** What a failure's record says: every failure of the address in the window, and its place. */
export interface SharedFailures {
  /** Times (ms) of the address's failures in the window, oldest first, this one included. */
  times: number[];
  /** This failure's place among them (1 = the oldest): the limit-th one starts a lockout. */
  rank: number;
}

export async function recordFailure(
  db: Db,
  address: string,
  windowMs: number,
): Promise<SharedFailures> {
  const { id } = await db
    .insertInto('auth_failures')
    .values({ address })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Ages by the database's clock, turned into times by ours: replicas and the database
  // need not agree on the time of day for the window to hold.
  const rows = await db
    .selectFrom('auth_failures')
    .select(['id', sql<number>`(extract(epoch from now() - at) * 1000)::float8`.as('age')])
    .where('address', '=', address)
    .where('at', '>', sql<Date>`now() - make_interval(secs => ${windowMs / 1000})`)
    .orderBy('id')
    .execute();
  const now = Date.now();
  return {
    times: rows.map((r) => now - Number(r.age)),
    rank: rows.findIndex((r) => r.id === id) + 1,
  };
}

/** Drops failures older than the window (a minute's job; any replica may run it). */
export async function purgeFailures(db: Db, windowMs: number): Promise<void> {
  await db
    .deleteFrom('auth_failures')
    .where('at', '<', sql<Date>`now() - make_interval(secs => ${(2 * windowMs) / 1000})`)
    .execute();
}
