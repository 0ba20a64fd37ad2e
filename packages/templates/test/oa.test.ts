import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTemplateManifest, resourceTypes } from './support/manifest-env';
import { describeTemplate, TEMPLATES_ROOT } from './support/template-suite';

// The shared suite: manifest, package conventions, and the template's own `node --test`
// against a fresh PostgreSQL database and a bucket on the platform's S3-compatible server.
describeTemplate('oa', { minTests: 30 });

describe('template-oa resources', () => {
  it('binds a PostgreSQL database and an object-storage bucket, nothing else', async () => {
    const { manifest } = await readTemplateManifest(join(TEMPLATES_ROOT, 'template-oa'));
    expect(resourceTypes(manifest)).toEqual({ db: 'postgresql', files: 'object-storage' });
  });
});
