import { type ChildProcess, spawn } from 'node:child_process';
import { groupRunning } from './proc-stats';

/**
 * Runs a shell command as the leader of a new process group (`detached`), so the whole
 * tree — the shell, the app, anything the app forks — can be signalled at once.
 */
export function spawnGroup(
  command: string,
  cwd: string,
  env: Record<string, string>,
): ChildProcess {
  return spawn('/bin/sh', ['-c', command], {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Signals every process of the group; false when none is left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once no process of the group is left, or false after `timeoutMs`. */
export async function waitGroupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupRunning(pgid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

/**
 * SIGTERM to the group, up to `graceMs` for it to finish, then SIGKILL to whatever is left.
 * Resolves once the group is gone.
 */
export async function stopGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  if (await waitGroupGone(pgid, graceMs)) return;
  signalGroup(pgid, 'SIGKILL');
  await waitGroupGone(pgid, 5_000);
}
