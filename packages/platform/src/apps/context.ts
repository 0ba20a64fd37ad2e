import type { Db } from '../db/database';
import type { LogStore } from '../runtime/logs';
import type { AppsContext } from './pipeline';
import type { PolicyBounds, ScalingChange } from './scale';

/** What the app routes need besides the platform context: the runtime and its logs. */
export interface AppsPlatform extends AppsContext {
  logStore: LogStore;
  /** The autoscaling policy's bounds a manual scale must respect. */
  policyBounds: PolicyBounds;
  /** Records a replica change in the scaling history (and its audit event). */
  recordScaling: (db: Db, change: ScalingChange) => Promise<void>;
}
