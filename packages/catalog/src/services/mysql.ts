/**
 * MySQL-compatible database on MariaDB 10.11: a database and a user with grants on it only
 * per instance, `max_user_connections` from the plan. No embedded engine: it needs a
 * configured MariaDB pool.
 */
import { defineService } from '../define';
import { HOST, PASSWORD, PORT, TLS, USERNAME, uri } from '../shared/credentials';
import { DRAFT_2020_12 } from '../shared/json-schema';
import { NO_PARAMETERS, readOnlyBinding } from '../shared/parameters';
import { plan } from '../shared/plans';

/** utf8mb4 collations MariaDB 10.11 ships that suit Chinese text; `general_ci` is its default. */
export const MYSQL_UTF8MB4_COLLATIONS = [
  'utf8mb4_general_ci',
  'utf8mb4_unicode_ci',
  'utf8mb4_unicode_520_ci',
  'utf8mb4_bin',
] as const;

/** GBK, for systems migrated with their legacy data as is; `chinese_ci` sorts by pinyin order. */
export const MYSQL_GBK_COLLATIONS = ['gbk_chinese_ci', 'gbk_bin'] as const;

const EXAMPLE_PASSWORD = 'example-only-Hm3pQ8wZ5kTr';

export const mysql = defineService({
  id: 'mysql',
  displayName: { zh: 'MySQL 兼容数据库', en: 'MySQL-compatible database' },
  description: {
    zh: '基于 MariaDB 10.11、兼容 MySQL 协议的关系型数据库，适合迁移既有业务系统；可选 GBK 字符集以原样迁移旧数据。',
    en: 'A relational database on MariaDB 10.11 speaking the MySQL protocol, for migrating existing systems; GBK is available to move legacy data as is.',
  },
  category: 'database',
  tags: ['sql', 'relational', 'mysql', 'mariadb', '关系型数据库'],
  bindable: true,
  planUpdateable: true,
  engines: { external: { name: 'MariaDB', version: '10.11' } },
  plans: [
    plan('dev', { connections: 20, memoryMb: 512, storageMb: 1024 }, 0),
    plan('s', { connections: 100, memoryMb: 1024, storageMb: 10240 }, 0.3),
    plan('m', { connections: 200, memoryMb: 4096, storageMb: 51200 }, 1.1),
    plan('l', { connections: 400, memoryMb: 8192, storageMb: 204800 }, 2.4),
  ],
  schemas: {
    instanceCreate: {
      $schema: DRAFT_2020_12,
      type: 'object',
      additionalProperties: false,
      properties: {
        characterSet: {
          type: 'string',
          enum: ['utf8mb4', 'gbk'],
          default: 'utf8mb4',
          description: '数据库字符集 · Character set of the database',
        },
        collation: {
          type: 'string',
          enum: [...MYSQL_UTF8MB4_COLLATIONS, ...MYSQL_GBK_COLLATIONS],
          description:
            '排序规则，须属于所选字符集；省略时为该字符集的默认规则 · Collation, of the chosen character set; the character set’s default when left out',
        },
      },
      // The collation must belong to the character set (utf8mb4 when left out).
      oneOf: [
        {
          properties: {
            characterSet: { const: 'utf8mb4' },
            collation: { enum: MYSQL_UTF8MB4_COLLATIONS },
          },
        },
        {
          required: ['characterSet'],
          properties: {
            characterSet: { const: 'gbk' },
            collation: { enum: MYSQL_GBK_COLLATIONS },
          },
        },
      ],
      examples: [
        {},
        { characterSet: 'utf8mb4', collation: 'utf8mb4_unicode_ci' },
        { characterSet: 'gbk', collation: 'gbk_chinese_ci' },
      ],
    },
    instanceUpdate: NO_PARAMETERS,
    bindingCreate: readOnlyBinding(
      '只读用户：只有 SELECT 权限 · A read-only user: the SELECT privilege only',
    ),
    credentials: {
      $schema: DRAFT_2020_12,
      type: 'object',
      additionalProperties: false,
      required: ['uri', 'host', 'port', 'database', 'username', 'password', 'tls'],
      properties: {
        uri: uri('^mysql://', 'mysql://'),
        host: HOST,
        port: PORT,
        database: { type: 'string', minLength: 1, description: '数据库名 · Database name' },
        username: USERNAME,
        password: PASSWORD,
        tls: TLS,
      },
      examples: [
        {
          uri: `mysql://zw_b_01hq3x9k2m4n5p6q7r8s_v1:${EXAMPLE_PASSWORD}@127.0.0.1:3306/zw_i_01hq3x9k2m4n5p6q7r8s`,
          host: '127.0.0.1',
          port: 3306,
          database: 'zw_i_01hq3x9k2m4n5p6q7r8s',
          username: 'zw_b_01hq3x9k2m4n5p6q7r8s_v1',
          password: EXAMPLE_PASSWORD,
          tls: { mode: 'disable', gm: false },
        },
      ],
    },
  },
});
