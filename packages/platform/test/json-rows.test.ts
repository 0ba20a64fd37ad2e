import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoTimestamp, jsonColumn, jsonObject, jsonTimestamp } from '../src/http/json-rows';
import { newId } from '../src/ids';
import { startTestPlatform, type TestPlatform } from './harness';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
}, 60_000);
afterAll(() => platform?.close());

/** Evaluates `jsonObject(fields)` in PostgreSQL over one row of a timestamp `t` and a `jsonb` `doc` (and NULL ones). */
async function render(fields: Parameters<typeof jsonObject>[0]): Promise<string> {
  const { rows } = await sql<{ json: string }>`SELECT ${jsonObject(fields)} AS json
    FROM (SELECT '2026-11-26 08:00:00.123999+00'::timestamptz AS t, NULL::timestamptz AS missing,
                 ${JSON.stringify({ zh: 'a "b" \\ 😀', n: [1, null] })}::jsonb AS doc,
                 NULL::jsonb AS missing_doc) AS one`.execute(platform.db);
  return rows[0]!.json;
}

describe('rows rendered as JSON by PostgreSQL', () => {
  it('writes every kind of value as JavaScript would, keys in order', async () => {
    const awkward = 'quote " backslash \\ newline \n tab \t bell \u0007 中文 😀 </script>';
    const text = await render({
      text: sql`${awkward}::text`,
      nothing: sql`NULL::text`,
      number: sql`42::bigint`,
      fraction: sql`1.5::float8`,
      yes: sql`true`,
      array: sql`ARRAY['a', ${awkward}]::text[]`,
      empty: sql`(ARRAY['only']::text[])[1:0]`,
      object: sql`${JSON.stringify({ zh: awkward, nested: { n: [1, null] } })}::jsonb`,
      inner: { json: jsonObject({ id: sql`'x'::text` }) },
      absent: { json: sql`NULL::text` },
      at: isoTimestamp('t'),
      quoted: jsonTimestamp('t'),
      none: jsonTimestamp('missing'),
      stored: jsonColumn('doc'),
      storedNull: jsonColumn('missing_doc'),
    });
    expect(Object.keys(JSON.parse(text))).toEqual([
      'text',
      'nothing',
      'number',
      'fraction',
      'yes',
      'array',
      'empty',
      'object',
      'inner',
      'absent',
      'at',
      'quoted',
      'none',
      'stored',
      'storedNull',
    ]);
    expect(JSON.parse(text)).toEqual({
      text: awkward,
      nothing: null,
      number: 42,
      fraction: 1.5,
      yes: true,
      array: ['a', awkward],
      empty: [],
      object: { zh: awkward, nested: { n: [1, null] } },
      inner: { id: 'x' },
      absent: null,
      // Microseconds truncated, as `Date` does: the same text `toISOString` gives.
      at: new Date('2026-11-26T08:00:00.123999Z').toISOString(),
      quoted: '2026-11-26T08:00:00.123Z',
      none: null,
      stored: { zh: 'a "b" \\ 😀', n: [1, null] },
      storedNull: null,
    });
  });

  it('lists tenants with awkward text and microsecond timestamps exactly as it gets them', async () => {
    const id = newId('ten');
    // Free text where the contract allows it: display names and label values.
    const awkward = 'a "b" \\c\nd\u0001 政务 😀 </script>';
    // Written by SQL, with `updated_at` at microsecond precision (the column keeps them).
    await sql`INSERT INTO tenants (id, name, display_name, parent_id, path, level, region_code, labels, updated_at)
              VALUES (${id}, 'awkward-text', ${JSON.stringify({ zh: awkward, en: 'x' })}::jsonb,
                      NULL, ARRAY[${id}], 'province', NULL,
                      ${JSON.stringify({ note: awkward, k: 'v' })}::jsonb,
                      '2026-11-26 08:00:00.987654+00')`.execute(platform.db);
    try {
      const listed = await platform.admin.tenants.list({ limit: 100 }).toArray({ max: 1000 });
      const item = listed.find((t) => t.id === id);
      expect(item).toBeDefined();
      expect(item).toEqual(await platform.admin.tenants.retrieve(id));
      expect(item?.updatedAt).toBe('2026-11-26T08:00:00.987Z');
      expect(item?.labels).toEqual({ note: awkward, k: 'v' });
      expect(item?.displayName.zh).toBe(awkward);
    } finally {
      await sql`DELETE FROM tenants WHERE id = ${id}`.execute(platform.db);
    }
  });

  it('ends a list exactly: a cursor only when another item follows', async () => {
    const province = newId('ten');
    const cities = Array.from({ length: 4 }, () => newId('ten'));
    await sql`INSERT INTO tenants (id, name, display_name, parent_id, path, level)
              VALUES (${province}, 'paging-province', '{"zh":"省","en":"P"}'::jsonb, NULL,
                      ARRAY[${province}], 'province')`.execute(platform.db);
    // One statement: the four share one created_at, so the id breaks the ties.
    await sql`INSERT INTO tenants (id, name, display_name, parent_id, path, level)
              SELECT id, 'city-' || n, '{"zh":"市","en":"C"}'::jsonb, ${province},
                     ARRAY[${province}, id], 'city'
                FROM unnest(${cities}::text[]) WITH ORDINALITY AS t(id, n)`.execute(platform.db);
    try {
      const list = (limit: number, cursor?: string) =>
        platform.admin.tenants.list({ parentId: province, limit, ...(cursor && { cursor }) });
      const all = await list(4);
      expect(all.data.map((t) => t.id).sort()).toEqual([...cities].sort());
      expect(all.nextCursor).toBeNull();
      const first = await list(2);
      expect(first.data).toEqual(all.data.slice(0, 2));
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await list(2, first.nextCursor!);
      expect(second.data).toEqual(all.data.slice(2));
      expect(second.nextCursor).toBeNull();
      const three = await list(3);
      expect(three.data).toEqual(all.data.slice(0, 3));
      const rest = await list(3, three.nextCursor!);
      expect(rest.data).toEqual(all.data.slice(3));
      expect(rest.nextCursor).toBeNull();
    } finally {
      await sql`DELETE FROM tenants WHERE id = ANY(${cities}::text[])`.execute(platform.db);
      await sql`DELETE FROM tenants WHERE id = ${province}`.execute(platform.db);
    }
  });
});
