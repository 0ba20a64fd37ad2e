/**
 * Redis 7 cache on a shared pool: each instance is a key and channel prefix, each binding
 * an ACL user limited to it and denied commands that reveal other tenants (SCAN, KEYS,
 * RANDOMKEY, DBSIZE, SELECT …). No embedded engine: it needs a configured Redis pool.
 */
import { defineService } from '../define';
import { HOST, PASSWORD, PORT, TLS, USERNAME, uri } from '../shared/credentials';
import { DRAFT_2020_12, type JsonSchemaNode } from '../shared/json-schema';
import { readOnlyBinding } from '../shared/parameters';
import { plan } from '../shared/plans';

const EXAMPLE_PASSWORD = 'example-only-Jd7sK2xPq9Wm';

/**
 * No provision parameters: `maxmemory-policy` and every other server setting is shared by
 * all tenants of the pool, so no instance can choose its own.
 */
const NO_SERVER_SETTINGS = {
  $schema: DRAFT_2020_12,
  type: 'object',
  additionalProperties: false,
  properties: {},
  description:
    '无参数：淘汰策略等设置由引擎池的所有租户共用，实例不能单独设置 · No parameters: the eviction policy and other settings are shared by every tenant of the pool, so an instance cannot set its own',
} as const satisfies JsonSchemaNode;

export const redis = defineService({
  id: 'redis',
  displayName: { zh: 'Redis 缓存', en: 'Redis cache' },
  description: {
    zh: '内存键值缓存，用于会话、限流和热点数据；每个实例一个独立的键和频道前缀。',
    en: 'An in-memory key-value cache for sessions, rate limits and hot data; each instance is a key and channel prefix of its own.',
  },
  category: 'middleware',
  tags: ['cache', 'key-value', 'redis', '缓存'],
  bindable: true,
  planUpdateable: true,
  // Embedded: the platform runs the machine's own redis-server as a server of its own.
  engines: { embedded: { name: 'Redis', version: '7' }, external: { name: 'Redis', version: '7' } },
  plans: [
    plan('dev', { connections: 50, memoryMb: 256 }, 0),
    plan('s', { connections: 500, memoryMb: 1024 }, 0.2),
    plan('m', { connections: 2000, memoryMb: 4096 }, 0.7),
    plan('l', { connections: 10000, memoryMb: 16384 }, 2.2),
  ],
  schemas: {
    instanceCreate: NO_SERVER_SETTINGS,
    instanceUpdate: NO_SERVER_SETTINGS,
    bindingCreate: readOnlyBinding(
      '只读用户：只能执行读命令（@read），不能写入或发布 · A read-only user: read commands (@read) only, no writes or publishing',
    ),
    credentials: {
      $schema: DRAFT_2020_12,
      type: 'object',
      additionalProperties: false,
      required: ['uri', 'host', 'port', 'username', 'password', 'keyPrefix', 'tls'],
      properties: {
        uri: uri('^rediss?://', 'redis:// 或 rediss://'),
        host: HOST,
        port: PORT,
        username: USERNAME,
        password: PASSWORD,
        keyPrefix: {
          type: 'string',
          pattern: '^[A-Za-z0-9_.-]+:$',
          description:
            '键和频道前缀：只能访问以它开头的键和频道；SCAN、KEYS 等会暴露其他租户的命令被禁用 · Key and channel prefix: only keys and channels starting with it are reachable; SCAN, KEYS and other commands that reveal other tenants are denied',
        },
        tls: TLS,
      },
      examples: [
        {
          uri: `redis://zw_b_01hq3x9k2m4n5p6q7r8s_v1:${EXAMPLE_PASSWORD}@127.0.0.1:6379`,
          host: '127.0.0.1',
          port: 6379,
          username: 'zw_b_01hq3x9k2m4n5p6q7r8s_v1',
          password: EXAMPLE_PASSWORD,
          keyPrefix: 'zw_i_01hq3x9k2m4n5p6q7r8s:',
          tls: { mode: 'disable', gm: false },
        },
      ],
    },
  },
});
