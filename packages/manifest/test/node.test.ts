import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManifestError } from '../src/index';
import { loadAppManifest, loadManifest } from '../src/node';
import { fixture } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'zw-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('@zhengwu/manifest/node', () => {
  it('loads a manifest file; issues name the file', async () => {
    writeFileSync(join(dir, 'zhengwu.yaml'), fixture('approval.yaml'));
    const { manifest, document } = await loadAppManifest(dir);
    expect(manifest.metadata.name).toBe('approval');
    expect(document.fileName).toBe(join(dir, 'zhengwu.yaml'));

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, fixture('minimal.yaml').replace('name: hello', 'name: "-x"'));
    const error = await loadManifest(bad).catch((e: unknown) => e);
    // The same class as the main entry's: one ManifestError for both entries.
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as Error).message).toMatch(
      new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:9 /metadata/name `),
    );
  });

  it('passes the file system error through', async () => {
    await expect(loadManifest(join(dir, 'missing.yaml'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
