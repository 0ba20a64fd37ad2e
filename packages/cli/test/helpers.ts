/**
 * Running `zw` against the mock platform: in-process through `run()` (fast, streams captured)
 * or as a real child process through the bin (stdin, exit status, file modes as users see them).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type MockServer, startMockServer } from '@zhengwu/mock/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { run } from '../src/index';

export const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** `zw tenants create` of the city 杭州市 under the seeded province, which several tests need. */
export const CREATE_HANGZHOU = [
  'tenants',
  'create',
  'hangzhou',
  '--zh',
  '杭州市',
  '--en',
  'Hangzhou',
  '--level',
  'city',
];

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever shape the command prints.
  json<T = any>(): T;
  /** The `{ error }` document `--json` writes to stderr on failure. */
  error(): {
    exitCode: number;
    message: string;
    hint?: string;
    status?: number;
    code?: string;
    [k: string]: unknown;
  };
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  stdin?: string;
  stdinIsTTY?: boolean;
  cwd?: string;
  signal?: AbortSignal;
  /** Pretend stderr is a terminal of this many columns (live progress). */
  terminalColumns?: number;
  /** Called with each chunk written to stdout (to react while the command runs). */
  onStdout?: (chunk: string) => void;
}

function result(code: number, stdout: string, stderr: string): Result {
  return {
    code,
    stdout,
    stderr,
    json: () => JSON.parse(stdout),
    error: () => JSON.parse(stderr.trim().split('\n').at(-1)!).error,
  };
}

/** One mock platform per test file, reset after each test, and a private config folder. */
export function useMock(options: { operationSteps?: number } = {}) {
  const state: { mock: MockServer; home: string } = {} as never;
  beforeAll(async () => {
    state.mock = await startMockServer({ port: 0, ...options });
  });
  afterEach(async () => {
    state.mock.platform.reset();
    state.mock.platform.faults.clear();
    if (state.home) await rm(state.home, { recursive: true, force: true });
    state.home = '';
  });
  afterAll(() => state.mock.close());

  /** A fresh folder standing in for $XDG_CONFIG_HOME. */
  async function home(): Promise<string> {
    state.home ||= await mkdtemp(join(tmpdir(), 'zw-cli-test-'));
    return state.home;
  }

  /** Environment of a logged-in user: the mock's URL and admin token, quick polling, no colour. */
  async function env(extra: Record<string, string | undefined> = {}) {
    return {
      XDG_CONFIG_HOME: await home(),
      ZHENGWU_URL: state.mock.url,
      ZHENGWU_TOKEN: state.mock.platform.token,
      ZHENGWU_POLL_INTERVAL_MS: '2',
      NO_COLOR: '1',
      ...extra,
    };
  }

  /** Runs `zw` in-process with `run()`. */
  async function zw(argv: string[], options: RunOptions = {}): Promise<Result> {
    let stdout = '';
    let stderr = '';
    const code = await run(argv, {
      stdout: {
        write: (s: string) => {
          stdout += s;
          options.onStdout?.(s);
        },
      },
      stderr: { write: (s: string) => (stderr += s) },
      stdin: options.stdin === undefined ? undefined : Readable.from([options.stdin]),
      stdinIsTTY: options.stdinIsTTY ?? false,
      stdoutIsTTY: false,
      stderrIsTTY: options.terminalColumns !== undefined,
      columns: options.terminalColumns,
      env: options.env ?? (await env()),
      cwd: options.cwd,
      signal: options.signal,
    });
    return result(code, stdout, stderr);
  }

  return {
    get mock() {
      return state.mock;
    },
    home,
    env,
    zw,
  };
}

/**
 * Runs the real `zw` bin (from source, through tsx) as a child process. Asynchronous: the mock
 * server lives in this process and must keep answering while the child runs.
 */
export function zwProcess(
  argv: string[],
  options: { env?: Record<string, string | undefined>; input?: string; cwd?: string } = {},
): Promise<Result> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=zhengwu-source', join(packageDir, 'src/bin.ts'), ...argv],
    {
      cwd: options.cwd ?? packageDir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...options.env },
      timeout: 30_000,
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(result(code ?? -1, stdout, stderr)));
  });
}
