import type { CatalogInput, Manifest, ManifestIssue } from '@zhengwu/manifest';
import type { AppProcessRow } from '../db/schema';
import { ProblemError } from '../http/problems';

/** `zhengwu.yaml` as a release carries it (checked by `@zhengwu/manifest`). */
export type AppManifest = Manifest;

/** The manifest library, loaded on first use (a fifth of a second less at platform start). */
let library: Promise<typeof import('@zhengwu/manifest')> | undefined;
const manifestLibrary = () => {
  library ??= import('@zhengwu/manifest');
  return library;
};

/** `DEFAULT_MEMORY_MB` of `@zhengwu/manifest` (a test keeps them equal). */
export const DEFAULT_MEMORY_MB = 512;

/** Names of the variables generated once per app (`{ generate: secret }`). */
export async function generatedSecretNames(manifest: AppManifest): Promise<string[]> {
  return (await manifestLibrary()).generatedSecretNames(manifest);
}

/** Replicas and memory the manifest asks for at most (autoscaling and schedules included). */
export async function maxReplicasOf(manifest: AppManifest): Promise<number> {
  return (await manifestLibrary()).demandOf(manifest).replicas.max;
}

/** The scale each process of a manifest runs at: the current one, else the manifest's minimum. */
export function desiredScale(
  manifest: AppManifest,
  current: AppProcessRow[],
): { type: string; replicas: number; memoryMb: number }[] {
  return Object.entries(manifest.processes).map(([type, p]) => {
    const now = current.find((c) => c.type === type);
    const min = p.scaling?.min ?? 1;
    const max = p.scaling?.max ?? Math.max(min, now?.replicas ?? min);
    const replicas = Math.min(Math.max(now?.replicas ?? min, min), max);
    return { type, replicas, memoryMb: p.memoryMb ?? DEFAULT_MEMORY_MB };
  });
}

/** `60s`, `2m`, `500ms` → milliseconds (the manifest schema admits only these forms). */
export function durationMs(text: string | undefined, fallback: number): number {
  if (!text) return fallback;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  if (!match) return fallback;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

function refuse(issues: readonly ManifestIssue[]): never {
  const first = issues[0];
  // The codes `POST /v1/instances` answers for the same faults, then the general one.
  const codes = new Set(issues.map((i) => i.code));
  throw new ProblemError(
    codes.has('plan_not_found') || codes.has('unknown_service')
      ? 'plan_not_found'
      : codes.has('service_unavailable')
        ? 'service_unavailable'
        : 'validation_failed',
    `清单无效 · The manifest is invalid: ${first ? `${first.path || '/'} ${first.message}` : ''}${issues.length > 1 ? ` (+${issues.length - 1})` : ''}`,
    issues.map((i) => ({ path: `/body/manifest${i.path}`, message: i.message, code: i.code })),
  );
}

/**
 * Validates a release's manifest against the schema and the live catalog (a service whose
 * pools are down or missing is refused here, before anything is built): 422 with every problem.
 * Names derived from the app (its instances, `<app>-<resource>`) are checked with the app's
 * own name, which is what they are made from.
 */
export async function checkReleaseManifest(
  raw: Record<string, unknown>,
  appName: string,
  catalog: CatalogInput,
): Promise<AppManifest> {
  const { checkManifest, validateManifest } = await manifestLibrary();
  const validation = validateManifest(raw);
  if (!validation.ok) refuse(validation.issues);
  const { manifest } = validation;
  const issues = checkManifest(
    { ...manifest, metadata: { ...manifest.metadata, name: appName } },
    { catalog },
  );
  if (issues.length > 0) refuse(issues);
  return validation.manifest;
}

/** The manifest's env with `${resources.<name>.<key>}` filled in and generated secrets set. */
export async function resolveManifestEnv(
  manifest: AppManifest,
  outputs: Record<string, Record<string, string>>,
  secrets: Record<string, string>,
): Promise<Record<string, string>> {
  return (await manifestLibrary()).resolveEnv(manifest, { outputs, secrets });
}
