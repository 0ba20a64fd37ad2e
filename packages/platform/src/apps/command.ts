import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface CommandOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** Every output line, as it comes. */
  onLine: (stream: 'stdout' | 'stderr', line: string) => void;
  signal?: AbortSignal;
}

/** How a command ended; `tail` holds its last output lines for error messages. */
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
    const line = (stream: 'stdout' | 'stderr') => (text: string) => {
      tail.push(text);
      if (tail.length > 20) tail.shift();
      options.onLine(stream, text);
    };
    createInterface({ input: child.stdout }).on('line', line('stdout'));
    createInterface({ input: child.stderr }).on('line', line('stderr'));
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
