import type { BrokerPools } from './pools';

/**
 * Seals binding credentials for storage: envelope encryption with the tenant's data key
 * (`secrets/`). `context` names the record (`binding:<id>:v<n>`), so a sealed value moved to
 * another row or tenant does not open.
 */
export interface CredentialSealer {
  seal(tenantId: string, value: Record<string, unknown>, context: string): Promise<string>;
  open(tenantId: string, sealed: string, context: string): Promise<Record<string, unknown>>;
}

/** What the instance and binding routes and operations need besides the platform context. */
export interface ServicesContext {
  pools: BrokerPools;
  sealer: CredentialSealer;
}

/** The sealing context of one credentials version. */
export const credentialsContext = (bindingId: string, version: number) =>
  `binding:${bindingId}:v${version}`;
