import { describe, expect, it } from 'vitest';
import { preferredEncoding } from '../src/http/content-coding';

describe('Accept-Encoding negotiation', () => {
  it('prefers br, then gzip, and honours q-values and *', () => {
    expect(preferredEncoding(undefined)).toBe('identity');
    expect(preferredEncoding('gzip, deflate')).toBe('gzip'); // Node's fetch
    expect(preferredEncoding('gzip, deflate, br, zstd')).toBe('br'); // browsers
    expect(preferredEncoding('br;q=0.5, gzip;q=0.8')).toBe('gzip');
    expect(preferredEncoding('br;q=0, gzip')).toBe('gzip');
    expect(preferredEncoding('gzip;q=0')).toBe('identity');
    expect(preferredEncoding('identity')).toBe('identity');
    expect(preferredEncoding('*')).toBe('br');
    expect(preferredEncoding('*;q=0.1, br;q=0')).toBe('gzip');
    expect(preferredEncoding('GZIP ; Q=1')).toBe('gzip');
  });
});
