/**
 * The audit action every mutating operation records (`<resource>.<verb>`), shared by the
 * platform and the mock. Keyed by the contract's mutating operations, so a new one must be
 * named here before it compiles.
 */
import type { OperationId, operations } from './generated/operations';

type MutatingOperationId = {
  [K in OperationId]: (typeof operations)[K]['mutating'] extends true ? K : never;
}[OperationId];

export const auditActions: Record<MutatingOperationId, string> = {
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
  return (auditActions as Partial<Record<OperationId, string>>)[operationId];
}
