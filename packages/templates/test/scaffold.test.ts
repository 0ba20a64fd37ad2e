import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, filesUnder, PACKAGE_DIR, runCli, templateSourceFiles } from './support/cli';

const ownVersion = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')).version;

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'create-zhengwu-'));
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

const read = (...path: string[]) => readFileSync(join(cwd, ...path), 'utf8');

describe('create-zhengwu (non-interactive)', () => {
  it('copies the template, renames files and rewrites the names', async () => {
    const before = Date.now();
    const run = await runCli(['my-app', '--template', 'approval', '--no-interactive'], cwd);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    const expected = templateSourceFiles('approval')
      .map((file) => (file === '_gitignore' ? '.gitignore' : file))
      .concat('.zhengwu-template.json')
      .sort();
    expect(filesUnder(join(cwd, 'my-app'))).toEqual(expected);
    // The template folder in the monorepo has node_modules installed; none of it is copied.
    expect(existsSync(join(PACKAGE_DIR, 'template-approval', 'node_modules'))).toBe(true);
    expect(existsSync(join(cwd, 'my-app', 'node_modules'))).toBe(false);
    expect(existsSync(join(cwd, 'my-app', '_gitignore'))).toBe(false);
    expect(read('my-app', '.gitignore')).toBe(
      readFileSync(join(PACKAGE_DIR, 'template-approval', '_gitignore'), 'utf8'),
    );

    const pkg = JSON.parse(read('my-app', 'package.json'));
    expect(pkg.name).toBe('my-app');
    expect(pkg.scripts.test).toBe('node --test');
    const manifest = read('my-app', 'zhengwu.yaml');
    expect(manifest).toMatch(/^metadata:\n {2}name: my-app$/m);
    expect(manifest.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=/);
    expect(manifest.replace('name: my-app', 'name: approval')).toBe(
      readFileSync(join(PACKAGE_DIR, 'template-approval', 'zhengwu.yaml'), 'utf8'),
    );

    const record = JSON.parse(read('my-app', '.zhengwu-template.json'));
    expect(record).toEqual({
      template: 'approval',
      version: ownVersion,
      createdAt: expect.any(String),
    });
    expect(Date.parse(record.createdAt)).toBeGreaterThanOrEqual(before - 1000);

    for (const step of [
      'cd my-app',
      'npm install',
      'zw login',
      'zw deploy',
      '下一步 · Next steps',
      'npm install -g @zhengwu/cli',
    ]) {
      expect(run.stdout).toContain(step);
    }
  });

  it('uses defaults when stdin is not a terminal and records the tenant', async () => {
    const run = await runCli(['--tenant', 'ten_city-a'], cwd);
    expect(run.code).toBe(0);
    const record = JSON.parse(read('zhengwu-app', '.zhengwu-template.json'));
    expect(record).toMatchObject({ template: 'approval', tenant: 'ten_city-a' });
    expect(run.stdout).toContain('zw deploy --tenant ten_city-a');
  });

  it('creates into a nested path and names the app after its last segment', async () => {
    const run = await runCli(['apps/permit-office', '--template=approval'], cwd);
    expect(run.code).toBe(0);
    expect(JSON.parse(read('apps/permit-office/package.json')).name).toBe('permit-office');
    expect(run.stdout).toContain('cd apps/permit-office');
  });

  it('refuses a non-empty directory with exit code 2 and leaves it alone', async () => {
    mkdirSync(join(cwd, 'taken'));
    writeFileSync(join(cwd, 'taken', 'notes.txt'), 'mine');
    const run = await runCli(['taken'], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--overwrite');
    expect(filesUnder(join(cwd, 'taken'))).toEqual(['notes.txt']);
  });

  it('accepts an empty directory, and a non-empty one with --overwrite (keeping .git)', async () => {
    mkdirSync(join(cwd, 'empty'));
    expect((await runCli(['empty'], cwd)).code).toBe(0);

    mkdirSync(join(cwd, 'old', '.git'), { recursive: true });
    writeFileSync(join(cwd, 'old', '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(cwd, 'old', 'stale.txt'), 'old');
    const run = await runCli(['old', '--overwrite'], cwd);
    expect(run.code).toBe(0);
    expect(existsSync(join(cwd, 'old', 'stale.txt'))).toBe(false);
    expect(read('old', '.git', 'HEAD')).toBe('ref: refs/heads/main\n');
    expect(existsSync(join(cwd, 'old', 'server.js'))).toBe(true);
  });

  it('refuses a target that is a file with exit code 2', async () => {
    writeFileSync(join(cwd, 'file-app'), 'x');
    expect((await runCli(['file-app'], cwd)).code).toBe(2);
  });

  it.each([
    [['Bad_Name'], /Invalid project name "Bad_Name"[\s\S]*e\.g\. bad-name/],
    [['-leading'], /Unknown option|unknown option/i],
    [['ok-app', '--template', 'nope'], /Unknown template "nope"[\s\S]*approval/],
    [['ok-app', '--tenant', 'bad tenant!'], /Invalid tenant/],
    [['ok-app', '--colour'], /--colour/],
    [
      ['ok-app', '--tempalte', 'oa'],
      /未知选项 --tempalte，是否想输入 --template？· Unknown option/,
    ],
    [['one-app', 'two-app'], /Only one project directory/],
    [['a'], /Invalid project name "a"/],
  ])('exits 1 on bad usage: %j', async (args, message) => {
    const run = await runCli(args, cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(filesUnder(cwd)).toEqual([]);
  });

  it('prints help with the templates, and its version', async () => {
    const help = await runCli(['--help'], cwd);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/approval\s+行政审批/);
    expect(help.stdout).toMatch(/data-sharing\s+数据共享/);
    const version = await runCli(['-v'], cwd);
    expect(version.stdout.trim()).toBe(ownVersion);
  });
});

describe('create-zhengwu (interactive)', () => {
  it('asks for name, template and tenant, re-asking after an invalid name', async () => {
    const run = await runCli(
      ['--interactive'],
      cwd,
      'Bad Name\nsharing-hub\ndata-sharing\ncity-b\n',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('项目名称 · Project name (zhengwu-app)');
    expect(run.stdout).toContain('✖ 项目名 “Bad Name” 无效');
    expect(run.stdout).toMatch(/1\) approval — 行政审批/);
    const record = JSON.parse(read('sharing-hub', '.zhengwu-template.json'));
    expect(record).toMatchObject({ template: 'data-sharing', tenant: 'city-b' });
    expect(read('sharing-hub', 'zhengwu.yaml')).toMatch(/^ {2}name: sharing-hub$/m);
  });

  it('takes the defaults on empty answers', async () => {
    const run = await runCli(['--interactive'], cwd, '\n\n\n');
    expect(run.code).toBe(0);
    const record = JSON.parse(read('zhengwu-app', '.zhengwu-template.json'));
    expect(record.template).toBe('approval');
    expect(record.tenant).toBeUndefined();
  });

  it('asks before emptying a non-empty directory', async () => {
    mkdirSync(join(cwd, 'busy'));
    writeFileSync(join(cwd, 'busy', 'keep.txt'), 'x');
    const no = await runCli(
      ['busy', '--interactive', '-t', 'approval', '--tenant', 't1'],
      cwd,
      'n\n',
    );
    expect(no.code).toBe(2);
    expect(filesUnder(join(cwd, 'busy'))).toEqual(['keep.txt']);
    const yes = await runCli(
      ['busy', '--interactive', '-t', 'approval', '--tenant', 't1'],
      cwd,
      'y\n',
    );
    expect(yes.code).toBe(0);
    expect(existsSync(join(cwd, 'busy', 'keep.txt'))).toBe(false);
  });

  it('exits 1 when input ends before the answers', async () => {
    const run = await runCli(['--interactive'], cwd, 'half-way\n');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('已取消 · Cancelled');
    expect(existsSync(join(cwd, 'half-way'))).toBe(false);
  });

  // `script` gives the CLI a real pseudo-terminal, so it prompts without --interactive.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('prompts on a real terminal (pseudo-TTY)', () => {
    const command = `printf 'tty-app\\n1\\n\\n' | script -qec "${process.execPath} ${CLI}" /dev/null`;
    const run = spawnSync('sh', ['-c', command], { cwd, encoding: 'utf8', timeout: 20_000 });
    expect(run.stdout).toContain('项目名称 · Project name');
    expect(JSON.parse(read('tty-app', '.zhengwu-template.json')).template).toBe('approval');
  });
});
