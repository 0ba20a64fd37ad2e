/** What every check gets: the manifest, the catalog if any, and a place to put issues. */
import type { CatalogServiceLike } from '../catalog';
import type { RawIssue } from '../document';
import type { Manifest } from '../types';

export interface CheckContext {
  readonly manifest: Manifest;
  /** Services by id; `undefined` when no catalog was given (catalog checks are skipped). */
  readonly services: ReadonlyMap<string, CatalogServiceLike> | undefined;
  readonly report: (issue: RawIssue) => void;
}
