import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/chain';
import { ProblemError } from './problems';

/**
 * Scopes by list and filters: hashing them is a few microseconds per request, and a list
 * is asked with the same filters again and again. Bounded, as filters come from callers.
 */
const scopes = new Map<string, string>();

function scopeOf(list: string, filters: Record<string, unknown>): string {
  const key = `${list} ${JSON.stringify(filters)}`;
  let scope = scopes.get(key);
  if (scope === undefined) {
    scope = createHash('sha256')
      .update(canonicalJson({ list, filters }))
      .digest('base64url')
      .slice(0, 12);
    if (scopes.size >= 10_000) scopes.clear();
    scopes.set(key, scope);
  }
  return scope;
}

/**
 * Opaque list cursors bound to the query that issued them, as the contract asks (a cursor
 * reused with other filters is 400 `bad_request`): `base64url(JSON [scope, position])`,
 * where `scope` is a short hash of the list's name and filters (not `limit`) and `position`
 * is whatever the list's keyset needs (a sequence, a timestamp and an id).
 */
export class ScopedCursor<P> {
  readonly scope: string;

  constructor(
    list: string,
    filters: Record<string, unknown>,
    private readonly isPosition: (value: unknown) => value is P,
  ) {
    this.scope = scopeOf(list, filters);
  }

  encode(position: P): string {
    return Buffer.from(JSON.stringify([this.scope, position])).toString('base64url');
  }

  /** The position after which the next page starts; 400 when the cursor is not ours. */
  decode(cursor: string | undefined): P | undefined {
    if (cursor === undefined) return undefined;
    try {
      const [scope, position] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [
        unknown,
        unknown,
      ];
      if (scope === this.scope && this.isPosition(position)) return position;
    } catch {}
    throw new ProblemError(
      'bad_request',
      'The cursor is not one this list issued with these filters; start again from the first page.',
      [{ path: '/query/cursor', message: 'unknown cursor', code: 'cursor' }],
    );
  }

  /** A page from `limit + 1` rows: the extra row only says that a next page exists. */
  page<R, T>(rows: R[], limit: number, positionOf: (row: R) => P, toApi: (row: R) => T) {
    const kept = rows.slice(0, limit);
    const last = kept[kept.length - 1];
    return {
      data: kept.map(toApi),
      nextCursor: rows.length > limit && last !== undefined ? this.encode(positionOf(last)) : null,
    };
  }
}

/**
 * The position after a row in a list ordered `created_at DESC, id DESC`: the row's
 * `created_at` (ISO, millisecond precision — list tables store `timestamptz(3)`, so this is
 * exact) and its id. In SQL: `WHERE (created_at, id) < (position)`.
 */
export type CreatedPosition = [createdAt: string, id: string];

/** `Date#toISOString`'s form, the only one a list writes into its cursors. */
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Whether a decoded cursor holds a position a list wrote: a forged one with another date
 * form (`"1"` parses in JavaScript, not in PostgreSQL) is a 400, not a failed query.
 */
export const isCreatedPosition = (value: unknown): value is CreatedPosition =>
  Array.isArray(value) &&
  value.length === 2 &&
  typeof value[1] === 'string' &&
  typeof value[0] === 'string' &&
  ISO_MS.test(value[0]) &&
  !Number.isNaN(Date.parse(value[0]));

export const createdPositionOf = (row: { created_at: Date; id: string }): CreatedPosition => [
  row.created_at.toISOString(),
  row.id,
];
