import { compareKeys, searchKeys } from '../key-order';

export interface ListQuery {
  prefix: string;
  delimiter: string | undefined;
  /** Only keys (and common prefixes) after this one: StartAfter, a marker or a continuation. */
  after: string | undefined;
  maxKeys: number;
}

export interface ListPage {
  keys: string[];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last key or common prefix on the page: where the next page starts after. */
  last: string | undefined;
}

/**
 * One page of a ListObjects over sorted keys: keys under `prefix`, those holding `delimiter`
 * after the prefix rolled up into one common prefix each; keys and prefixes together count
 * against `maxKeys`. Binary searches keep a page O(page × log n) however many keys a rolled-up
 * prefix holds.
 */
export function listPage(sorted: readonly string[], query: ListQuery): ListPage {
  const { prefix, delimiter, after, maxKeys } = query;
  const page: ListPage = { keys: [], commonPrefixes: [], truncated: false, last: undefined };
  if (maxKeys <= 0) return page;
  let i = searchKeys(sorted, prefix);
  if (after !== undefined) i = Math.max(i, searchKeys(sorted, after, true));
  let count = 0;
  while (i < sorted.length) {
    const key = sorted[i]!;
    if (!key.startsWith(prefix)) break;
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const item = cut === -1 ? key : key.slice(0, cut + delimiter!.length);
    if (cut !== -1) {
      // Past every key under this common prefix (a contiguous run starting at i).
      let hi = sorted.length;
      let lo = i;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid]!.startsWith(item)) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
      // A prefix at or before `after` was on an earlier page.
      if (after !== undefined && compareKeys(item, after) <= 0) continue;
    } else {
      i++;
    }
    if (count === maxKeys) {
      page.truncated = true;
      break;
    }
    if (cut === -1) page.keys.push(item);
    else page.commonPrefixes.push(item);
    page.last = item;
    count++;
  }
  return page;
}
