/**
 * Request and response types narrowed per catalog service, from `@zhengwu/catalog`'s types
 * only (type imports vanish from the bundle). A known service id as a literal gets its plan
 * ids and parameter types checked; a wide `string` (read from a flag, a file …) or a service
 * this SDK version does not know falls back to the contract's untyped shape, which the
 * platform validates at run time.
 */
import type {
  BindingParamsOf,
  CredentialsOf,
  PlanIdOf,
  ProvisionParamsOf,
  ServiceId,
  UpdateParamsOf,
} from '@zhengwu/catalog';
import type { Schemas } from '@zhengwu/openapi';
import type { BodyOf } from './resource';

export type {
  BindingParamsOf,
  CredentialsOf,
  PlanIdOf,
  ProvisionParamsOf,
  ServiceId,
  UpdateParamsOf,
} from '@zhengwu/catalog';

type Known<S> = S extends ServiceId ? S : never;

/**
 * `plan` for service `S`: a literal must be one of its plans; a wide `string` passes (and is
 * checked by the platform). `P` is inferred from the argument, so a wrong literal reports
 * the allowed plans.
 */
type PlanOf<S extends ServiceId, P> = string extends P
  ? string
  : P extends PlanIdOf<S>
    ? P
    : PlanIdOf<S>;

/** `instances.create` body for service `S` with plan `P` (both inferred from the call). */
export type InstanceCreateParams<S extends string = string, P extends string = string> = [
  Known<S>,
] extends [never]
  ? BodyOf<'createInstance'>
  : Omit<BodyOf<'createInstance'>, 'service' | 'plan' | 'parameters'> & {
      service: S;
      plan: PlanOf<Known<S>, P>;
      parameters?: ProvisionParamsOf<Known<S>>;
    };

/** `instances.update` body for an instance of service `S` (given as a type argument). */
export type InstanceUpdateParams<S extends string = string> = [Known<S>] extends [never]
  ? BodyOf<'updateInstance'>
  : Omit<BodyOf<'updateInstance'>, 'plan' | 'parameters'> & {
      plan?: PlanIdOf<Known<S>>;
      parameters?: UpdateParamsOf<Known<S>>;
    };

/** `bindings.create` body for an instance of service `S` (given as a type argument). */
export type BindingCreateParams<S extends string = string> = [Known<S>] extends [never]
  ? BodyOf<'createBinding'>
  : Omit<BodyOf<'createBinding'>, 'parameters'> & { parameters?: BindingParamsOf<Known<S>> };

/** A binding's credentials, typed per service when `S` names one. */
export type BindingCredentialsOf<S extends string = string> = [Known<S>] extends [never]
  ? Schemas['BindingCredentials']
  : Omit<Schemas['BindingCredentials'], 'credentials'> & { credentials: CredentialsOf<Known<S>> };
