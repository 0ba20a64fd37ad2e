import { createHash } from 'node:crypto';
import { CompiledQuery, type RawBuilder, sql } from 'kysely';
import { type Db, poolOf } from '../db/database';
import type { CreatedPosition, ScopedCursor } from './cursor';
import { ISO_FORMAT, type JsonText, jsonPage } from './json-rows';
import type { Page } from './pagination';

interface PageRow {
  items: string;
  found: number;
  last_created_at: string | null;
  last_id: string | null;
}

/**
 * The aggregate around a page's rows, by the number of the page size's parameter: the
 * page's items already joined, how many rows there were (one more than the page size means
 * a next page) and the keyset of the last item. The aggregates order their input themselves
 * (a subquery's order is not promised).
 */
const aggregates = new Map<number, string>();

function aggregateOf(limitParameter: number): string {
  let text = aggregates.get(limitParameter);
  if (text === undefined) {
    const order = 'ORDER BY k_created_at DESC, k_id DESC';
    const limit = `$${limitParameter}::int`;
    text = `SELECT coalesce(array_to_string((array_agg(json ${order}))[1:${limit}], ','), '') AS items,
  count(*)::int AS found,
  to_char((array_agg(k_created_at ${order}))[${limit}] AT TIME ZONE 'UTC', '${ISO_FORMAT}') AS last_created_at,
  (array_agg(k_id ${order}))[${limit}] AS last_id
FROM (`;
    aggregates.set(limitParameter, text);
  }
  return text;
}

/** Statement names by SQL text: a name must always stand for the same text. */
const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `zw_page_${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
    if (names.size >= 1000) names.clear();
    names.set(text, name);
  }
  return name;
}

/**
 * Runs the page query as a named statement on the pool (PostgreSQL parses and analyses it
 * once per connection, not per request), or through Kysely inside a transaction.
 */
async function runPage(db: Db, text: string, values: unknown[]): Promise<PageRow> {
  const pool = db.isTransaction ? undefined : poolOf(db);
  const { rows } = pool
    ? await pool.query<PageRow>({ name: statementName(text), text, values })
    : await db.executeQuery<PageRow>(CompiledQuery.raw(text, values));
  return rows[0]!;
}

/** What a created-ordered list selects from, as SQL (Kysely's builder costs more per request). */
export interface CreatedList {
  /** Each row's API JSON (`jsonObject`, built once). */
  json: RawBuilder<string>;
  /** The `FROM` clause: a table, or tables joined. */
  from: RawBuilder<unknown>;
  /** The list's filters (the caller's scope first), all of which must hold. */
  where: RawBuilder<boolean>[];
  /** The alias of the listed table when `from` joins others (`'i'`). */
  table?: string;
}

/**
 * One page of a list ordered `created_at DESC, id DESC` (newest first), rendered whole by
 * PostgreSQL: the rows that pass `where`, after the keyset (`after`), in order, `limit` of
 * them, each as its API JSON; one aggregate row returns the page — so a page of a hundred
 * items costs Node one row and one string, instead of a hundred rows of parsed columns
 * mapped to objects and serialised again. The cursor's timestamp is written as the items'
 * are (`Date#toISOString`'s form).
 */
export async function selectCreatedPage<T>(
  db: Db,
  list: CreatedList,
  options: {
    cursors: ScopedCursor<CreatedPosition>;
    after: CreatedPosition | undefined;
    limit: number;
  },
): Promise<JsonText<Page<T>>> {
  const { cursors, after, limit } = options;
  const { createdAt, id } = keysetOf(list.table);
  const where = after
    ? [...list.where, sql<boolean>`(${createdAt}, ${id}) < (${after[0]}::timestamptz, ${after[1]})`]
    : list.where;
  const inner = sql`SELECT ${list.json} AS json, ${createdAt} AS k_created_at, ${id} AS k_id
FROM ${list.from}${where.length > 0 ? sql` WHERE ${sql.join(where, sql` AND `)}` : sql``}
ORDER BY ${createdAt} DESC, ${id} DESC LIMIT ${limit + 1}`.compile(db);
  const values = [...inner.parameters, limit];
  const page = await runPage(db, `${aggregateOf(values.length)}${inner.sql}) AS page`, values);
  const next =
    page.found > limit && page.last_created_at !== null && page.last_id !== null
      ? cursors.encode([page.last_created_at, page.last_id])
      : null;
  return jsonPage(page.items, next);
}

const keysets = new Map<string, { createdAt: RawBuilder<Date>; id: RawBuilder<string> }>();

/** The keyset columns, qualified by `table` when given. */
function keysetOf(table = '') {
  let keyset = keysets.get(table);
  if (keyset === undefined) {
    const prefix = table ? `${table}.` : '';
    keyset = {
      createdAt: sql.ref<Date>(`${prefix}created_at`),
      id: sql.ref<string>(`${prefix}id`),
    };
    keysets.set(table, keyset);
  }
  return keyset;
}
