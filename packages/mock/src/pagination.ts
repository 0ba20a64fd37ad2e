/**
 * Cursor pagination as the contract describes it: `limit` (1–200, default 50), an opaque
 * `cursor` bound to the list's filters, `nextCursor: null` on the last page.
 */
import { ProblemError } from './problems';
import { sm3, toHex } from './sm3';

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

interface CursorData {
  /** Key of the last item of the previous page. */
  k: string;
  /** Its index then (used when that item is gone). */
  i: number;
  /** Fingerprint of the filters the cursor was made for. */
  f: string;
}

const toBase64Url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

const fromBase64Url = (text: string) =>
  new TextDecoder().decode(
    Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0)),
  );

const badCursor = (detail: string) =>
  new ProblemError('bad_request', detail, [
    { path: '/query/cursor', message: detail, code: 'cursor' },
  ]);

/**
 * One page of `items` (already in list order). `scope` names the list and its fixed
 * inputs (path parameters); the query's filters (everything but `limit` and `cursor`) are
 * bound into the cursor, so reusing it with other filters answers 400 `bad_request`.
 */
export function paginate<T>(
  items: T[],
  keyOf: (item: T) => string | number,
  query: Record<string, unknown>,
  scope: string,
): Page<T> {
  const { limit = 50, cursor, ...filters } = query;
  const fingerprint = toHex(sm3(scope + JSON.stringify(Object.entries(filters).sort()))).slice(
    0,
    16,
  );
  let start = 0;
  if (typeof cursor === 'string') {
    let data: CursorData;
    try {
      data = JSON.parse(fromBase64Url(cursor)) as CursorData;
    } catch {
      throw badCursor('The cursor is not one this platform issued.');
    }
    if (data.f !== fingerprint) {
      throw badCursor('The cursor was issued for other filters; start again from the first page.');
    }
    const at = items.findIndex((item) => String(keyOf(item)) === data.k);
    start = at >= 0 ? at + 1 : Math.min(data.i + 1, items.length);
  }
  const data = items.slice(start, start + Number(limit));
  const last = data[data.length - 1];
  const more = start + data.length < items.length;
  return {
    data,
    nextCursor:
      more && last !== undefined
        ? toBase64Url(
            JSON.stringify({ k: String(keyOf(last)), i: start + data.length - 1, f: fingerprint }),
          )
        : null,
  };
}
