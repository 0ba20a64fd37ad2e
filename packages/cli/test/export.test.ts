/** `zw export score|kubernetes`: offline, from the fixture's zhengwu.yaml. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { fixtureApp, removeFixtures } from './fixture';
import { useMock } from './helpers';

const t = useMock();
afterEach(removeFixtures);

/** No URL, no token: export must not need the platform. */
const offline = async () => ({ XDG_CONFIG_HOME: await t.home(), NO_COLOR: '1' });

describe('zw export', () => {
  it('score: one Score workload per process, as YAML on stdout', async () => {
    const dir = await fixtureApp();
    const r = await t.zw(['export', 'score', dir], { env: await offline() });
    expect(r.code, r.stderr).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(docs.map((d) => [d.apiVersion, d.metadata.name])).toEqual([
      ['score.dev/v1b1', 'approval-web'],
      ['score.dev/v1b1', 'approval-worker'],
    ]);
    expect(docs[0].resources.db).toMatchObject({ type: 'postgresql' });
    expect(docs[0].resources.files).toMatchObject({ type: 'object-storage', id: 'shared-files' });
  });

  it('kubernetes: objects in the namespace with the image, as --json or files per object', async () => {
    const dir = await fixtureApp();
    const r = await t.zw(
      [
        'export',
        'k8s',
        dir,
        '--namespace',
        'hz-tax',
        '--image',
        'registry.local/approval:1',
        '--json',
      ],
      {
        env: await offline(),
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const objects = r.json() as { kind: string; metadata: { namespace: string } }[];
    expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service']));
    expect(objects.every((o) => o.metadata.namespace === 'hz-tax')).toBe(true);
    expect(JSON.stringify(objects)).toContain('registry.local/approval:1');

    const out = join(dir, 'k8s/');
    const files = await t.zw(['export', 'kubernetes', dir, '--out', out], { env: await offline() });
    expect(files.code).toBe(0);
    expect(files.stderr).toMatch(/镜像默认为 approval:latest/);
    const written = (await readdir(out)).sort();
    expect(written).toContain('approval-web.deployment.yaml');
    const deployment = parseAllDocuments(
      await readFile(join(out, 'approval-web.deployment.yaml'), 'utf8'),
    )[0]!.toJS();
    expect(deployment).toMatchObject({
      kind: 'Deployment',
      metadata: { name: 'approval-web', namespace: 'default' },
    });
  });

  it('refuses an invalid manifest (exit 6) and an unknown format (exit 2)', async () => {
    const dir = await fixtureApp();
    const bad = join(dir, 'zhengwu.yaml');
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(bad, 'apiVersion: zhengwu.gov.cn/v1\nkind: App\n'),
    );
    const r = await t.zw(['export', 'score', dir], { env: await offline() });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/zhengwu\.yaml:\d+/);
    expect((await t.zw(['export', 'helm', dir], { env: await offline() })).code).toBe(2);
  });
});
