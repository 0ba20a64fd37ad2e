import type pg from 'pg';
import { type Db, poolOf } from '../db/database';
import type { CreatedPosition, ScopedCursor } from './cursor';
import { type JsonText, jsonPage } from './json-rows';
import type { Page } from './pagination';

/**
 * Lists rendered from columns as PostgreSQL writes them. A page of a hundred rows mapped to
 * objects (a `Date` per timestamp, parsed arrays and JSON) and serialised again costs the
 * server several milliseconds; rendering the JSON in SQL moves that cost into PostgreSQL
 * (to_json and to_char per column). Here the rows arrive as arrays of their text forms and
 * each item's JSON is written straight from them: a string per column, no parsing.
 */
export type RawRow = (string | null)[];

/** Every column as its text: node-postgres's type parsers skipped. */
const RAW_TYPES = {
  getTypeParser: () => (value: string) => value,
} as unknown as pg.CustomTypesConfig;

/**
 * An SQL text written from fixed pieces, with its values as numbered parameters: a hot list
 * builds its query this way rather than through Kysely's builder (a few hundred
 * microseconds of building and compiling per request).
 */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value; returns its placeholder (`$3`). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Statement names by SQL text: a list has a few query shapes (which filters are given). */
const statements = new Map<string, string>();
let statementCount = 0;

/**
 * Runs a query on the pool as a named statement (parsed once per connection) and returns
 * its rows as text arrays.
 */
async function selectRawRows(db: Db, text: string, values: unknown[]): Promise<RawRow[]> {
  const pool = poolOf(db);
  if (!pool || db.isTransaction) {
    throw new Error('raw rows are read from the pool, not in a transaction');
  }
  let name = statements.get(text);
  if (name === undefined) {
    if (statements.size >= 500) statements.clear();
    name = `zw_raw_${++statementCount}`;
    statements.set(text, name);
  }
  const result = await pool.query<RawRow>({
    name,
    text,
    values,
    rowMode: 'array',
    types: RAW_TYPES,
  });
  return result.rows;
}

/** A column of a raw row (`undefined` past its end reads as SQL NULL). */
type RawValue = string | null | undefined;

/** A text column as a JSON string (or `null`). */
export const rawText = (value: RawValue): string =>
  value == null ? 'null' : JSON.stringify(value);

/** A `json`/`jsonb` column: its text is JSON already. */
export const rawJson = (value: RawValue): string => value ?? 'null';

/**
 * `2026-11-26 08:00:00.12+00` (a UTC session in ISO DateStyle, as the pool sets) as
 * `Date#toISOString` writes it: `2026-11-26T08:00:00.120Z`. The text (without quotes).
 */
export function isoOfRaw(value: string): string {
  // yyyy-mm-dd hh:mm:ss[.f…]+00
  if (value.length >= 22 && value.endsWith('+00') && value[10] === ' ') {
    const fraction = value[19] === '.' ? value.slice(20, -3) : '';
    return `${value.slice(0, 10)}T${value.slice(11, 19)}.${`${fraction}000`.slice(0, 3)}Z`;
  }
  return new Date(value).toISOString(); // another zone or style: parse it properly
}

/** A `timestamptz` column as a JSON string in `Date#toISOString`'s form (or `null`). */
export const rawTimestamp = (value: RawValue): string =>
  value == null ? 'null' : `"${isoOfRaw(value)}"`;

/** A list ordered `created_at DESC, id DESC` (newest first), read as raw rows. */
export interface RawCreatedList {
  /** `SELECT … FROM …`: fixed text, the columns in the order `render` reads them. */
  select: string;
  /** The alias of the listed table when `select` joins others (`i`). */
  table?: string;
  /** The filters (the caller's scope first), their values added to `params`. */
  where: string[];
  params: SqlParams;
  /** Where the row's `created_at` and `id` are among the selected columns. */
  keyset: { createdAt: number; id: number };
  /** One row's API JSON. */
  render: (row: RawRow) => string;
}

/**
 * One keyset page of a list: the rows after `after`, `limit` of them (one more is read to
 * know whether a next page exists), each rendered, with the cursor of the last one.
 */
export async function selectCreatedPage<T>(
  db: Db,
  list: RawCreatedList,
  page: {
    cursors: ScopedCursor<CreatedPosition>;
    after: CreatedPosition | undefined;
    limit: number;
  },
): Promise<JsonText<Page<T>>> {
  const { params, keyset } = list;
  const { cursors, after, limit } = page;
  const prefix = list.table ? `${list.table}.` : '';
  const where = [...list.where];
  if (after) {
    where.push(
      `(${prefix}created_at, ${prefix}id) < (${params.add(after[0])}::timestamptz, ${params.add(after[1])})`,
    );
  }
  const text = `${list.select}${where.length > 0 ? `\nWHERE ${where.join(' AND ')}` : ''}
ORDER BY ${prefix}created_at DESC, ${prefix}id DESC LIMIT ${params.add(limit + 1)}`;
  const rows = await selectRawRows(db, text, params.values);
  const count = Math.min(rows.length, limit);
  let items = '';
  for (let i = 0; i < count; i++) items += (i === 0 ? '' : ',') + list.render(rows[i]!);
  const last = rows[count - 1];
  const next =
    rows.length > limit && last !== undefined
      ? cursors.encode([isoOfRaw(last[keyset.createdAt]!), last[keyset.id]!])
      : null;
  return jsonPage(items, next);
}
