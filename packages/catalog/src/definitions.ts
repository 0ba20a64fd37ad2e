/** Every service module of the catalog, and the type map derived from them. */
import type { ServiceDefinition } from './define';
import { mqtt } from './services/mqtt';
import { mysql } from './services/mysql';
import { objectStorage } from './services/object-storage';
import { postgresql } from './services/postgresql';
import { rabbitmq } from './services/rabbitmq';
import { redis } from './services/redis';
import type { FromSchema } from './shared/json-schema';

/** Every service definition, in ascending `id` order. Frozen. */
export const SERVICE_DEFINITIONS = [
  mqtt,
  mysql,
  objectStorage,
  postgresql,
  rabbitmq,
  redis,
] as const;

type Definition = (typeof SERVICE_DEFINITIONS)[number];

/** What TypeScript knows about one service, derived from its definition. */
export interface ServiceTypes<D extends ServiceDefinition> {
  /** The definition itself (plans, engines, schemas), as declared. */
  definition: D;
  /** Its plan ids. */
  plan: D['plans'][number]['id'];
  /** `InstanceCreate.parameters` */
  provisionParams: FromSchema<D['schemas']['instanceCreate']>;
  /** `InstanceUpdate.parameters` */
  updateParams: FromSchema<D['schemas']['instanceUpdate']>;
  /** `BindingCreate.parameters` */
  bindingParams: FromSchema<D['schemas']['bindingCreate']>;
  /** `BindingCredentials.credentials` */
  credentials: FromSchema<D['schemas']['credentials']>;
}

/** The catalog's services by id, each with the types of its plans, parameters and credentials. */
export type CatalogServices = { [D in Definition as D['id']]: ServiceTypes<D> };

/** The id of a service in the catalog: `'postgresql' | 'mysql' | …`. */
export type ServiceId = keyof CatalogServices;

/** The plan ids of a service, e.g. `PlanIdOf<'postgresql'>` is `'dev' | 's' | 'm' | 'l'`. */
export type PlanIdOf<S extends ServiceId> = CatalogServices[S]['plan'];

/** What `instances.create` accepts as `parameters` for a service. */
export type ProvisionParamsOf<S extends ServiceId> = CatalogServices[S]['provisionParams'];

/** What `instances.update` accepts as `parameters` for a service. */
export type UpdateParamsOf<S extends ServiceId> = CatalogServices[S]['updateParams'];

/** What `bindings.create` accepts as `parameters` for a service. */
export type BindingParamsOf<S extends ServiceId> = CatalogServices[S]['bindingParams'];

/** The credentials a binding of a service holds (`uri`, `host`, `port`, …). */
export type CredentialsOf<S extends ServiceId> = CatalogServices[S]['credentials'];
