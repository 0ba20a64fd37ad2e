import { describe, expect, it } from 'vitest';
import { newRequestId } from '../src/http/request-id';

describe('request ids', () => {
  it('are req_ and 20 base62 characters, unbiased and unique', () => {
    const ids = Array.from({ length: 20_000 }, newRequestId);
    for (const id of ids) expect(id).toMatch(/^req_[0-9A-Za-z]{20}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Every base62 character shows up about equally often (400 000 draws, ~6 450 each).
    const counts = new Map<string, number>();
    for (const id of ids) for (const c of id.slice(4)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    for (const n of counts.values()) expect(Math.abs(n - 400_000 / 62)).toBeLessThan(600);
  });
});
