export { builtInCatalog, findPlan, findService, serviceSummary } from './catalog';
export type { EngineDefinition, ServiceDefinition } from './define';
export {
  type BindingParamsOf,
  type CatalogServices,
  type CredentialsOf,
  type PlanIdOf,
  type ProvisionParamsOf,
  SERVICE_DEFINITIONS,
  type ServiceId,
  type ServiceTypes,
  type UpdateParamsOf,
} from './definitions';
export { MYSQL_GBK_COLLATIONS, MYSQL_UTF8MB4_COLLATIONS } from './services/mysql';
export { POSTGRESQL_EXTENSIONS } from './services/postgresql';
export type { FromSchema, JsonSchemaNode } from './shared/json-schema';
export type { PlanDefinition, TierId } from './shared/plans';
