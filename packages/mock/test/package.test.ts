import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtInCatalog } from '@zhengwu/catalog';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { generateCredentials } from '../src/credentials';
import { MOCK_TOKEN } from '../src/index';
import { VERSION } from '../src/version';
import { validateSchema } from './contract-check';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe('the package', () => {
  it('reports the version of package.json', () => {
    expect(VERSION).toBe(pkg.version);
  });

  it('imports nothing Node-only outside src/node (the handlers run in browsers)', () => {
    const src = join(packageDir, 'src');
    for (const file of sourceFiles(src).filter((f) => !f.includes(`${join(src, 'node')}`))) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(
        /from ['"](node:|fs|path|http|crypto|zlib)['"/]/,
      );
    }
  });

  it('documents a fixed token that has the shape of a real secret', () => {
    expect(MOCK_TOKEN).toMatch(/^zw_[A-Za-z0-9_-]{40,}$/);
  });

  it('ships a catalog in the contract’s shape whose credentials match each service’s schema', () => {
    const ajv = new Ajv2020({ strict: false });
    for (const service of builtInCatalog()) {
      expect(validateSchema('Service', service), service.id).toBeNull();
      expect(service.plans.length).toBeGreaterThanOrEqual(2);
      expect(service.displayName.zh).toMatch(/[\u4e00-\u9fff]/);
      const credentials = generateCredentials(service.id, 'etax-db', 'etax-web');
      const validate = ajv.compile(service.credentialsSchema);
      expect(validate(credentials), `${service.id}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      expect(JSON.stringify(credentials)).toMatch(/mock\.zhengwu\.invalid|mock_/);
    }
  });
});
