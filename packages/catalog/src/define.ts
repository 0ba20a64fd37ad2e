/**
 * The shape of one service module: everything the contract's `Service` says, plus what the
 * catalog keeps typed — the engines behind it and the schemas `FromSchema` turns into the
 * SDK's parameter and credential types. A module declares its definition through
 * `defineService`, which keeps every literal (plan ids, enum values) for TypeScript.
 */
import type { Schemas } from '@zhengwu/openapi';
import type { JsonSchemaNode } from './shared/json-schema';
import type { PlanDefinition } from './shared/plans';

type LocalizedText = Readonly<Schemas['LocalizedText']>;

/** An engine and its major version, as it runs on this platform's pools. */
export interface EngineDefinition {
  readonly name: string;
  readonly version: string;
}

export interface ServiceDefinition {
  readonly id: string;
  readonly displayName: LocalizedText;
  readonly description: LocalizedText;
  readonly category: 'database' | 'middleware' | 'storage';
  readonly tags: readonly string[];
  readonly bindable: boolean;
  readonly planUpdateable: boolean;
  /**
   * `embedded`: what the platform runs itself, with no server to set up (in-process, shipped
   * binaries, or — Redis — the machine's own server binary in a data dir of the platform's);
   * `external`: the server pools configured for scale.
   */
  readonly engines: { readonly embedded?: EngineDefinition; readonly external: EngineDefinition };
  /** Size tiers, smallest first. */
  readonly plans: readonly PlanDefinition[];
  /** Draft 2020-12 schemas, the same for every plan of the service. */
  readonly schemas: {
    /** `InstanceCreate.parameters` */
    readonly instanceCreate: JsonSchemaNode;
    /** `InstanceUpdate.parameters` */
    readonly instanceUpdate: JsonSchemaNode;
    /** `BindingCreate.parameters` */
    readonly bindingCreate: JsonSchemaNode;
    /** `BindingCredentials.credentials`, as the broker returns them. */
    readonly credentials: JsonSchemaNode;
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Declares a service module's definition: literal types kept, the data frozen. */
export function defineService<const D extends ServiceDefinition>(definition: D): D {
  return deepFreeze(definition);
}
