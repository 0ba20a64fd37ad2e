import type { Db } from '../db/database';
import { type DurableOperationRow, durable } from '../db/durability-schema';
import { OsbError, text } from './errors';

export type OsbState = 'in progress' | 'succeeded' | 'failed';

const FINISHED = new Set(['succeeded', 'failed', 'canceled']);

export function osbState(op: DurableOperationRow): OsbState {
  if (op.state === 'succeeded') return 'succeeded';
  return FINISHED.has(op.state) ? 'failed' : 'in progress';
}

const DONE: Record<string, [string, string]> = {
  'instance.provision': ['实例已开通', 'The instance is provisioned'],
  'instance.update': ['实例已变更', 'The instance is updated'],
  'instance.deprovision': ['实例已删除', 'The instance is deprovisioned'],
  'binding.create': ['绑定已创建', 'The binding is created'],
  'binding.delete': ['绑定已删除', 'The binding is deleted'],
};

type Problem = { code?: string; detail?: string; status?: number };

/** A user-facing line on where an operation is, from its progress or its error. */
export function describeOperation(op: DurableOperationRow): string {
  const state = osbState(op);
  if (state === 'succeeded') {
    const [zh, en] = DONE[op.type] ?? ['操作完成', 'The operation succeeded'];
    return text(zh, en);
  }
  if (state === 'failed') {
    if (op.state === 'canceled') return text('操作已取消', `Operation ${op.id} was canceled`);
    const problem = (op.error ?? op.last_error) as Problem | null;
    return problem?.detail ?? text('操作失败', `Operation ${op.id} failed`);
  }
  const progress = op.progress as { percent: number; message: { zh: string; en: string } | null };
  const retrying = op.last_error as Problem | null;
  const doing = progress.message
    ? text(
        `${progress.message.zh}（${progress.percent}%）`,
        `${progress.message.en} (${progress.percent}%)`,
      )
    : text(`排队中（${progress.percent}%）`, `Queued (${progress.percent}%)`);
  return retrying?.detail
    ? `${doing}; ${text('上次尝试失败，将重试', 'retrying after')}: ${retrying.detail}`
    : doing;
}

/** Whether a failed update may succeed when sent again (2.16+ `update_repeatable`). */
function repeatable(op: DurableOperationRow): boolean {
  const problem = op.error as Problem | null;
  // The runner's retry rule (`isRetryable`): engine trouble may pass, a refused change won't.
  if (!problem?.status) return true;
  return problem.status >= 500 || problem.status === 429 || problem.code === 'conflict';
}

/**
 * The `last_operation` body for API version 2.`minor`: `state`, a `description`, and from
 * 2.16 `instance_usable` / `update_repeatable` on a failed update or deprovisioning.
 */
export function lastOperationBody(op: DurableOperationRow, minor: number) {
  const state = osbState(op);
  const body: Record<string, unknown> = { state, description: describeOperation(op) };
  if (minor >= 16 && state === 'failed') {
    // A failed update leaves the previous plan in force; a failed deprovisioning leaves the
    // instance `failed` (delete it again).
    if (op.type === 'instance.update') {
      body.instance_usable = true;
      body.update_repeatable = repeatable(op);
    } else if (op.type === 'instance.deprovision') {
      body.instance_usable = false;
    }
  }
  return body;
}

/** How long a synchronous bind or unbind waits for its operation (platforms time out at 60 s). */
export const SYNC_WAIT_MS = 45_000;

/**
 * Waits for an operation to finish (bind and unbind without `accepts_incomplete`, and every
 * bind on 2.13, which has no asynchronous bindings). Polls the state database, so it works
 * whichever replica runs the operation. Throws 504 when it is still running at the deadline.
 */
export async function waitForOperation(
  db: Db,
  id: string,
  timeoutMs = SYNC_WAIT_MS,
): Promise<DurableOperationRow> {
  const deadline = Date.now() + timeoutMs;
  let pause = 20;
  for (;;) {
    const op = await durable(db)
      .selectFrom('operations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    if (FINISHED.has(op.state)) return op;
    if (Date.now() >= deadline) {
      throw new OsbError(
        504,
        'Timeout',
        text(
          `操作 ${id} 仍在进行，请稍后重试或使用 accepts_incomplete=true`,
          `Operation ${id} is still running; retry later or send accepts_incomplete=true`,
        ),
      );
    }
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(pause * 2, 200);
  }
}

/** The OSB error of a synchronous bind or unbind whose operation failed (5xx: platforms clean up). */
export function operationFailed(op: DurableOperationRow): OsbError {
  const problem = op.error as Problem | null;
  const status = problem?.status === 503 ? 503 : 500;
  return new OsbError(status, 'OperationFailed', describeOperation(op));
}
