import {
  createQueryId,
  type Expression,
  isExpression,
  PostgresQueryCompiler,
  type RawBuilder,
  sql,
} from 'kysely';

/**
 * A response body already serialised as JSON; the app's reply serializer sends its text as
 * is (see `app.ts`). `T` names the contract shape the text holds.
 */
export class JsonText<T = unknown> {
  declare readonly shape?: T;
  constructor(readonly text: string) {}
}

/** An SQL expression whose value is already JSON text (a nested `jsonObject`): spliced as is. */
export interface JsonSql {
  json: Expression<string | null>;
}

/** A column name (`'name'`, `'t.path'`), any SQL expression (encoded by `to_json`), or JSON. */
export type JsonField = string | Expression<unknown> | JsonSql;

const compiler = new PostgresQueryCompiler();

/**
 * Fixed SQL (names and literals) compiled to its text once: a query that embeds it then
 * compiles one raw node per request instead of dozens. SQL with parameters stays as it is.
 */
function precompiled<T>(expression: RawBuilder<T>): RawBuilder<T> {
  const { sql: text, parameters } = compiler.compileQuery(
    expression.toOperationNode(),
    createQueryId(),
  );
  return parameters.length === 0 ? sql.raw<T>(text) : expression;
}

/** `to_char`'s pattern for `Date#toISOString`'s form (of a UTC `timestamp`). */
export const ISO_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';
const ISO = sql.lit(ISO_FORMAT);
const isoColumns = new Map<string, RawBuilder<string>>();

/**
 * A `timestamptz` (a column name or an expression) as `Date#toISOString` writes it (UTC,
 * milliseconds, `Z`): both truncate microseconds, so this text equals what a row mapped in
 * JavaScript would give.
 */
export function isoTimestamp(value: string | Expression<Date>): RawBuilder<string> {
  if (typeof value !== 'string') return sql<string>`to_char(${value} AT TIME ZONE 'UTC', ${ISO})`;
  let column = isoColumns.get(value);
  if (column === undefined) {
    column = precompiled(sql<string>`to_char(${sql.ref(value)} AT TIME ZONE 'UTC', ${ISO})`);
    isoColumns.set(value, column);
  }
  return column;
}

/**
 * A `jsonb` (or `json`) column for `jsonObject`, written as its own text: through `to_json`
 * PostgreSQL would convert it again, for a quarter of a list's rendering time.
 */
export const jsonColumn = (column: string): JsonSql => ({
  json: sql<string>`${sql.ref(column)}::text`,
});

/**
 * A `timestamptz` column for `jsonObject` as a JSON string in `Date#toISOString`'s form,
 * quoted directly (the text has nothing to escape); SQL NULL stays `null`.
 */
export const jsonTimestamp = (column: string): JsonSql => ({
  json: sql<string>`'"' || ${isoTimestamp(column)} || '"'`,
});

/**
 * SQL that renders a row as the text of a JSON object with the given keys in this order, so a
 * page of rows reaches the response without a JavaScript object, `Date` or parsed array
 * per row (parsing and re-serialising those was most of a list request's cost). Values go
 * through `to_json`: text is escaped, arrays become JSON arrays, `jsonb` is written as is,
 * SQL NULL becomes `null`. Build it once (a module constant): its SQL is compiled then.
 */
export function jsonObject(fields: Record<string, JsonField>): RawBuilder<string> {
  const entries = Object.entries(fields);
  if (entries.length === 0) return sql<string>`'{}'`;
  const parts = entries.map(([key, value], i) => {
    const prefix = sql.lit(`${i === 0 ? '{' : ','}${JSON.stringify(key)}:`);
    if (typeof value === 'object' && !isExpression(value)) {
      return sql`${prefix} || coalesce(${value.json}, 'null')`;
    }
    const expression = typeof value === 'string' ? sql.ref(value) : value;
    return sql`${prefix} || coalesce(to_json(${expression})::text, 'null')`;
  });
  return precompiled(sql<string>`(${sql.join(parts, sql` || `)} || '}')`);
}

/**
 * The text of a contract list page, `{"data":[…],"nextCursor":…}`, from its items' JSON
 * already joined with commas.
 */
export function jsonPage<T>(items: string, nextCursor: string | null): JsonText<T> {
  return new JsonText(
    `{"data":[${items}],"nextCursor":${nextCursor === null ? 'null' : JSON.stringify(nextCursor)}}`,
  );
}
