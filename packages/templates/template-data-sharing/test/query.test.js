import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildQuery, parseRowsQuery, quoteIdent } from '../src/query.js';

const dataset = {
  source_schema: 'open_data',
  source_name: 'enterprise_licences',
  columns: ['name', 'district'],
  order_by: ['id'],
};

describe('数据集查询 · dataset queries', () => {
  it('quotes identifiers and binds values', () => {
    assert.equal(quoteIdent('a"b'), '"a""b"');
    const sql = buildQuery(dataset, {
      filters: { name: "x' OR 1=1 --", district: '西湖区' },
      page: 3,
      pageSize: 10,
    });
    assert.equal(
      sql.rows.text,
      'SELECT "name", "district" FROM "open_data"."enterprise_licences" WHERE "district"::text = $1 AND "name"::text = $2 ORDER BY "id" LIMIT 10 OFFSET 20',
    );
    assert.deepEqual(sql.rows.values, ['西湖区', "x' OR 1=1 --"]);
    assert.equal(
      sql.count.text,
      'SELECT count(*)::int AS total FROM "open_data"."enterprise_licences" WHERE "district"::text = $1 AND "name"::text = $2',
    );
  });

  it('parses paging and column filters, refusing anything else', () => {
    assert.deepEqual(parseRowsQuery({}, ['name']), {
      query: { filters: {}, page: 1, pageSize: 20 },
      errors: [],
    });
    assert.deepEqual(parseRowsQuery({ page: '2', pageSize: '5', name: 'x' }, ['name']).query, {
      filters: { name: 'x' },
      page: 2,
      pageSize: 5,
    });
    const bad = parseRowsQuery({ page: '0', pageSize: '501', secret: 'x', name: ['a', 'b'] }, [
      'name',
    ]);
    assert.deepEqual(
      bad.errors.map((e) => e.path),
      ['query/page', 'query/pageSize', 'query/secret', 'query/name'],
    );
  });
});
