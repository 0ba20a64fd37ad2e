import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ALGORITHMS, associatedData, CIPHERS } from '../../src/secrets/ciphers';

describe('ciphers', () => {
  it("Node's OpenSSL has SM4 and SM3 with the standards' known answers", () => {
    // GB/T 32907-2016 appendix A.1 and GB/T 32905-2016 appendix A.1.
    const key = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const sm4 = createCipheriv('sm4-ecb', key, null).setAutoPadding(false).update(key);
    expect(sm4.toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
    expect(createHash('sm3').update('abc').digest('hex')).toBe(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
  });

  it.each(ALGORITHMS)('%s: round trip, and every changed part fails', (name) => {
    const cipher = CIPHERS[name];
    const keys = cipher.deriveKeys(randomBytes(32), 'test');
    const aad = associatedData('tenant', 'context');
    const plaintext = Buffer.from('{"password":"s3cret"}');
    const sealed = cipher.seal(keys, plaintext, aad);
    expect(sealed.nonce).toHaveLength(cipher.nonceLength);
    expect(sealed.tag).toHaveLength(cipher.tagLength);
    expect(cipher.open(keys, sealed, aad)).toEqual(plaintext);

    const flip = (b: Buffer, i = 0) => Buffer.from(b.map((x, j) => (j === i ? x ^ 1 : x)));
    const fails =
      (s: typeof sealed, a = aad) =>
      () =>
        cipher.open(keys, s, a);
    expect(fails({ ...sealed, ciphertext: flip(sealed.ciphertext, 5) })).toThrow(/tampered|篡改/);
    expect(fails({ ...sealed, nonce: flip(sealed.nonce) })).toThrow(/篡改/);
    expect(fails({ ...sealed, tag: flip(sealed.tag, cipher.tagLength - 1) })).toThrow(/篡改/);
    // A truncated tag (which GCM would otherwise accept) is refused.
    expect(fails({ ...sealed, tag: sealed.tag.subarray(0, 4) })).toThrow(/篡改/);
    expect(fails(sealed, associatedData('tenant', 'context2'))).toThrow(/篡改/);
    const other = cipher.deriveKeys(randomBytes(32), 'test');
    expect(() => cipher.open(other, sealed, aad)).toThrow(/篡改/);
  });

  it('separates keys by purpose and family', () => {
    const secret = randomBytes(32);
    const a = CIPHERS.a256gcm.deriveKeys(secret, 'data-key');
    const b = CIPHERS.a256gcm.deriveKeys(secret, 'master-key');
    const g = CIPHERS['sm4ctr-hsm3'].deriveKeys(secret, 'data-key');
    expect(a.enc).not.toEqual(b.enc);
    expect(g.enc).toHaveLength(16);
    expect(g.mac).toHaveLength(32);
    expect(g.mac).not.toEqual(a.enc);
    expect(a.enc).not.toEqual(secret);
  });

  it('encodes associated data unambiguously', () => {
    expect(associatedData('ab', 'c')).not.toEqual(associatedData('a', 'bc'));
  });
});
