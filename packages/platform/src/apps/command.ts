import { spawn } from 'node:child_process';
import { captureLines } from '../runtime/lines';
import { maskSecrets } from '../runtime/mask';

export interface CommandOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** Every output line, as it comes (secrets masked). */
  onLine: (stream: 'stdout' | 'stderr', line: string) => void;
  /** Values masked (`****`) in every line, the tail included, longest first (`secretsOf`). */
  secrets?: readonly string[];
  signal?: AbortSignal;
}

/** How a command ended; `tail` holds its last output lines (masked) for error messages. */
export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  tail: string[];
}

/**
 * Runs a shell command of an app (build, release) in its own process group, so a timeout
 * or an abort kills everything it started, not only the shell.
 */
export function runCommand(command: string, options: CommandOptions): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const secrets = options.secrets ?? [];
    const line = (stream: 'stdout' | 'stderr') => (raw: string) => {
      const text = secrets.length ? maskSecrets(raw, secrets) : raw;
      tail.push(text);
      if (tail.length > 20) tail.shift();
      options.onLine(stream, text);
    };
    // Lines longer than `MAX_LINE` come in pieces: one endless line cannot exhaust memory.
    captureLines(child.stdout, line('stdout'));
    captureLines(child.stderr, line('stderr'));
    let timedOut = false;
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {}
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', kill, { once: true });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', kill);
      resolve({ code, signal, timedOut, tail });
    });
  });
}
