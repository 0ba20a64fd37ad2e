import type { DefaultQuota } from '../config';
import type { Db } from '../db/database';
import { release, reserve } from '../tenancy/quota';
import { scalingDb } from './tables';

/**
 * What an app holds of its tenant's `replicas` quota. The contract counts "autoscaling and
 * schedule maximums": each process holds the highest of its replicas, the `maxReplicas` of
 * the policy acting on it and the `maxReplicas` of each of its schedules (enabled or not, so
 * that enabling one never needs quota). The autoscaler then never needs quota to act: it
 * stays within bounds that are already held.
 */

/** A policy's or schedule's claim on a process. */
export interface MaxClaim {
  process: string;
  maxReplicas: number;
}

/** What to count instead of the stored rows (a change being made). */
export interface HoldOverrides {
  /** The policy after the change (`null`: deleted). */
  policy?: MaxClaim | null;
  /** The app's schedules after the change. */
  schedules?: readonly MaxClaim[];
  /** Replicas of processes after the change. */
  replicas?: Readonly<Record<string, number>>;
}

/** The replicas held for a set of processes, policy and schedules (pure). */
export function holdOf(
  replicas: Readonly<Record<string, number>>,
  policy: MaxClaim | null,
  schedules: readonly MaxClaim[],
): number {
  const held = new Map<string, number>(Object.entries(replicas));
  for (const claim of [...(policy ? [policy] : []), ...schedules]) {
    held.set(claim.process, Math.max(held.get(claim.process) ?? 0, claim.maxReplicas));
  }
  let total = 0;
  for (const n of held.values()) total += n;
  return total;
}

/** The replicas the app holds as stored, with `overrides` applied. */
export async function replicaHold(
  db: Db,
  appId: string,
  overrides: HoldOverrides = {},
): Promise<number> {
  const sdb = scalingDb(db);
  const [processes, policy, schedules] = await Promise.all([
    sdb
      .selectFrom('app_processes')
      .select(['type', 'replicas'])
      .where('app_id', '=', appId)
      .execute(),
    overrides.policy !== undefined
      ? undefined
      : sdb
          .selectFrom('scaling_policies')
          .select(['process', 'max_replicas'])
          .where('app_id', '=', appId)
          .executeTakeFirst(),
    overrides.schedules !== undefined
      ? undefined
      : sdb
          .selectFrom('scaling_schedules')
          .select(['process', 'max_replicas'])
          .where('app_id', '=', appId)
          .execute(),
  ]);
  const replicas: Record<string, number> = Object.fromEntries(
    processes.map((p) => [p.type, p.replicas]),
  );
  Object.assign(replicas, overrides.replicas ?? {});
  return holdOf(
    replicas,
    overrides.policy !== undefined
      ? overrides.policy
      : policy
        ? { process: policy.process, maxReplicas: policy.max_replicas }
        : null,
    overrides.schedules ??
      (schedules ?? []).map((s) => ({ process: s.process, maxReplicas: s.max_replicas })),
  );
}

/**
 * Moves the app's hold on `replicas` to what it holds after a change (inside the caller's
 * transaction, the app row already locked): reserves more from the tenant's quota — 422
 * `quota_exceeded` when that does not fit — or gives some back, and records it in
 * `apps.reserved`. Call it before writing the change's rows.
 *
 * @returns the replicas held afterwards
 */
export async function syncReplicaHold(
  trx: Db,
  defaults: DefaultQuota,
  app: { id: string; tenant_id: string },
  overrides: HoldOverrides,
): Promise<number> {
  const row = await trx
    .selectFrom('apps')
    .select('reserved')
    .where('id', '=', app.id)
    .executeTakeFirstOrThrow();
  // An app that gave its quota back (deleted) holds nothing more.
  if (!row.reserved) return 0;
  const held = row.reserved.replicas;
  const next = await replicaHold(trx, app.id, overrides);
  if (next === held) return held;
  if (next > held) await reserve(trx, app.tenant_id, { replicas: next - held }, defaults);
  else await release(trx, app.tenant_id, { replicas: held - next });
  await trx
    .updateTable('apps')
    .set({ reserved: JSON.stringify({ ...row.reserved, replicas: next }) })
    .where('id', '=', app.id)
    .execute();
  return next;
}
