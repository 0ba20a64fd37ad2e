import type { Handlers } from '../http/context';
import { principalOf } from '../http/context';
import { auditingRefusals } from '../identity/audit';
import { readableApp } from '../scaling/app-access';
import { listScalingEvents } from '../scaling/events';
import { deletePolicy, getPolicy, setPolicy } from '../scaling/policies';
import {
  createSchedule,
  deleteSchedule,
  getSchedule,
  listSchedules,
  updateSchedule,
} from '../scaling/schedules';

/**
 * An app's autoscaling policy, its scaling schedules and its scaling history. Another
 * tenant's app answers 404; changes need the developer or tenant-admin role and are audited
 * (refusals too), and their quota hold on `maxReplicas` moves in the same transaction.
 */
export const scalingHandlers: Handlers = {
  getAutoscalingPolicy: (request, _reply, ctx) =>
    getPolicy(ctx.db, principalOf(request), request.params.appId),

  setAutoscalingPolicy: auditingRefusals((request, _reply, ctx) =>
    setPolicy(ctx, request, principalOf(request), request.params.appId, request.body),
  ),

  deleteAutoscalingPolicy: auditingRefusals(async (request, reply, ctx) => {
    await deletePolicy(ctx, request, principalOf(request), request.params.appId);
    return reply.code(204).send();
  }),

  listSchedules: (request, _reply, ctx) =>
    listSchedules(ctx.db, principalOf(request), request.params.appId, request.query),

  createSchedule: auditingRefusals(async (request, reply, ctx) => {
    const { appId } = request.params;
    const schedule = await createSchedule(ctx, request, principalOf(request), appId, request.body);
    reply.code(201).header('location', `/v1/apps/${appId}/autoscaling/schedules/${schedule.id}`);
    return schedule;
  }),

  getSchedule: (request, _reply, ctx) =>
    getSchedule(ctx.db, principalOf(request), request.params.appId, request.params.scheduleId),

  updateSchedule: auditingRefusals((request, _reply, ctx) =>
    updateSchedule(
      ctx,
      request,
      principalOf(request),
      request.params.appId,
      request.params.scheduleId,
      request.body,
    ),
  ),

  deleteSchedule: auditingRefusals(async (request, reply, ctx) => {
    const { appId, scheduleId } = request.params;
    await deleteSchedule(ctx, request, principalOf(request), appId, scheduleId);
    return reply.code(204).send();
  }),

  listScalingEvents: async (request, _reply, ctx) => {
    const { appId } = request.params;
    await readableApp(ctx.db, principalOf(request), appId);
    return listScalingEvents(ctx.db, appId, request.query);
  },
};
