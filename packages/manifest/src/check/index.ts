/** `checkManifest`: what the schema cannot say, checked against the manifest itself and the catalog. */
import { type CatalogInput, type CatalogServiceLike, servicesOf } from '../catalog';
import { type ManifestDocument, placeIssues, type RawIssue } from '../document';
import { type ManifestIssue, sortIssues } from '../issues';
import type { Manifest } from '../types';
import type { CheckContext } from './context';
import { checkEnv } from './env';
import { checkResources } from './resources';
import { checkRoutes } from './routes';
import { checkProcessesScaling } from './scaling';

/** Options of `checkManifest`. */
export interface CheckOptions {
  /**
   * The live catalog as data (`listServices` response, `builtInCatalog()`, or `{ services }`).
   * Without it the catalog checks (`unknown_service`, `service_unavailable`, `plan_not_found`, `invalid_params`,
   * `unknown_credential`) are skipped and the rest still run.
   */
  catalog?: CatalogInput;
  /** The document from `parseManifest`, to give each issue its line and column. */
  document?: ManifestDocument;
}

/**
 * Semantic checks of a schema-valid manifest. Never throws; returns the issues sorted by
 * position (empty when the manifest can be deployed as far as the catalog can tell).
 *
 * Codes: `unknown_service`, `service_unavailable`, `plan_not_found`, `invalid_params`,
 * `shared_id_conflict`,
 * `instance_name_too_long`,
 * `placeholder_syntax`, `unknown_resource`, `unknown_credential`, `reserved_env`,
 * `unknown_process`, `duplicate_route`, `min_above_max`, `invalid_cron`, `unknown_timezone`,
 * `empty_window`, `duplicate_schedule`, `duration_too_long`.
 */
export function checkManifest(manifest: Manifest, options: CheckOptions = {}): ManifestIssue[] {
  const issues: RawIssue[] = [];
  const services = options.catalog
    ? new Map<string, CatalogServiceLike>(servicesOf(options.catalog).map((s) => [s.id, s]))
    : undefined;
  const context: CheckContext = { manifest, services, report: (issue) => issues.push(issue) };
  checkResources(context);
  checkEnv(context);
  checkRoutes(context);
  checkProcessesScaling(context);
  return sortIssues(placeIssues(issues, options.document));
}
