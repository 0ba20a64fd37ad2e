import type { Schemas } from '@zhengwu/openapi';
import type { ScalingChange } from '../apps/scale';
import type { Db } from '../db/database';
import {
  type CreatedPosition,
  createdPositionOf,
  isCreatedPosition,
  ScopedCursor,
} from '../http/cursor';
import type { Page } from '../http/pagination';
import { newId } from '../ids';
import { type ScalingEventRow, scalingDb } from './tables';

type ScalingEvent = Schemas['ScalingEvent'];
type ScalingReason = Schemas['ScalingReason'];

/** Scaling events are kept this long (the contract's 90 days). */
export const SCALING_EVENT_RETENTION_MS = 90 * 86_400_000;

export interface NewScalingEvent {
  appId: string;
  tenantId: string;
  process: string;
  from: number;
  to: number;
  reason: ScalingReason;
  /** The principal of a manual change; null when the platform decided. */
  principalId: string | null;
  /** When it happened (the autoscaler's clock); now when left out. */
  at?: Date;
}

export function toApiScalingEvent(row: ScalingEventRow): ScalingEvent {
  return {
    id: row.id,
    appId: row.app_id,
    process: row.process,
    fromReplicas: row.from_replicas,
    toReplicas: row.to_replicas,
    reason: row.reason,
    principalId: row.principal_id,
    createdAt: row.created_at.toISOString(),
  };
}

/** Writes one event (inside the caller's transaction, with the change it records). */
export async function recordScalingEvent(db: Db, event: NewScalingEvent): Promise<ScalingEventRow> {
  return scalingDb(db)
    .insertInto('scaling_events')
    .values({
      id: newId('sev'),
      app_id: event.appId,
      tenant_id: event.tenantId,
      process: event.process,
      from_replicas: event.from,
      to_replicas: event.to,
      reason: JSON.stringify(event.reason),
      principal_id: event.principalId,
      created_at: event.at ?? new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** `zh · en` text (the platform's bilingual one-liners) as the contract's LocalizedText. */
export function localized(text: string): Schemas['LocalizedText'] {
  const at = text.indexOf(' · ');
  return at === -1 ? { zh: text, en: text } : { zh: text.slice(0, at), en: text.slice(at + 3) };
}

/**
 * A replica change reported by the apps module (`scaleApp`, a rollout): the same event, from
 * the shape `apps/scale.ts` records (`reason` a kind, `detail` bilingual text).
 */
export async function recordScalingChange(db: Db, change: ScalingChange): Promise<void> {
  const kind = (['manual', 'autoscaler', 'schedule', 'rollout'] as const).find(
    (k) => k === change.reason,
  );
  await recordScalingEvent(db, {
    appId: change.appId,
    tenantId: change.tenantId,
    process: change.process,
    from: change.from,
    to: change.to,
    reason: { kind: kind ?? 'manual', message: localized(change.detail) },
    principalId: change.principalId ?? null,
  });
}

/** `listScalingEvents` of one (visible) app: newest first, keyset-paged. */
export async function listScalingEvents(
  db: Db,
  appId: string,
  query: { process?: string; limit?: number; cursor?: string },
): Promise<Page<ScalingEvent>> {
  const { limit = 50, cursor, process } = query;
  const cursors = new ScopedCursor<CreatedPosition>(
    'scaling-events',
    { appId, process },
    isCreatedPosition,
  );
  const after = cursors.decode(cursor);
  let q = scalingDb(db).selectFrom('scaling_events').selectAll().where('app_id', '=', appId);
  if (process !== undefined) q = q.where('process', '=', process);
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', new Date(after[0])),
        eb.and([eb('created_at', '=', new Date(after[0])), eb('id', '<', after[1])]),
      ]),
    );
  }
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  return cursors.page(rows, limit, createdPositionOf, toApiScalingEvent);
}

/** Deletes events older than the retention; returns how many. */
export async function pruneScalingEvents(db: Db, now: Date): Promise<number> {
  const result = await scalingDb(db)
    .deleteFrom('scaling_events')
    .where('created_at', '<', new Date(now.getTime() - SCALING_EVENT_RETENTION_MS))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
