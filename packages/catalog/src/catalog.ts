/**
 * The catalog in the contract's `Service` / `Plan` shapes, as the platform serves it at
 * `/v1/catalog` and the mock simulates it. Built from the service modules; callers get
 * fresh copies they may change.
 */
import type { Schemas } from '@zhengwu/openapi';
import type { EngineDefinition, ServiceDefinition } from './define';
import { SERVICE_DEFINITIONS } from './definitions';
import type { PlanDefinition } from './shared/plans';

type Service = Schemas['Service'];
type ServiceSummary = Schemas['ServiceSummary'];
type Plan = Schemas['Plan'];
type JsonSchema = Schemas['JsonSchema'];

/** `Service.engine`: one engine, or `embedded / external` when the two differ. */
export function engineOf(engines: ServiceDefinition['engines']): Schemas['ServiceEngine'] {
  const { embedded, external } = engines;
  if (!embedded) return { ...external };
  const both = (pick: (e: EngineDefinition) => string) =>
    pick(embedded) === pick(external) ? pick(external) : `${pick(embedded)} / ${pick(external)}`;
  return embedded.name === external.name
    ? { name: external.name, version: both((e) => e.version) }
    : { name: both((e) => e.name), version: both((e) => e.version) };
}

const json = (schema: object) => structuredClone(schema) as JsonSchema;

function toPlan(service: ServiceDefinition, plan: PlanDefinition): Plan {
  return {
    id: plan.id,
    serviceId: service.id,
    displayName: { ...plan.displayName },
    description: { ...plan.description },
    free: plan.free,
    limits: { ...plan.limits },
    price: { ...plan.price },
    compliance: { ...plan.compliance },
    schemas: {
      instanceCreate: json(service.schemas.instanceCreate),
      instanceUpdate: json(service.schemas.instanceUpdate),
      bindingCreate: json(service.schemas.bindingCreate),
    },
  };
}

function toService(service: ServiceDefinition): Service {
  return {
    id: service.id,
    displayName: { ...service.displayName },
    description: { ...service.description },
    category: service.category,
    tags: [...service.tags],
    // The platform marks a service unavailable when no pool for it is configured.
    available: true,
    unavailableReason: null,
    bindable: service.bindable,
    planUpdateable: service.planUpdateable,
    engine: engineOf(service.engines),
    credentialsSchema: json(service.schemas.credentials),
    documentationUrl: `https://zhengwu.gov.cn/docs/services/${service.id}`,
    plans: service.plans.map((plan) => toPlan(service, plan)),
  };
}

const SERVICES: readonly Service[] = [...SERVICE_DEFINITIONS]
  .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  .map(toService);

/** Every service of the catalog, in ascending `id` order (as `listServices` lists them). A fresh copy. */
export function builtInCatalog(): Service[] {
  return structuredClone(SERVICES) as Service[];
}

/** One service by id, or `undefined`. A fresh copy. */
export function findService(serviceId: string): Service | undefined {
  const found = SERVICES.find((s) => s.id === serviceId);
  return found && structuredClone(found);
}

/** One plan of a service, or `undefined`. A fresh copy. */
export function findPlan(serviceId: string, planId: string): Plan | undefined {
  const found = SERVICES.find((s) => s.id === serviceId)?.plans.find((p) => p.id === planId);
  return found && structuredClone(found);
}

/**
 * A service as `listServices` shows it without `expand=schemas`: the same, less its JSON
 * Schemas (`credentialsSchema`, each plan's `schemas`), three quarters of its bytes.
 */
export function serviceSummary({
  credentialsSchema: _,
  plans,
  ...service
}: Service): ServiceSummary {
  return { ...service, plans: plans.map(({ schemas: _, ...plan }) => plan) };
}
