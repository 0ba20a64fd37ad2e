import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type DataKey, DataKeyCache } from '../../src/secrets/cache';

const key = (id: string, tenantId = `ten_${id}`): DataKey => ({
  id,
  tenantId,
  algorithm: 'sm4ctr-hsm3',
  keys: { enc: randomBytes(16), mac: randomBytes(32) },
});
const wiped = (k: DataKey) => k.keys.enc.every((b) => b === 0) && k.keys.mac!.every((b) => b === 0);

describe('DataKeyCache', () => {
  it('holds at most `max` keys, drops the least recently used and wipes it', () => {
    const cache = new DataKeyCache(2, 60_000);
    const [a, b, c] = [key('a'), key('b'), key('c')];
    cache.set(a);
    cache.set(b);
    expect(cache.get('a')).toBe(a); // a is now the most recently used
    cache.set(c);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(wiped(b)).toBe(true);
    expect(wiped(a)).toBe(false);
    expect(cache.forTenant('ten_c', 'sm4ctr-hsm3')).toBe(c);
    expect(cache.forTenant('ten_b', 'sm4ctr-hsm3')).toBeUndefined();
  });

  it('expires keys after the TTL and wipes them', () => {
    let now = 1000;
    const cache = new DataKeyCache(10, 50, () => now);
    const a = key('a');
    cache.set(a);
    now += 49;
    expect(cache.get('a')).toBe(a);
    now += 1;
    expect(cache.forTenant('ten_a', 'sm4ctr-hsm3')).toBeUndefined();
    expect(wiped(a)).toBe(true);
    expect(cache.size).toBe(0);
  });

  it('with caching off, wipes a key as soon as it is handed over; clear wipes all', () => {
    const off = new DataKeyCache(0, 60_000);
    const a = key('a');
    off.set(a);
    expect(wiped(a)).toBe(true);
    expect(off.get('a')).toBeUndefined();

    const cache = new DataKeyCache(10, 60_000);
    const keys = [key('x'), key('y')];
    for (const k of keys) cache.set(k);
    cache.clear();
    expect(keys.every(wiped)).toBe(true);
    expect(cache.size).toBe(0);
  });
});
