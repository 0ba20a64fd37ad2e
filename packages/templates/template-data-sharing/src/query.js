/**
 * SQL for reading a published dataset. Identifiers come from the registry (checked against
 * the catalog when registered) and are quoted; values are always bind parameters. Filters
 * compare as text, so a consumer's `?district=西湖区` works for any column type.
 */

/** @param {string} name */
export const quoteIdent = (name) => `"${name.replaceAll('"', '""')}"`;

/**
 * @typedef {object} DatasetSource
 * @property {string} source_schema
 * @property {string} source_name
 * @property {string[]} columns
 * @property {string[]} order_by
 */

/**
 * @param {DatasetSource} dataset
 * @param {{ filters: Record<string, string>, page: number, pageSize: number }} query
 */
export function buildQuery(dataset, query) {
  const source = `${quoteIdent(dataset.source_schema)}.${quoteIdent(dataset.source_name)}`;
  /** @type {string[]} */
  const params = [];
  const where = Object.entries(query.filters)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([column, value]) => `${quoteIdent(column)}::text = $${params.push(value)}`);
  const filter = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const columns = dataset.columns.map(quoteIdent).join(', ');
  const order = dataset.order_by.map(quoteIdent).join(', ');
  const offset = (query.page - 1) * query.pageSize;
  return {
    count: { text: `SELECT count(*)::int AS total FROM ${source}${filter}`, values: [...params] },
    rows: {
      text: `SELECT ${columns} FROM ${source}${filter} ORDER BY ${order} LIMIT ${query.pageSize} OFFSET ${offset}`,
      values: params,
    },
  };
}

/**
 * Splits a query string into paging and column filters; unknown parameters are errors, so
 * a typo does not silently return everything.
 * @param {Record<string, unknown>} raw
 * @param {string[]} columns
 */
export function parseRowsQuery(raw, columns) {
  /** @type {Record<string, string>} */
  const filters = {};
  /** @type {{ path: string, message: string }[]} */
  const errors = [];
  const page = raw.page === undefined ? 1 : Number(raw.page);
  const pageSize = raw.pageSize === undefined ? 20 : Number(raw.pageSize);
  if (!Number.isInteger(page) || page < 1 || page > 100_000)
    errors.push({ path: 'query/page', message: '1..100000' });
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500)
    errors.push({ path: 'query/pageSize', message: '1..500' });
  for (const [name, value] of Object.entries(raw)) {
    if (name === 'page' || name === 'pageSize') continue;
    if (!columns.includes(name))
      errors.push({ path: `query/${name}`, message: 'not a column of this dataset' });
    else if (typeof value !== 'string')
      errors.push({ path: `query/${name}`, message: 'give one value' });
    else filters[name] = value;
  }
  return { query: { filters, page, pageSize }, errors };
}
