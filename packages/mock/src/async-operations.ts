/**
 * Long-running work. A call such as `createInstance` starts an Operation in `pending`; each
 * GET of the operation, or of a resource it works on, is one poll. The first polls move it
 * to `running`; after `operationSteps` polls it ends `succeeded` (or `failed`, when
 * `failNextOperation` asked for it) and its resource moves on (provisioning → ready …).
 * With `operationSteps: 0` it ends before the call answers.
 */

import { newId } from './ids';
import { ProblemError, problemBody, statusOf } from './problems';
import type { Runtime, Work } from './runtime';
import { type Model, remember } from './state';
import { nowIso } from './time';

type Operation = Model['Operation'];
type OperationType = Model['OperationType'];

const MESSAGES: Record<OperationType, [string, string, string]> = {
  'instance.provision': ['provision', '正在开通实例', 'Provisioning the instance'],
  'instance.update': ['update', '正在变更实例', 'Updating the instance'],
  'instance.deprovision': [
    'deprovision',
    '正在注销实例并清除数据',
    'Deprovisioning and erasing data',
  ],
  'binding.create': ['issue-credentials', '正在签发凭据', 'Issuing credentials'],
  'binding.rotate': ['rotate-credentials', '正在轮换凭据', 'Rotating credentials'],
  'binding.delete': ['revoke-credentials', '正在吊销凭据', 'Revoking credentials'],
  'release.build': ['build', '正在构建', 'Building'],
  'release.deploy': ['deploy', '正在滚动部署', 'Rolling out'],
  'app.rollback': ['rollback', '正在回滚', 'Rolling back'],
  'app.restart': ['restart', '正在滚动重启', 'Restarting'],
  'app.delete': ['delete', '正在删除应用', 'Deleting the app'],
};

export const refOf = (op: Operation): Model['OperationRef'] => ({
  id: op.id,
  type: op.type,
  state: op.state,
});

/** Keeps every `lastOperation` that points at `op` in step with its state. */
function syncRefs(rt: Runtime, op: Operation, work: Work | undefined): void {
  const { instances, bindings, apps, releases } = rt.state;
  for (const id of new Set([op.target.id, ...(work?.subjects ?? [])])) {
    for (const map of [instances, bindings, apps, releases] as Map<
      string,
      { lastOperation: Model['OperationRef'] | null }
    >[]) {
      const resource = map.get(id);
      if (resource?.lastOperation?.id === op.id) resource.lastOperation = refOf(op);
    }
  }
}

export interface StartOptions extends Omit<Work, 'polls' | 'subjects' | 'failWith'> {
  type: OperationType;
  tenantId: string;
  target: Model['OperationTarget'];
  /** Ids whose GET polls the operation; default the target. */
  subjects?: string[];
  /** Resources whose `lastOperation` becomes this operation (set before it can finish). */
  holders: { lastOperation: Model['OperationRef'] | null }[];
}

/** Starts an operation; it may already be finished when `operationSteps` is 0. */
export function startOperation(rt: Runtime, options: StartOptions): Operation {
  const { type, tenantId, target, subjects, holders, ...hooks } = options;
  const at = nowIso();
  const op: Operation = {
    id: newId('op'),
    tenantId,
    type,
    state: 'pending',
    target,
    progress: { percent: 0, step: null, message: null },
    attempts: 0,
    error: null,
    createdAt: at,
    startedAt: null,
    finishedAt: null,
    updatedAt: at,
  };
  rt.state.operations.set(op.id, op);
  remember(rt.state, op.id);
  const failWith = rt.failNext.get(type)?.shift();
  const work: Work = {
    ...hooks,
    subjects: subjects ?? [target.id],
    polls: 0,
    ...(failWith && { failWith }),
  };
  rt.work.set(op.id, work);
  for (const holder of holders) holder.lastOperation = refOf(op);
  if (rt.options.operationSteps <= 0) finish(rt, op, work);
  return op;
}

function finish(rt: Runtime, op: Operation, work: Work): void {
  rt.work.delete(op.id);
  const at = nowIso();
  op.startedAt ??= at;
  op.attempts = Math.max(op.attempts, 1);
  op.finishedAt = at;
  op.updatedAt = at;
  if (work.failWith) {
    const { code, detail, status, title } = work.failWith;
    const problem: Model['Problem'] = {
      ...problemBody(code, detail ?? `The ${op.type} operation failed.`, work.requestId, {
        status: status ?? statusOf(code),
        instance: `/v1/operations/${op.id}`,
      }),
      ...(title && { title }),
    };
    op.state = 'failed';
    op.error = problem;
    op.progress = { ...op.progress, step: op.progress.step, message: { zh: '失败', en: 'Failed' } };
    syncRefs(rt, op, work);
    work.onFailed(problem);
  } else {
    op.state = 'succeeded';
    op.progress = { percent: 100, step: null, message: { zh: '已完成', en: 'Done' } };
    syncRefs(rt, op, work);
    work.onSucceeded();
  }
}

function poll(rt: Runtime, op: Operation, work: Work): void {
  work.polls += 1;
  const steps = rt.options.operationSteps;
  if (work.polls >= steps) {
    finish(rt, op, work);
    return;
  }
  const [step, zh, en] = MESSAGES[op.type];
  const at = nowIso();
  op.state = 'running';
  op.startedAt ??= at;
  op.attempts = 1;
  op.updatedAt = at;
  op.progress = { percent: Math.floor((work.polls / steps) * 100), step, message: { zh, en } };
  syncRefs(rt, op, work);
  work.onProgress?.(work.polls / steps);
}

/** One poll of every unfinished operation working on `subjectId` (a GET of that resource). */
export function advance(rt: Runtime, subjectId: string): void {
  for (const [id, work] of [...rt.work]) {
    const op = rt.state.operations.get(id);
    if (op && rt.work.get(id) === work && work.subjects.includes(subjectId)) poll(rt, op, work);
  }
}

/** One poll of an operation (a GET of the operation itself). */
export function pollOperation(rt: Runtime, operationId: string): void {
  const op = rt.state.operations.get(operationId);
  const work = rt.work.get(operationId);
  if (op && work) poll(rt, op, work);
}

/** Cancels an unfinished operation; 409 `invalid_state` once it finished or can't stop. */
export function cancel(rt: Runtime, op: Operation): void {
  const work = rt.work.get(op.id);
  if (!work) {
    throw new ProblemError('invalid_state', `Operation ${op.id} has already ${op.state}.`);
  }
  if (work.cancellable && !work.cancellable()) {
    throw new ProblemError('invalid_state', `Operation ${op.id} is past its point of no return.`);
  }
  rt.work.delete(op.id);
  const at = nowIso();
  op.state = 'canceled';
  op.finishedAt = at;
  op.updatedAt = at;
  op.progress = { ...op.progress, message: { zh: '已取消', en: 'Canceled' } };
  syncRefs(rt, op, work);
  work.onCanceled();
}

/** Ends an unfinished operation as canceled without asking (a superseded release). */
export function abandon(rt: Runtime, operationId: string): void {
  const op = rt.state.operations.get(operationId);
  const work = rt.work.get(operationId);
  if (!op || !work) return;
  rt.work.delete(operationId);
  const at = nowIso();
  op.state = 'canceled';
  op.finishedAt = at;
  op.updatedAt = at;
  syncRefs(rt, op, work);
}

/** Finishes an unfinished operation at once, successfully (e.g. bindings of a deleted instance). */
export function completeNow(rt: Runtime, operationId: string): void {
  const op = rt.state.operations.get(operationId);
  const work = rt.work.get(operationId);
  if (op && work) finish(rt, op, { ...work, failWith: undefined } as Work);
}

export { MESSAGES as OPERATION_MESSAGES };
