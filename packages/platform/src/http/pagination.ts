import { ProblemError } from './problems';

/** A page of the contract's list shape. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

const encode = (scope: string, offset: number) =>
  Buffer.from(JSON.stringify([scope, offset])).toString('base64url');

function decode(scope: string, cursor: string): number {
  try {
    const [s, offset] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, number];
    if (s === scope && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {}
  throw new ProblemError('bad_request', 'The cursor is not one this list issued.', [
    { path: '/query/cursor', message: 'unknown cursor', code: 'cursor' },
  ]);
}

/**
 * Pages an in-memory list (small, fixed lists such as the catalog). Database lists page
 * with keyset cursors in SQL instead (see `cursor.ts`).
 */
export function paginate<T>(
  items: T[],
  query: { limit?: number; cursor?: string },
  scope: string,
): Page<T> {
  const limit = query.limit ?? 50;
  const start = query.cursor ? decode(scope, query.cursor) : 0;
  const data = items.slice(start, start + limit);
  return { data, nextCursor: start + limit < items.length ? encode(scope, start + limit) : null };
}
