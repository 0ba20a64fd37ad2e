import type { Db } from '../db/database';
import type { AppRow } from '../db/schema';
import { newId } from '../ids';
import { scalingDb } from '../scaling/tables';
import { type AppManifest, durationMs } from './manifest';

const DEFAULT_COOLDOWN = { scaleUp: 60, scaleDown: 300 };
const DEFAULT_TIMEZONE = 'Asia/Shanghai';

/**
 * Makes the manifest's `scaling` blocks the app's autoscaling: the policy (one per app, on
 * the first process whose `max` exceeds its `min`, the routed one first) and the schedules,
 * matched by name. A manifest without any scaling leaves what the API set alone.
 */
export async function applyManifestScaling(
  trx: Db,
  app: Pick<AppRow, 'id' | 'tenant_id'>,
  manifest: AppManifest,
  routed: string | undefined,
): Promise<void> {
  const db = scalingDb(trx);
  const processes = Object.entries(manifest.processes).sort(([a], [b]) =>
    a === routed ? -1 : b === routed ? 1 : 0,
  );
  const scaled = processes.find(([, p]) => (p.scaling?.max ?? 0) > (p.scaling?.min ?? 1));
  if (scaled) {
    const [process, p] = scaled;
    const scaling = p.scaling!;
    const target = scaling.target ?? { cpu: 70 };
    const [metric, value] =
      'cpu' in target
        ? (['cpu', target.cpu] as const)
        : (['requestsPerSecond', target.requestsPerSecond] as const);
    const row = {
      app_id: app.id,
      tenant_id: app.tenant_id,
      enabled: true,
      process,
      min_replicas: scaling.min,
      max_replicas: scaling.max as number,
      target_metric: metric,
      target_value: value,
      scale_up_seconds: Math.round(
        durationMs(scaling.cooldown?.scaleUp, DEFAULT_COOLDOWN.scaleUp * 1000) / 1000,
      ),
      scale_down_seconds: Math.round(
        durationMs(scaling.cooldown?.scaleDown, DEFAULT_COOLDOWN.scaleDown * 1000) / 1000,
      ),
      updated_at: new Date(),
    };
    await db
      .insertInto('scaling_policies')
      .values(row)
      .onConflict((oc) => oc.column('app_id').doUpdateSet(row))
      .execute();
  }
  for (const [process, p] of processes) {
    for (const s of p.scaling?.schedules ?? []) {
      const max = s.max ?? Math.max(s.min, p.scaling?.max ?? s.min);
      const common = {
        tenant_id: app.tenant_id,
        process,
        timezone: s.timezone ?? DEFAULT_TIMEZONE,
        min_replicas: s.min,
        max_replicas: max,
        initial_replicas: null,
        enabled: true,
        updated_at: new Date(),
      };
      const shape =
        'startAt' in s
          ? {
              kind: 'specificDate' as const,
              start_cron: null,
              end_cron: null,
              start_at: new Date(s.startAt),
              end_at: new Date(s.endAt),
            }
          : {
              kind: 'recurring' as const,
              start_cron: s.start,
              end_cron: s.end,
              start_at: null,
              end_at: null,
            };
      const existing = await db
        .selectFrom('scaling_schedules')
        .select('id')
        .where('app_id', '=', app.id)
        .where('name', '=', s.name)
        .executeTakeFirst();
      if (existing) {
        await db
          .updateTable('scaling_schedules')
          .set({ ...common, ...shape })
          .where('id', '=', existing.id)
          .execute();
      } else {
        await db
          .insertInto('scaling_schedules')
          .values({ id: newId('sch'), app_id: app.id, name: s.name, ...common, ...shape })
          .execute();
      }
    }
  }
}
