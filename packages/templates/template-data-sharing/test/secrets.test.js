import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { hashApiKey, looksLikeApiKey, newApiKey, sameSecret } from '../src/secrets.js';

describe('API 密钥 · API keys', () => {
  it('makes random keys and keeps only their SHA-256', () => {
    const a = newApiKey();
    const b = newApiKey();
    assert.notEqual(a.key, b.key);
    assert.ok(looksLikeApiKey(a.key), a.key);
    assert.equal(a.hash, createHash('sha256').update(a.key).digest('hex'));
    assert.equal(hashApiKey(a.key), a.hash);
    assert.equal(a.displayPrefix, a.key.slice(0, 12));
    assert.ok(!a.hash.includes(a.key.slice(4)));
  });

  it('recognises the key format', () => {
    assert.equal(looksLikeApiKey('zws_short'), false);
    assert.equal(looksLikeApiKey(`zws_${'a'.repeat(42)}!`), false);
  });

  it('compares admin tokens', () => {
    assert.equal(sameSecret('s3cret', 's3cret'), true);
    assert.equal(sameSecret('s3cret ', 's3cret'), false);
    assert.equal(sameSecret(undefined, 's3cret'), false);
  });
});
