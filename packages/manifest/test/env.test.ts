// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${resources.…}` placeholders are what these tests are about.
import { describe, expect, it } from 'vitest';
import { generatedSecretNames, type Manifest, parseManifest, resolveEnv } from '../src/index';
import { fixture, thrownIssues } from './helpers';

const approval = parseManifest(fixture('approval.yaml')).manifest;
const backOffice = parseManifest(fixture('back-office.yaml')).manifest;

const withEnv = (env: Manifest['env']): Manifest => ({ ...approval, env });

describe('generatedSecretNames', () => {
  it('lists the { generate: secret } variables in manifest order', () => {
    expect(generatedSecretNames(approval)).toEqual(['SESSION_SECRET']);
    expect(generatedSecretNames(backOffice)).toEqual(['API_TOKEN', 'COOKIE_KEY']);
    expect(generatedSecretNames(parseManifest(fixture('minimal.yaml')).manifest)).toEqual([]);
  });
});

describe('resolveEnv', () => {
  it('replaces placeholders with outputs and generated secrets with the kept values', () => {
    const env = resolveEnv(approval, {
      outputs: { db: { uri: 'postgres://u:p@127.0.0.1:5432/d', host: '127.0.0.1' } },
      secrets: { SESSION_SECRET: 's3cr3t-value' },
    });
    expect(env).toEqual({
      LOG_LEVEL: 'info',
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/d',
      SESSION_SECRET: 's3cr3t-value',
    });
  });

  it('joins text and several placeholders; $${ is a literal ${', () => {
    const env = resolveEnv(
      withEnv({
        URL: 'http://${resources.files.endpoint}/${resources.files.bucket}?x=1',
        TEMPLATE: 'Hello $${name}, cost $$5 and ${resources.files.region}',
      }),
      {
        outputs: { files: { endpoint: 's3.local:9000', bucket: 'b1', region: 'cn-east' } },
        secrets: {},
      },
    );
    expect(env).toEqual({
      URL: 'http://s3.local:9000/b1?x=1',
      TEMPLATE: 'Hello ${name}, cost $$5 and cn-east',
    });
  });

  it('throws a ManifestError listing every value it cannot resolve', () => {
    const issues = thrownIssues(() =>
      resolveEnv(
        withEnv({
          A: '${resources.db.uri}',
          B: '${resources.db.nope}',
          C: { generate: 'secret' },
          D: '${resources.db.uri',
        }),
        { outputs: {}, secrets: {} },
      ),
    );
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ['/env/A', 'unknown_resource'],
      ['/env/B', 'unknown_resource'],
      ['/env/C', 'missing_secret'],
      ['/env/D', 'placeholder_syntax'],
    ]);
    const second = thrownIssues(() =>
      resolveEnv(withEnv({ B: '${resources.db.nope}' }), {
        outputs: { db: { uri: 'x' } },
        secrets: {},
      }),
    );
    expect(second.map((i) => i.code)).toEqual(['unknown_output']);
  });

  it('does not read outputs through the prototype', () => {
    const issues = thrownIssues(() =>
      resolveEnv(withEnv({ A: '${resources.db.constructor}', B: { generate: 'secret' } }), {
        outputs: { db: {} },
        secrets: {},
      }),
    );
    expect(issues.map((i) => i.code)).toEqual(['unknown_output', 'missing_secret']);
  });
});
