import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ProblemError } from '../http/problems';
import { type CommandResult, runCommand } from './command';
import { packageCacheDir } from './paths';
import { unpackSource } from './source-archive';

/** Where build and release output goes (the runtime's log store). */
export type OutputSink = (stream: 'stdout' | 'stderr', line: string) => void;

const BUILD_TIMEOUT_MS = 10 * 60_000;
const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json'];

/** The environment of build steps: the platform's PATH and npm's shared cache, nothing secret. */
export function buildEnv(dataDir: string, dir: string): Record<string, string> {
  return {
    PATH: `${join(dir, 'node_modules', '.bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: process.env.HOME ?? dir,
    LANG: process.env.LANG ?? 'C.UTF-8',
    npm_config_cache: join(packageCacheDir(dataDir), 'npm'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    CI: 'true',
  };
}

export function commandFailure(
  code: 'build_failed' | 'release_failed',
  what: { zh: string; en: string },
  result: CommandResult,
): ProblemError {
  const how = result.timedOut
    ? 'timed out'
    : result.signal
      ? `was killed by ${result.signal}`
      : `exited with ${result.code}`;
  const tail = failureLines(result.tail).join('\n');
  return new ProblemError(code, `${what.zh}失败 · ${what.en} ${how}${tail ? `:\n${tail}` : '.'}`);
}

const ERROR_LINE = /\b(error|exception|failed|fatal)\b|ERR!|错误|失败/i;

/**
 * The lines a failure shows: the last 8, led by the first error line before them — a stack
 * trace or npm's epilogue would otherwise push out the one line that says what went wrong.
 */
export function failureLines(tail: readonly string[]): string[] {
  const last = tail.slice(-8);
  const cause = tail.slice(0, -8).find((line) => ERROR_LINE.test(line));
  return cause ? [cause.trim(), '…', ...last] : last;
}

/**
 * Installs the app's npm dependencies once per dependency digest (package.json + lockfile):
 * later builds with the same digest link the installed tree instead of installing again.
 */
async function installDependencies(
  dataDir: string,
  dir: string,
  withDev: boolean,
  out: OutputSink,
  signal?: AbortSignal,
): Promise<string | null> {
  const manifestFile = join(dir, 'package.json');
  if (!existsSync(manifestFile)) return null;
  const files = ['package.json', ...LOCKFILES.filter((f) => existsSync(join(dir, f)))];
  const digest = createHash('sha256');
  digest.update(withDev ? 'dev\n' : 'prod\n');
  for (const file of files) digest.update(`${file}\n`).update(await readFile(join(dir, file)));
  const key = digest.digest('hex').slice(0, 32);
  const installed = join(packageCacheDir(dataDir), 'deps', key);
  await rm(join(dir, 'node_modules'), { recursive: true, force: true });
  if (existsSync(join(installed, 'node_modules'))) {
    out('stdout', `依赖已缓存 · dependencies cached (${key})`);
    // Its last use: the cache keeps trees used within a week (apps/purge.ts).
    const now = new Date();
    await utimes(installed, now, now);
  } else {
    const staging = `${installed}.partial-${randomBytes(4).toString('hex')}`;
    await mkdir(staging, { recursive: true });
    for (const file of files) await writeFile(join(staging, file), await readFile(join(dir, file)));
    const lock = files.some((f) => LOCKFILES.includes(f));
    const npm = (freshness: string) =>
      `npm ${lock ? 'ci' : 'install'} ${freshness} --no-audit --no-fund --ignore-scripts${withDev ? '' : ' --omit=dev'}`;
    const install = (command: string) => {
      out('stdout', `$ ${command}`);
      return runCommand(command, {
        cwd: staging,
        env: buildEnv(dataDir, staging),
        timeoutMs: BUILD_TIMEOUT_MS,
        onLine: out,
        ...(signal && { signal }),
      });
    };
    let result = await install(npm('--prefer-offline'));
    // The shared cache may hold a package's index from before a version that another,
    // fresher index now asks for (packages published together): ask the registry again.
    if (result.code !== 0 && result.tail.some((line) => /\bETARGET\b/.test(line))) {
      out(
        'stdout',
        '缓存的包索引已过期，联网重试 · the cached package index is stale: retrying online',
      );
      result = await install(npm('--prefer-online'));
    }
    if (result.code !== 0) {
      await rm(staging, { recursive: true, force: true });
      throw commandFailure(
        'build_failed',
        { zh: '安装依赖', en: 'Installing dependencies' },
        result,
      );
    }
    await mkdir(join(staging, 'node_modules'), { recursive: true });
    await rename(staging, installed).catch(async (error) => {
      // Another build of the same digest finished first: use that one.
      await rm(staging, { recursive: true, force: true });
      if (!existsSync(installed)) throw error;
    });
  }
  await symlink(join(installed, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return key;
}

/** SHA-256 over every file of the build (path and content), dependencies by their digest. */
async function treeDigest(dir: string, dependencies: string | null): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`dependencies ${dependencies ?? 'none'}\n`);
  const walk = async (at: string): Promise<void> => {
    const entries = (await readdir(at, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    );
    for (const entry of entries) {
      const path = join(at, entry.name);
      if (at === dir && entry.name === 'node_modules') continue;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        const content = await readFile(path);
        hash.update(
          `${relative(dir, path)} ${createHash('sha256').update(content).digest('hex')}\n`,
        );
      }
    }
  };
  await walk(dir);
  return hash.digest('hex');
}

/**
 * Builds a release into its own directory: unpack the source, install dependencies (shared
 * cache), run the manifest's build command. Returns the artifact digest.
 */
export async function buildRelease(input: {
  dataDir: string;
  dir: string;
  sourceFile: string;
  buildCommand: string | undefined;
  out: OutputSink;
  signal?: AbortSignal;
}): Promise<string> {
  const { dataDir, dir, out, signal } = input;
  await rm(dir, { recursive: true, force: true });
  await unpackSource(input.sourceFile, dir);
  const dependencies = await installDependencies(dataDir, dir, !!input.buildCommand, out, signal);
  if (input.buildCommand) {
    out('stdout', `$ ${input.buildCommand}`);
    const result = await runCommand(input.buildCommand, {
      cwd: dir,
      env: { ...buildEnv(dataDir, dir), NODE_ENV: 'production' },
      timeoutMs: BUILD_TIMEOUT_MS,
      onLine: out,
      ...(signal && { signal }),
    });
    if (result.code !== 0) {
      throw commandFailure('build_failed', { zh: '构建命令', en: 'The build command' }, result);
    }
  }
  return treeDigest(dir, dependencies);
}
