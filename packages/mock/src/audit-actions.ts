/** The audit action every mutating operation records (`<resource>.<verb>`). */
import type { OperationId, operations } from '@zhengwu/openapi';

type MutatingOperationId = {
  [K in OperationId]: (typeof operations)[K]['mutating'] extends true ? K : never;
}[OperationId];

export const AUDIT_ACTIONS: Record<MutatingOperationId, string> = {
  createTenant: 'tenant.create',
  updateTenant: 'tenant.update',
  deleteTenant: 'tenant.delete',
  setTenantQuota: 'tenant.quota.set',
  addMember: 'member.add',
  updateMember: 'member.update',
  removeMember: 'member.remove',
  createToken: 'token.create',
  revokeToken: 'token.revoke',
  createInstance: 'instance.create',
  updateInstance: 'instance.update',
  deleteInstance: 'instance.delete',
  createBinding: 'binding.create',
  deleteBinding: 'binding.delete',
  rotateBinding: 'binding.rotate',
  cancelOperation: 'operation.cancel',
  createApp: 'app.create',
  updateApp: 'app.update',
  deleteApp: 'app.delete',
  restartApp: 'app.restart',
  uploadSource: 'source.upload',
  createRelease: 'release.create',
  rollbackApp: 'app.rollback',
  scaleApp: 'app.scale',
  setAutoscalingPolicy: 'autoscaling.set',
  deleteAutoscalingPolicy: 'autoscaling.delete',
  createSchedule: 'schedule.create',
  updateSchedule: 'schedule.update',
  deleteSchedule: 'schedule.delete',
  verifyAuditChain: 'audit.verify',
};

export function auditActionOf(operationId: OperationId): string | undefined {
  return (AUDIT_ACTIONS as Partial<Record<OperationId, string>>)[operationId];
}
