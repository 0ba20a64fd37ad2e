export { PostgresBroker, type PostgresBrokerOptions, type TlsMode } from './broker';
export { createEmbeddedPostgresBroker, startEmbeddedPostgresPool } from './embedded';
export { rawProvisionAndBind } from './raw-baseline';
