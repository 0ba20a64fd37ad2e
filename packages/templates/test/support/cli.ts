import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../src/index.js', import.meta.url));
export const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `create-zhengwu` bin in `cwd`, writing `input` to its (piped) stdin. */
export function runCli(args: string[], cwd: string, input?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (input !== undefined) child.stdin.write(input);
    child.stdin.end();
  });
}

/** Every file below `dir`, relative, sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/**
 * The files of a template as git sees them (tracked or new, minus .gitignore'd ones such as
 * node_modules): what a published package would carry.
 */
export function templateSourceFiles(template: string): string[] {
  const result = spawnSync(
    'git',
    ['ls-files', '-co', '--exclude-standard', '--', `template-${template}`],
    {
      cwd: PACKAGE_DIR,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout
    .split('\n')
    .filter(Boolean)
    .map((file) => file.slice(`template-${template}/`.length))
    .filter((file) => existsSync(join(PACKAGE_DIR, `template-${template}`, file)))
    .sort();
}
