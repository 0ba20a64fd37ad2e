/**
 * Parameter and credential fixtures for every service, each typed with the catalog's helper
 * types. `accepted` values must type-check; `typeError` values carry `@ts-expect-error`, so
 * `tsc` fails if TypeScript starts accepting them; `schemaOnly` values are wrong in ways a
 * TypeScript type cannot express (patterns, ranges). `schemas.test.ts` runs all of them
 * through Ajv: the JSON Schemas must agree with the types on every one.
 */
import type {
  BindingParamsOf,
  CredentialsOf,
  ProvisionParamsOf,
  ServiceId,
  UpdateParamsOf,
} from '../src/index';

export type Kind = 'instanceCreate' | 'instanceUpdate' | 'bindingCreate' | 'credentials';

type ValueOf<S extends ServiceId, K extends Kind> = {
  instanceCreate: ProvisionParamsOf<S>;
  instanceUpdate: UpdateParamsOf<S>;
  bindingCreate: BindingParamsOf<S>;
  credentials: CredentialsOf<S>;
}[K];

export interface Fixture {
  service: ServiceId;
  kind: Kind;
  value: unknown;
  /** For a rejected value: the JSON Schema keyword that must report it. */
  keyword?: string;
}

export const accepted: Fixture[] = [];
export const rejected: Fixture[] = [];

const ok = <S extends ServiceId, K extends Kind>(service: S, kind: K, value: ValueOf<S, K>) =>
  void accepted.push({ service, kind, value });
/** Rejected by TypeScript (every call carries `@ts-expect-error`) and by the schema. */
const typeError = <S extends ServiceId, K extends Kind>(
  service: S,
  kind: K,
  keyword: string,
  value: ValueOf<S, K>,
) => void rejected.push({ service, kind, keyword, value });
/** Rejected by the schema only: TypeScript has no type for a pattern or a range. */
const schemaOnly = <S extends ServiceId, K extends Kind>(
  service: S,
  kind: K,
  keyword: string,
  value: ValueOf<S, K>,
) => void rejected.push({ service, kind, keyword, value });

const secret = 'fixture-only-Vq8xN2rT6yLp';
const tls = { mode: 'disable', gm: false } as const;
const db = (scheme: string, port: number) => ({
  uri: `${scheme}://zw_b_abc_v1:${secret}@127.0.0.1:${port}/zw_i_abc`,
  host: '127.0.0.1',
  port,
  database: 'zw_i_abc',
  username: 'zw_b_abc_v1',
  password: secret,
  tls,
});

// ---- postgresql ---------------------------------------------------------------------------
ok('postgresql', 'instanceCreate', {});
ok('postgresql', 'instanceCreate', { extensions: ['pg_trgm', 'pgcrypto', 'uuid-ossp'] });
ok('postgresql', 'instanceUpdate', { extensions: ['hstore'] });
ok('postgresql', 'bindingCreate', {});
ok('postgresql', 'bindingCreate', { readOnly: true });
ok('postgresql', 'credentials', db('postgresql', 5432));
ok('postgresql', 'credentials', {
  ...db('postgres', 5432),
  host: 'pg-1.zhengwu.internal',
  tls: { mode: 'verify-full', gm: true },
});
// @ts-expect-error PostGIS is not part of PostgreSQL contrib
typeError('postgresql', 'instanceCreate', 'enum', { extensions: ['postgis'] });
// @ts-expect-error there is no version choice: the pool decides
typeError('postgresql', 'instanceCreate', 'additionalProperties', { version: '16' });
// @ts-expect-error extensions is a list
typeError('postgresql', 'instanceUpdate', 'type', { extensions: 'pg_trgm' });
schemaOnly('postgresql', 'instanceCreate', 'uniqueItems', { extensions: ['pg_trgm', 'pg_trgm'] });
// @ts-expect-error readOnly is a boolean
typeError('postgresql', 'bindingCreate', 'type', { readOnly: 'yes' });
typeError('postgresql', 'credentials', 'enum', {
  ...db('postgresql', 5432),
  // @ts-expect-error tls.mode is one of disable, require, verify-full
  tls: { mode: 'prefer', gm: false },
});
schemaOnly('postgresql', 'credentials', 'pattern', db('mysql', 5432));
schemaOnly('postgresql', 'credentials', 'maximum', db('postgresql', 70000));
typeError('postgresql', 'credentials', 'required', {
  ...db('postgresql', 5432),
  // @ts-expect-error the password is required
  password: undefined,
});

// ---- mysql ----------------------------------------------------------------------------------
ok('mysql', 'instanceCreate', {});
ok('mysql', 'instanceCreate', { characterSet: 'utf8mb4', collation: 'utf8mb4_unicode_ci' });
ok('mysql', 'instanceCreate', { collation: 'utf8mb4_bin' });
ok('mysql', 'instanceCreate', { characterSet: 'gbk', collation: 'gbk_chinese_ci' });
ok('mysql', 'instanceCreate', { characterSet: 'gbk' });
ok('mysql', 'instanceUpdate', {});
ok('mysql', 'bindingCreate', { readOnly: false });
ok('mysql', 'credentials', db('mysql', 3306));
// @ts-expect-error a GBK database takes a GBK collation
typeError('mysql', 'instanceCreate', 'oneOf', { characterSet: 'gbk', collation: 'utf8mb4_bin' });
// @ts-expect-error without a character set it is utf8mb4, so a GBK collation does not fit
typeError('mysql', 'instanceCreate', 'oneOf', { collation: 'gbk_bin' });
// @ts-expect-error latin1 is not offered
typeError('mysql', 'instanceCreate', 'enum', { characterSet: 'latin1' });
// @ts-expect-error nothing can change after provisioning
typeError('mysql', 'instanceUpdate', 'additionalProperties', { characterSet: 'gbk' });
schemaOnly('mysql', 'credentials', 'pattern', db('mariadb', 3306));

// ---- redis ------------------------------------------------------------------------------------
const redisCredentials = {
  uri: `redis://zw_b_abc_v1:${secret}@127.0.0.1:6379`,
  host: '127.0.0.1',
  port: 6379,
  username: 'zw_b_abc_v1',
  password: secret,
  keyPrefix: 'zw_i_abc:',
  tls,
};
ok('redis', 'instanceCreate', {});
ok('redis', 'instanceUpdate', {});
ok('redis', 'bindingCreate', { readOnly: true });
ok('redis', 'credentials', redisCredentials);
ok('redis', 'credentials', {
  ...redisCredentials,
  uri: `rediss://zw_b_abc_v1:${secret}@redis-1.zhengwu.internal:6380`,
  tls: { mode: 'require', gm: false },
});
// @ts-expect-error the eviction policy is the pool's, shared by every tenant
typeError('redis', 'instanceCreate', 'additionalProperties', { evictionPolicy: 'allkeys-lru' });
// @ts-expect-error no parameters to change
typeError('redis', 'instanceUpdate', 'additionalProperties', { maxmemoryPolicy: 'noeviction' });
// @ts-expect-error every binding is limited to the key prefix
typeError('redis', 'credentials', 'required', { ...redisCredentials, keyPrefix: undefined });
schemaOnly('redis', 'credentials', 'pattern', { ...redisCredentials, keyPrefix: 'zw_i_abc' });
schemaOnly('redis', 'credentials', 'pattern', { ...redisCredentials, uri: 'memcached://x' });

// ---- rabbitmq ---------------------------------------------------------------------------------
const amqpCredentials = {
  uri: `amqp://zw_b_abc_v1:${secret}@127.0.0.1:5672/zw_i_abc`,
  host: '127.0.0.1',
  port: 5672,
  vhost: 'zw_i_abc',
  username: 'zw_b_abc_v1',
  password: secret,
  tls,
};
ok('rabbitmq', 'instanceCreate', {});
ok('rabbitmq', 'instanceUpdate', {});
ok('rabbitmq', 'bindingCreate', {});
ok('rabbitmq', 'credentials', amqpCredentials);
ok('rabbitmq', 'credentials', {
  ...amqpCredentials,
  uri: `amqps://zw_b_abc_v1:${secret}@mq-1.zhengwu.internal:5671/zw_i_abc`,
  port: 5671,
  tls: { mode: 'verify-full', gm: false },
});
// @ts-expect-error vhosts are made by the platform, one per instance
typeError('rabbitmq', 'instanceCreate', 'additionalProperties', { vhost: 'mine' });
// @ts-expect-error readOnly is a boolean
typeError('rabbitmq', 'bindingCreate', 'type', { readOnly: 1 });
// @ts-expect-error the vhost is required
typeError('rabbitmq', 'credentials', 'required', { ...amqpCredentials, vhost: undefined });
schemaOnly('rabbitmq', 'credentials', 'minLength', { ...amqpCredentials, vhost: '' });

// ---- mqtt ---------------------------------------------------------------------------------------
const mqttCredentials = {
  uri: `mqtt://zw_b_abc_v1:${secret}@127.0.0.1:1883`,
  host: '127.0.0.1',
  port: 1883,
  username: 'zw_b_abc_v1',
  password: secret,
  topicPrefix: 'zw_i_abc/',
  tls,
};
ok('mqtt', 'instanceCreate', {});
ok('mqtt', 'instanceCreate', { retainAvailable: false });
ok('mqtt', 'instanceUpdate', { retainAvailable: true });
ok('mqtt', 'bindingCreate', { readOnly: true });
ok('mqtt', 'credentials', mqttCredentials);
ok('mqtt', 'credentials', {
  ...mqttCredentials,
  uri: `mqtts://zw_b_abc_v1:${secret}@mqtt-1.zhengwu.internal:8883`,
  port: 8883,
  tls: { mode: 'require', gm: true },
});
// @ts-expect-error retainAvailable is a boolean
typeError('mqtt', 'instanceCreate', 'type', { retainAvailable: 'no' });
// @ts-expect-error QoS is the client's choice per message, not a parameter
typeError('mqtt', 'instanceUpdate', 'additionalProperties', { maxQos: 1 });
// @ts-expect-error the topic prefix is required
typeError('mqtt', 'credentials', 'required', { ...mqttCredentials, topicPrefix: undefined });
schemaOnly('mqtt', 'credentials', 'pattern', { ...mqttCredentials, topicPrefix: 'zw_i_abc/#/' });
schemaOnly('mqtt', 'credentials', 'pattern', { ...mqttCredentials, uri: 'ws://127.0.0.1:8080' });

// ---- object-storage -------------------------------------------------------------------------------
const s3Credentials = {
  endpoint: 'http://127.0.0.1:7480',
  region: 'cn-zhengwu-1',
  bucket: 'zw-i-abc',
  accessKeyId: 'ZWFIXTUREKEY0001',
  secretAccessKey: secret,
  forcePathStyle: true,
  tls,
} as const;
ok('object-storage', 'instanceCreate', {});
ok('object-storage', 'instanceCreate', { versioning: false, publicRead: false });
ok('object-storage', 'instanceUpdate', {});
ok('object-storage', 'bindingCreate', { readOnly: true });
ok('object-storage', 'credentials', s3Credentials);
ok('object-storage', 'credentials', {
  ...s3Credentials,
  endpoint: 'https://s3.zhengwu.internal',
  tls: { mode: 'verify-full', gm: false },
});
// @ts-expect-error no public buckets (等保: access control per user)
typeError('object-storage', 'instanceCreate', 'const', { publicRead: true });
// @ts-expect-error versioning is not offered
typeError('object-storage', 'instanceCreate', 'const', { versioning: true });
// @ts-expect-error nothing can change after provisioning
typeError('object-storage', 'instanceUpdate', 'additionalProperties', { publicRead: false });
// @ts-expect-error path-style addressing is always on
typeError('object-storage', 'credentials', 'const', { ...s3Credentials, forcePathStyle: false });
schemaOnly('object-storage', 'credentials', 'pattern', { ...s3Credentials, endpoint: 'ftp://x' });
schemaOnly('object-storage', 'credentials', 'pattern', { ...s3Credentials, bucket: 'Zw_I_Abc' });
