import { spawn } from 'node:child_process';

export interface NodeTestRun {
  code: number | null;
  output: string;
  pass: number;
  fail: number;
  skipped: number;
  todo: number;
}

const count = (output: string, name: string) =>
  Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(output)?.[1] ?? Number.NaN);

/**
 * Runs a template's own tests (`node --test`, what its `npm test` does) in its folder with
 * the given environment, TAP output so the counts can be read back.
 */
export function runNodeTests(
  dir: string,
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<NodeTestRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--test', '--test-reporter=tap'], {
      cwd: dir,
      // Only what a deployed app would get, plus PATH/HOME for node itself; CI is passed on
      // so a template test that cannot find its services fails instead of skipping.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...(process.env.CI ? { CI: process.env.CI } : {}),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        output,
        pass: count(output, 'pass'),
        fail: count(output, 'fail'),
        skipped: count(output, 'skipped'),
        todo: count(output, 'todo'),
      });
    });
  });
}
