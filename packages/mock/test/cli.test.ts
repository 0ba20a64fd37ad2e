import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../src/version';

// Runs the CLI's TypeScript source, as it works from a clean clone without a build.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const args = ['--import', 'tsx', '--conditions=zhengwu-source', 'src/node/cli.ts'];
const run = (...extra: string[]) =>
  spawnSync(process.execPath, [...args, ...extra], { cwd: packageDir, encoding: 'utf8' });

function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in: ${out}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.once('exit', () => reject(new Error(`exited early: ${out}`)));
  });
}

describe('zw-mock', () => {
  it('--help explains it, in Chinese first, then English, and exits 0', () => {
    const result = run('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^zw-mock \d+\.\d+\.\d+ — 政务云平台离线模拟服务 · the Zhengwu platform/,
    );
    expect(result.stdout.indexOf('在本机启动')).toBeLessThan(
      result.stdout.indexOf('starts a mock platform'),
    );
    expect(result.stdout).toMatch(/--operation-steps/);
    expect(run('--version').stdout.trim()).toBe(VERSION);
  });

  it('refuses bad input with exit code 2', () => {
    const badPort = run('serve', '--port', 'seventy');
    expect(badPort.status).toBe(2);
    expect(badPort.stderr).toMatch(/--port/);
    expect(run('serve', '--colour').status).toBe(2);
    expect(run('deploy').status).toBe(2);
  });

  it('serve prints the URL and token, answers, and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [...args, 'serve', '--port', '0', '--token', 'zw_cli_test_token', '--operation-steps', '0'],
      {
        cwd: packageDir,
      },
    );
    try {
      const out = await waitForOutput(child, /Token\s+\S+/);
      const url = /URL\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
      expect(out).toMatch(/Token\s+zw_cli_test_token/);
      const me = await fetch(`${url}/v1/me`, {
        headers: { authorization: 'Bearer zw_cli_test_token' },
      });
      expect(me.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
