/** `zw apps …` against the mock, on an app deployed with `zw deploy`. */
import { Zhengwu } from '@zhengwu/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureApp, removeFixtures } from './fixture';
import { useMock } from './helpers';

const t = useMock();
afterEach(removeFixtures);

/** Deploys the fixture `times` times; returns the app id. */
async function deployed(times = 1): Promise<string> {
  const dir = await fixtureApp();
  let id = '';
  for (let i = 0; i < times; i++) {
    const r = await t.zw(['deploy', dir, '--json', '--no-logs']);
    expect(r.code, r.stderr).toBe(0);
    id = r.json().app.id;
  }
  return id;
}

describe('zw apps', () => {
  it('list and show: table and --json', async () => {
    const id = await deployed();
    const list = await t.zw(['apps', 'list', '--json']);
    expect(list.json()).toEqual([
      expect.objectContaining({ id, name: 'approval', state: 'running' }),
    ]);
    const table = await t.zw(['apps', 'list']);
    expect(table.stdout).toMatch(
      /approval\s+running\s+web 1\/1, worker 1\/1\s+http:\/\/approval\.zhejiang\.localhost:\d+\s+app_/,
    );

    const show = await t.zw(['apps', 'show', 'approval', '--json']);
    expect(show.json()).toMatchObject({
      app: { id },
      releases: [{ version: 1, state: 'succeeded' }],
      bindings: [],
    });
    const human = await t.zw(['apps', 'show', id]);
    expect(human.stdout).toMatch(/当前发布 Release\s+v1 \(rel_\w+\)/);
    expect(human.stdout).toMatch(/v1 \*\s+succeeded/);
  });

  it('env: shows, sets and unsets config vars, and restarts with --restart', async () => {
    await deployed();
    const set = await t.zw([
      'apps',
      'env',
      'approval',
      'ADMIN_TOKEN=s3cret=x',
      'LOG_LEVEL=debug',
      '--json',
    ]);
    expect(set.code).toBe(0);
    expect(set.json()).toEqual({ ADMIN_TOKEN: 's3cret=x', LOG_LEVEL: 'debug' });
    const shown = await t.zw(['apps', 'env', 'approval']);
    expect(shown.stdout).toMatch(/^ADMIN_TOKEN=s3cret=x$/m);
    const unset = await t.zw([
      'apps',
      'env',
      'approval',
      '--unset',
      'LOG_LEVEL',
      '--restart',
      '--json',
    ]);
    expect(unset.code).toBe(0);
    expect(unset.json()).toEqual({ ADMIN_TOKEN: 's3cret=x' });
    const bad = await t.zw(['apps', 'env', 'approval', 'lower=case']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/KEY=VALUE/);
  });

  it('logs: the backlog as text or NDJSON, filtered by source', async () => {
    await deployed();
    const text = await t.zw(['apps', 'logs', 'approval', '--tail', '50']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Z \[build\] -----> Building source/);
    expect(text.stdout).toMatch(/Z web\.0 web\.0 listening on :8080/);
    const json = await t.zw(['apps', 'logs', 'approval', '--source', 'router', '--json']);
    const entries = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e: { source: string }) => e.source === 'router')).toBe(true);
    const bad = await t.zw(['apps', 'logs', 'approval', '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    const noSuchProcess = await t.zw(['apps', 'logs', 'approval', '--process', 'nope']);
    expect(noSuchProcess.code).toBe(2);
    expect(noSuchProcess.stderr).toMatch(/has no process nope[\s\S]*one of: web, worker, build/);
    expect((await t.zw(['apps', 'logs', 'approval', '--process', 'worker'])).code).toBe(0);
  });

  it('logs -f follows new entries until aborted (Ctrl+C), then exits 0', async () => {
    await deployed();
    const stop = new AbortController();
    const seen: string[] = [];
    const following = t.zw(['apps', 'logs', 'approval', '-f', '--tail', '0'], {
      signal: stop.signal,
      onStdout: (chunk) => {
        seen.push(chunk);
        if (chunk.includes('restarted')) stop.abort();
      },
    });
    // A restart writes new lines while the stream is open.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await t.zw(['apps', 'restart', 'approval', '--wait'])).code).toBe(0);
    const failsafe = setTimeout(() => stop.abort(), 5_000); // do not hang if the line never comes
    const r = await following;
    clearTimeout(failsafe);
    expect(r.code).toBe(0);
    expect(seen.join('')).toMatch(/Z web\.0 web\.0 restarted\n/);
  });

  it('scale sets replicas (--json is the scale); bad input is a usage error', async () => {
    await deployed();
    const r = await t.zw(['apps', 'scale', 'approval', '--replicas', '3', '--json']);
    expect(r.code).toBe(0);
    expect(r.json().processes).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'web', replicas: 3 })]),
    );
    const worker = await t.zw([
      'apps',
      'scale',
      'approval',
      '--process',
      'worker',
      '--replicas',
      '2',
      '--memory',
      '256',
    ]);
    expect(worker.stdout).toMatch(/worker\s+2\s+256 MiB/);
    const unknown = await t.zw([
      'apps',
      'scale',
      'approval',
      '--process',
      'nope',
      '--replicas',
      '1',
      '--json',
    ]);
    expect(unknown.code).toBe(6);
    expect(unknown.error()).toMatchObject({ status: 422 });
    const tooMany = await t.zw(['apps', 'scale', 'approval', '--replicas', '101']);
    expect(tooMany.code).toBe(2);
    // Memory alone keeps the replicas; neither is a usage error.
    const memory = await t.zw([
      'apps',
      'scale',
      'approval',
      '--process',
      'worker',
      '--memory',
      '512',
    ]);
    expect(memory.code, memory.stderr).toBe(0);
    expect(memory.stdout).toMatch(/worker\s+2\s+512 MiB/);
    const nothing = await t.zw(['apps', 'scale', 'approval']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/Nothing to change/);
  });

  it('scale says when the autoscaler will move a manual replica count again', async () => {
    const id = await deployed();
    const client = new Zhengwu({ baseUrl: t.mock.url, token: t.mock.platform.token });
    const plain = await t.zw(['apps', 'scale', 'approval', '--replicas', '2']);
    expect(plain.stderr).not.toMatch(/autoscaled/);
    await client.apps.scaling.setPolicy(id, {
      enabled: true,
      process: 'web',
      minReplicas: 1,
      maxReplicas: 5,
      target: { metric: 'cpu', value: 70 },
      cooldown: { scaleUpSeconds: 60, scaleDownSeconds: 300 },
    });
    const r = await t.zw(['apps', 'scale', 'approval', '--replicas', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/web is autoscaled between 1 and 5 replicas/);
  });

  it('rollback goes to the previous success by default, or --to a version', async () => {
    const id = await deployed(3);
    const r = await t.zw(['apps', 'rollback', 'approval', '--wait', '--json']);
    expect(r.code).toBe(0);
    const release = r.json();
    expect(release).toMatchObject({ version: 4, state: 'succeeded' });
    const target = t.mock.platform.state.releases.get(release.rollbackOf);
    expect(target?.version).toBe(2);

    const to = await t.zw(['apps', 'rollback', id, '--to', 'v1', '--wait']);
    expect(to.stdout).toMatch(/已回滚 · Rolled back approval to v1 \(now v5\)/);
    expect((await t.zw(['apps', 'rollback', id, '--to', '9'])).code).toBe(4);
    expect((await t.zw(['apps', 'rollback', id, '--to', 'latest'])).code).toBe(2);
  });

  it('rollback with nothing earlier is a conflict (exit 5)', async () => {
    await deployed(1);
    const r = await t.zw(['apps', 'rollback', 'approval']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/没有可回滚的更早成功发布/);
  });

  it('restart and delete (confirmed with --yes)', async () => {
    await deployed();
    const restart = await t.zw([
      'apps',
      'restart',
      'approval',
      '--process',
      'web',
      '--wait',
      '--json',
    ]);
    expect(restart.code).toBe(0);
    expect(restart.json()).toMatchObject({ name: 'approval', state: 'running' });

    expect((await t.zw(['apps', 'delete', 'approval'])).code).toBe(2);
    const del = await t.zw(['apps', 'delete', 'approval', '--yes', '--wait', '--json']);
    expect(del.code).toBe(0);
    expect(del.json()).toMatchObject({ name: 'approval', state: 'deleted' });
  });

  it('an unknown app exits 4 in every subcommand', async () => {
    for (const argv of [
      ['show', 'ghost'],
      ['logs', 'ghost'],
      ['scale', 'ghost', '--replicas', '1'],
      ['rollback', 'ghost'],
      ['restart', 'ghost'],
      ['delete', 'ghost', '--yes'],
      ['show', 'app_0000000000000000000000'],
    ]) {
      const r = await t.zw(['apps', ...argv]);
      expect(r.code, argv.join(' ')).toBe(4);
    }
  });
});
