import type { ValidateFunction } from 'ajv';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type BindingParamsOf,
  type CatalogServices,
  type CredentialsOf,
  type PlanIdOf,
  type POSTGRESQL_EXTENSIONS,
  type ProvisionParamsOf,
  SERVICE_DEFINITIONS,
  type ServiceId,
  type UpdateParamsOf,
} from '../src/index';
import { strictAjv } from './ajv';
import { accepted, type Fixture, type Kind, rejected } from './fixtures';

const ajv = strictAjv();
const validators = new Map<string, ValidateFunction>();
const validator = ({ service, kind }: Pick<Fixture, 'service' | 'kind'>) => {
  const key = `${service} ${kind}`;
  let validate = validators.get(key);
  if (!validate) {
    const definition = SERVICE_DEFINITIONS.find((d) => d.id === service)!;
    validate = ajv.compile(definition.schemas[kind]);
    validators.set(key, validate);
  }
  return validate;
};
const label = (f: Fixture) => `${f.service} ${f.kind} ${JSON.stringify(f.value)}`;
const KINDS: Kind[] = ['instanceCreate', 'instanceUpdate', 'bindingCreate', 'credentials'];

describe('typed fixtures agree with the JSON Schemas', () => {
  it.each(accepted.map((f) => [label(f), f] as const))('accepts %s', (_, fixture) => {
    const validate = validator(fixture);
    expect(validate(structuredClone(fixture.value)), ajv.errorsText(validate.errors)).toBe(true);
  });

  it.each(rejected.map((f) => [label(f), f] as const))('rejects %s', (_, fixture) => {
    const validate = validator(fixture);
    expect(validate(structuredClone(fixture.value))).toBe(false);
    expect(validate.errors?.map((e) => e.keyword)).toContain(fixture.keyword);
  });

  it('covers every service and every schema with accepted and rejected values', () => {
    for (const { id } of SERVICE_DEFINITIONS) {
      for (const kind of KINDS) {
        const has = (list: Fixture[]) => list.some((f) => f.service === id && f.kind === kind);
        expect(has(accepted), `${id} ${kind} accepted`).toBe(true);
        // An empty parameter schema rejects everything; one rejected value per service shows it.
        if (kind !== 'instanceUpdate' && kind !== 'bindingCreate') {
          expect(has(rejected), `${id} ${kind} rejected`).toBe(true);
        }
      }
    }
  });

  it.each(SERVICE_DEFINITIONS.map((d) => [d.id, d] as const))(
    '%s: the examples in its schemas are valid',
    (id, definition) => {
      let count = 0;
      for (const kind of KINDS) {
        const schema = definition.schemas[kind] as { examples?: readonly unknown[] };
        for (const example of schema.examples ?? []) {
          const validate = validator({ service: id, kind });
          expect(
            validate(structuredClone(example)),
            `${kind}: ${ajv.errorsText(validate.errors)}`,
          ).toBe(true);
          count++;
        }
      }
      expect(count).toBeGreaterThanOrEqual(2);
    },
  );

  it('applies the schemas’ defaults where the platform fills them in', () => {
    const withDefaults = strictAjv();
    (withDefaults.opts as { useDefaults: boolean }).useDefaults = true;
    const filled = (id: ServiceId) => {
      const value = {};
      withDefaults.compile(SERVICE_DEFINITIONS.find((d) => d.id === id)!.schemas.instanceCreate)(
        value,
      );
      return value;
    };
    expect(filled('mysql')).toEqual({ characterSet: 'utf8mb4' });
    expect(filled('mqtt')).toEqual({ retainAvailable: true });
    expect(filled('object-storage')).toEqual({ versioning: false, publicRead: false });
    expect(filled('postgresql')).toEqual({});
  });
});

describe('the type helpers', () => {
  it('derive ids, plans, parameters and credentials from the modules', () => {
    expectTypeOf<ServiceId>().toEqualTypeOf<
      'mqtt' | 'mysql' | 'object-storage' | 'postgresql' | 'rabbitmq' | 'redis'
    >();
    expectTypeOf<keyof CatalogServices>().toEqualTypeOf<ServiceId>();
    expectTypeOf<PlanIdOf<'postgresql'>>().toEqualTypeOf<'dev' | 's' | 'm' | 'l'>();
    expectTypeOf<PlanIdOf<'object-storage'>>().toEqualTypeOf<'dev' | 's' | 'm' | 'l'>();
    expectTypeOf<ProvisionParamsOf<'postgresql'>>().toEqualTypeOf<{
      extensions?: readonly (typeof POSTGRESQL_EXTENSIONS)[number][];
    }>();
    expectTypeOf<UpdateParamsOf<'postgresql'>>().toEqualTypeOf<ProvisionParamsOf<'postgresql'>>();
    expectTypeOf<ProvisionParamsOf<'mqtt'>>().toEqualTypeOf<{ retainAvailable?: boolean }>();
    expectTypeOf<ProvisionParamsOf<'object-storage'>>().toEqualTypeOf<{
      versioning?: false;
      publicRead?: false;
    }>();
    expectTypeOf<ProvisionParamsOf<'rabbitmq'>>().toEqualTypeOf<Record<string, never>>();
    expectTypeOf<ProvisionParamsOf<'redis'>>().toEqualTypeOf<Record<string, never>>();
    expectTypeOf<BindingParamsOf<'postgresql'>>().toEqualTypeOf<{ readOnly?: boolean }>();
    expectTypeOf<ProvisionParamsOf<'mysql'>>().toEqualTypeOf<
      | {
          characterSet?: 'utf8mb4';
          collation?:
            | 'utf8mb4_general_ci'
            | 'utf8mb4_unicode_ci'
            | 'utf8mb4_unicode_520_ci'
            | 'utf8mb4_bin';
        }
      | { characterSet: 'gbk'; collation?: 'gbk_chinese_ci' | 'gbk_bin' }
    >();

    type Tls = { mode: 'disable' | 'require' | 'verify-full'; gm: boolean };
    type Connection = { host: string; port: number; username: string; password: string; tls: Tls };
    type With<T> = { [K in keyof (Connection & T)]: (Connection & T)[K] };
    expectTypeOf<CredentialsOf<'postgresql'>>().toEqualTypeOf<
      With<{ uri: string; database: string }>
    >();
    expectTypeOf<CredentialsOf<'mysql'>>().toEqualTypeOf<CredentialsOf<'postgresql'>>();
    expectTypeOf<CredentialsOf<'redis'>>().toEqualTypeOf<
      With<{ uri: string; keyPrefix: string }>
    >();
    expectTypeOf<CredentialsOf<'rabbitmq'>>().toEqualTypeOf<With<{ uri: string; vhost: string }>>();
    expectTypeOf<CredentialsOf<'mqtt'>>().toEqualTypeOf<
      With<{ uri: string; topicPrefix: string }>
    >();
    expectTypeOf<CredentialsOf<'object-storage'>>().toEqualTypeOf<{
      endpoint: string;
      region: string;
      bucket: string;
      accessKeyId: string;
      secretAccessKey: string;
      forcePathStyle: true;
      tls: Tls;
    }>();
  });

  it('match the plans the catalog serves', () => {
    const plans: { [S in ServiceId]: PlanIdOf<S>[] } = {
      mqtt: ['dev', 's', 'm', 'l'],
      mysql: ['dev', 's', 'm', 'l'],
      'object-storage': ['dev', 's', 'm', 'l'],
      postgresql: ['dev', 's', 'm', 'l'],
      rabbitmq: ['dev', 's', 'm', 'l'],
      redis: ['dev', 's', 'm', 'l'],
    };
    for (const d of SERVICE_DEFINITIONS) expect(d.plans.map((p) => p.id)).toEqual(plans[d.id]);
  });
});
