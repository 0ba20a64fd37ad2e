/**
 * Everything the CLI touches outside itself, injectable so `run()` can be driven by tests and
 * other tools: output streams, input, environment, terminal facts and a stop signal.
 */

/** Something text can be written to (a `process.stdout`, or a test buffer). */
export interface TextSink {
  write(text: string): unknown;
}

export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  /** Input for prompts and `zw login` reading a token from a pipe. */
  stdin?: NodeJS.ReadableStream | undefined;
  /** Environment variables (ZHENGWU_URL, ZHENGWU_TOKEN, XDG_CONFIG_HOME, HOME, NO_COLOR …). */
  env: Record<string, string | undefined>;
  /** Working directory for relative paths (`zw deploy`). Default `process.cwd()`. */
  cwd?: string | undefined;
  /** Interactive input: prompts and confirmations are allowed. */
  stdinIsTTY?: boolean | undefined;
  /** Output is a terminal: colours, tables sized to it, live progress. */
  stdoutIsTTY?: boolean | undefined;
  /** Errors and progress go to a terminal: live progress display. */
  stderrIsTTY?: boolean | undefined;
  /** Terminal width in columns, when known. */
  columns?: number | undefined;
  /** Aborts long-running commands (Ctrl+C on `zw apps logs -f`). */
  signal?: AbortSignal | undefined;
}

/** The real process's streams and environment. */
export function processIo(signal?: AbortSignal): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    columns: process.stdout.columns,
    signal,
  };
}
