/**
 * What a manifest means where it leaves things out: one replica, 512 MiB, port 8080,
 * `/ → web`. Every consumer (checks, quota demand, exports) reads through these.
 */
import { DEFAULT_MEMORY_MB, DEFAULT_PORT } from './schema/process';
import type { Manifest, Process, Route, Schedule, SpecificDateSchedule } from './types';

export { DEFAULT_MEMORY_MB, DEFAULT_PORT };

/** `target` when a process autoscales (`max > min`) without naming one. */
export const DEFAULT_TARGET = { cpu: 70 } as const;

/** Replica bounds of a process: `min`, `max` and `peak` (the highest any schedule can ask for). */
export function replicaBounds(process: Process): { min: number; max: number; peak: number } {
  const min = process.scaling?.min ?? 1;
  const max = Math.max(process.scaling?.max ?? min, min);
  const peak = (process.scaling?.schedules ?? []).reduce(
    (top, s) => Math.max(top, s.min, s.max ?? 0),
    max,
  );
  return { min, max, peak };
}

export const memoryOf = (process: Process): number => process.memoryMb ?? DEFAULT_MEMORY_MB;

export const portOf = (process: Process): number => process.port ?? DEFAULT_PORT;

/** The routes in force: the manifest's, or `/ → web` when it has none and a `web` process exists. */
export function effectiveRoutes(manifest: Manifest): Route[] {
  if (manifest.routes) return manifest.routes;
  return manifest.processes.web ? [{ path: '/', process: 'web' }] : [];
}

/** Processes that receive HTTP traffic: those a route in force points to (in manifest order). */
export function routableProcesses(manifest: Manifest): string[] {
  const routed = new Set(effectiveRoutes(manifest).map((r) => r.process));
  return Object.keys(manifest.processes).filter((name) => routed.has(name));
}

export const isSpecificDate = (schedule: Schedule): schedule is SpecificDateSchedule =>
  'startAt' in schedule;
