/**
 * Waiting on asynchronous platform work with the SDK's waiters, turning a failed wait into a
 * message that says why (the operation's problem), not just the final state.
 */
import type { Schemas, WaiterOptions, Zhengwu } from '@zhengwu/sdk';
import { CliError } from './errors';
import { EXIT } from './exit-codes';

interface WithOperation {
  lastOperation?: Schemas['OperationRef'] | null;
}

/** Runs `wait()`; when it ends in a failure state, reports the last operation's error. */
export async function waitOrExplain<T>(
  client: Zhengwu,
  what: { zh: string; en: string },
  wait: () => Promise<T>,
): Promise<T> {
  try {
    return await wait();
  } catch (error) {
    if ((error as Error).name !== 'WaiterFailureError') throw error;
    const state = (error as { state?: WithOperation }).state;
    const reason = await operationError(client, state);
    throw new CliError(
      `${what.zh}失败 · ${what.en} failed${reason ? `: ${reason}` : ''}`,
      EXIT.failure,
    );
  }
}

async function operationError(
  client: Zhengwu,
  state: WithOperation | undefined,
): Promise<string | undefined> {
  const ref = state?.lastOperation;
  if (!ref) return undefined;
  const op = await client.operations.retrieve(ref.id).catch(() => undefined);
  const problem = op?.error;
  return problem
    ? `${problem.detail ?? problem.title}${problem.code ? ` (${problem.code})` : ''}`
    : undefined;
}

/** Waits for a release; a failure reports the release's own problem. */
export async function waitRelease(
  client: Zhengwu,
  app: Schemas['App'],
  release: Schemas['Release'],
  options: WaiterOptions,
): Promise<Schemas['Release']> {
  try {
    return await client.apps.releases.waitUntilDone(app.id, release.id, options);
  } catch (error) {
    if ((error as Error).name !== 'WaiterFailureError') throw error;
    const failed = (error as { state: Schemas['Release'] }).state;
    const p = failed.failure;
    // The log lines of the step that failed: the build's, the release command's, or all.
    const source = { build_failed: ' --source build', release_failed: ' --source release' }[
      p?.code as string
    ];
    throw new CliError(
      `发布 v${failed.version} 失败 · Release v${failed.version} failed${p ? `: ${p.detail ?? p.title}${p.code ? ` (${p.code})` : ''}` : ''}`,
      EXIT.failure,
      `查看日志 · see the logs: zw apps logs ${app.name}${source ?? ''}`,
    );
  }
}
