/**
 * The catalog as plain data, in any of the shapes the platform and the SDK have it: the
 * `listServices` response (`{ data }`), an array of services (`builtInCatalog()`), or
 * `{ services }`. Plans carry their `schemas.instanceCreate`; services their
 * `credentialsSchema` (contract shape) or `schemas.credentials` (catalog definitions).
 * `listServices` gives those only with `expand=schemas`: without them the parameter and
 * credential checks have nothing to check against and pass.
 */

/** A plan as far as the checks read it. */
export interface CatalogPlanLike {
  readonly id: string;
  readonly schemas?: { readonly instanceCreate?: unknown } | null;
}

/** A service as far as the checks read it. */
export interface CatalogServiceLike {
  readonly id: string;
  /** The live catalog's word on whether instances can be made now (absent: yes). */
  readonly available?: boolean;
  /** Why not, when `available` is false. */
  readonly unavailableReason?: { readonly zh: string; readonly en: string } | null;
  readonly plans: readonly CatalogPlanLike[];
  /** JSON Schema of the binding credentials (the contract's `Service.credentialsSchema`). */
  readonly credentialsSchema?: unknown;
  /** The catalog definitions' shape: schemas for every plan of the service. */
  readonly schemas?: { readonly instanceCreate?: unknown; readonly credentials?: unknown } | null;
}

/** Every accepted shape of a catalog. */
export type CatalogInput =
  | readonly CatalogServiceLike[]
  | { readonly services: readonly CatalogServiceLike[] }
  | { readonly data: readonly CatalogServiceLike[] };

export function servicesOf(catalog: CatalogInput): readonly CatalogServiceLike[] {
  if (Array.isArray(catalog)) return catalog;
  const shaped = catalog as {
    services?: readonly CatalogServiceLike[];
    data?: readonly CatalogServiceLike[];
  };
  return shaped.services ?? shaped.data ?? [];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `instanceCreate` schema a plan's provisioning parameters must satisfy, if known. */
export function instanceCreateSchema(
  service: CatalogServiceLike,
  plan: CatalogPlanLike,
): Record<string, unknown> | undefined {
  const schema = plan.schemas?.instanceCreate ?? service.schemas?.instanceCreate;
  return isObject(schema) ? schema : undefined;
}

/** The credential keys a binding of the service has, or `undefined` when the catalog does not say. */
export function credentialKeys(service: CatalogServiceLike): string[] | undefined {
  const schema = service.credentialsSchema ?? service.schemas?.credentials;
  if (!isObject(schema) || !isObject(schema.properties)) return undefined;
  return Object.keys(schema.properties);
}
