/**
 * `@zhengwu/manifest`: the `zhengwu.yaml` app manifest. Schema, parsing with positions,
 * catalog checks, quota demand, env placeholders, and Score / Kubernetes export.
 * Platform-neutral (no file system; see `@zhengwu/manifest/node` for loading files).
 */

export type { CatalogInput, CatalogPlanLike, CatalogServiceLike } from './catalog';
export { RESERVED_ENV } from './check/env';
export { type CheckOptions, checkManifest } from './check/index';
export {
  DEFAULT_MEMORY_MB,
  DEFAULT_PORT,
  DEFAULT_TARGET,
  effectiveRoutes,
  replicaBounds,
  routableProcesses,
} from './defaults';
export { demandOf, type ManifestDemand, type ProcessDemand } from './demand';
export type { ManifestDocument, Position } from './document';
export { type EnvSources, generatedSecretNames, resolveEnv } from './env';
export { FILL_IN } from './export/k8s-env';
export type { KubernetesObject, KubernetesOptions } from './export/k8s-meta';
export { toKubernetes, toYaml } from './export/kubernetes';
export {
  GENERATED_SECRETS_TYPE,
  type ScoreOptions,
  type ScoreWorkload,
  toScore,
} from './export/score';
export { isInstanceName, resourceInstanceName } from './instance-name';
export { formatIssue, ManifestError, type ManifestIssue } from './issues';
export { type ParsedManifest, parseManifest } from './parse';
export { parseTemplate, type TemplatePart } from './placeholders';
export {
  MANIFEST_API_VERSION,
  MANIFEST_SCHEMA,
  MANIFEST_SCHEMA_ID,
} from './schema/manifest';
export type {
  Deploy,
  EnvValue,
  GeneratedSecret,
  HttpProbe,
  Manifest,
  Process,
  RecurringSchedule,
  Resource,
  Route,
  Scaling,
  ScalingTarget,
  Schedule,
  SpecificDateSchedule,
} from './types';
export { type ManifestValidation, validateManifest } from './validate';
