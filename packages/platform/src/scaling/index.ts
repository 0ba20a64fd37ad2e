/** Scaling: autoscaling policies, schedules, the autoscaler and the scaling history. */
export { type DecideInput, type Decision, decide, TOLERANCE } from './decide';
export type { ScaledProcess, ScalingTarget } from './evaluate';
export {
  listScalingEvents,
  pruneScalingEvents,
  recordScalingChange,
  recordScalingEvent,
} from './events';
export { type Autoscaler, type AutoscalerOptions, startAutoscaler } from './loop';
export { checkManualReplicas, policyBounds } from './policies';
export { replicaHold, syncReplicaHold } from './replica-hold';
export {
  effectiveWindow,
  effectiveWindows,
  nextTransition,
  type ScheduleSpec,
  windowAt,
} from './schedule';
export type { ScalingTables } from './tables';
