import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addMasterKeyToFile,
  loadOrCreateMasterKey,
  parseMasterKeys,
  SecretsError,
} from '../../src/secrets';

/** Same secret ⇔ same derived wrapping keys (the secret itself is not readable from outside). */
const fingerprint = (ring: ReturnType<typeof parseMasterKeys>, id?: string) =>
  (id ? ring.get(id)! : ring.current).wrapKeys('a256gcm').enc.toString('hex');

describe('master keys', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zw-mk-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates <dataDir>/master-key once, mode 600, and reuses it', async () => {
    const dataDir = join(dir, 'data');
    const first = await loadOrCreateMasterKey(dataDir);
    const file = join(dataDir, 'master-key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(first.ids).toEqual(['mk1']);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^mk1:[0-9a-f]{64}\n$/);

    const second = await loadOrCreateMasterKey(dataDir);
    expect(fingerprint(second)).toBe(fingerprint(first));
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('creates one key when several processes start at once', async () => {
    const rings = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateMasterKey(dir)));
    expect(new Set(rings.map((r) => fingerprint(r))).size).toBe(1);
  });

  it('uses the configured key (hex or base64) and writes no file', async () => {
    const secret = randomBytes(32);
    const hex = await loadOrCreateMasterKey(dir, secret.toString('hex'));
    const b64 = await loadOrCreateMasterKey(dir, secret.toString('base64'));
    const b64url = await loadOrCreateMasterKey(dir, secret.toString('base64url'));
    expect(hex.ids).toEqual(['mk1']);
    expect(fingerprint(b64)).toBe(fingerprint(hex));
    expect(fingerprint(b64url)).toBe(fingerprint(hex));
    await expect(stat(join(dir, 'master-key'))).rejects.toThrow(/ENOENT/);
  });

  it('parses a keyring whose first key is current', () => {
    const [a, b] = [randomBytes(32), randomBytes(32)];
    const ring = parseMasterKeys(`mk2:${a.toString('hex')}, mk1:${b.toString('base64')}`);
    expect(ring.current.id).toBe('mk2');
    expect(ring.ids).toEqual(['mk2', 'mk1']);
    expect(fingerprint(ring, 'mk1')).toBe(fingerprint(parseMasterKeys(b.toString('hex'))));
  });

  it.each([
    ['too short', randomBytes(16).toString('hex')],
    ['too long', randomBytes(33).toString('base64')],
    ['not a key', 'correct horse battery staple'],
    ['duplicate ids', `mk1:${'a'.repeat(64)},mk1:${'b'.repeat(64)}`],
    ['entry without id in a ring', `${'a'.repeat(64)},mk1:${'b'.repeat(64)}`],
  ])('rejects a bad configuration (%s) without echoing it', (_, text) => {
    const error = (() => {
      try {
        parseMasterKeys(text);
      } catch (e) {
        return e as SecretsError;
      }
    })();
    expect(error).toBeInstanceOf(SecretsError);
    expect(error!.code).toBe('invalid_master_key');
    expect(error!.message).toMatch(/主密钥.*· [A-Z]/);
    expect(error!.message).not.toContain(text.slice(0, 20));
  });

  it('never shows key material when printed or serialised', () => {
    const secret = randomBytes(32);
    const ring = parseMasterKeys(`mk7:${secret.toString('hex')}`);
    const shown = `${inspect(ring, { depth: 5, showHidden: true })} ${JSON.stringify(ring)}`;
    expect(shown).toContain('mk7');
    expect(shown).not.toContain(secret.toString('hex'));
    expect(shown).not.toContain(secret.toString('base64').slice(0, 20));
    expect(shown).not.toContain(fingerprint(ring));
  });

  it('addMasterKeyToFile puts a new current key in front and keeps the old ones', async () => {
    const before = await loadOrCreateMasterKey(dir);
    const after = await addMasterKeyToFile(dir);
    expect(after.ids).toEqual(['mk2', 'mk1']);
    expect(fingerprint(after, 'mk1')).toBe(fingerprint(before));
    expect(fingerprint(after)).not.toBe(fingerprint(before));
    const reread = await loadOrCreateMasterKey(dir);
    expect(reread.ids).toEqual(['mk2', 'mk1']);
    expect(fingerprint(reread)).toBe(fingerprint(after));
    expect((await stat(join(dir, 'master-key'))).mode & 0o777).toBe(0o600);
    expect((await addMasterKeyToFile(dir)).ids).toEqual(['mk3', 'mk2', 'mk1']);
  });
});
