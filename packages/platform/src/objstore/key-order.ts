/**
 * S3 lists keys in UTF-8 binary order. JavaScript compares UTF-16 code units, which differs
 * only where a surrogate pair (U+10000…) meets a character in U+E000…U+FFFF; comparing code
 * points there gives UTF-8 order without encoding every key.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      return (a.codePointAt(i) ?? x) - (b.codePointAt(i) ?? y) < 0 ? -1 : 1;
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Index of the first key in sorted `keys` that is ≥ `key` (or > it, with `after`). */
export function searchKeys(keys: readonly string[], key: string, after = false): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareKeys(keys[mid]!, key);
    if (c < 0 || (after && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
