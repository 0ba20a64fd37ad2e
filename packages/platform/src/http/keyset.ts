import type { Page } from './pagination';
import { ProblemError } from './problems';

/** Position after a row in a list ordered by (`created_at`, `id`), newest first. */
export interface Keyset {
  at: Date;
  id: string;
}

export function encodeKeyset(row: { created_at: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.created_at.toISOString(), row.id])).toString('base64url');
}

/** The position a `cursor` query parameter points after; 400 when it is not one of ours. */
export function decodeKeyset(cursor: string | undefined): Keyset | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const date = new Date(at);
    if (typeof id === 'string' && !Number.isNaN(date.getTime())) return { at: date, id };
  } catch {}
  throw new ProblemError('bad_request', 'The cursor is not one this list issued.', [
    { path: '/query/cursor', message: 'unknown cursor', code: 'cursor' },
  ]);
}

/**
 * Turns `limit + 1` rows fetched newest first into a page: the extra row only says that
 * there is a next page, whose cursor is the last row kept.
 *
 * In SQL: `WHERE (created_at, id) < (at, id) ORDER BY created_at DESC, id DESC LIMIT limit + 1`.
 */
export function keysetPage<R extends { created_at: Date; id: string }, T>(
  rows: R[],
  limit: number,
  toApi: (row: R) => T,
): Page<T> {
  const kept = rows.slice(0, limit);
  return {
    data: kept.map(toApi),
    nextCursor:
      rows.length > limit && kept.length > 0 ? encodeKeyset(kept[kept.length - 1]!) : null,
  };
}
