/**
 * The marketplace's services in the contract's `Service` / `Plan` shapes: bilingual names,
 * categories, plan limits, a showback price in CNY, compliance marks (等保 level, 国密) and
 * JSON Schemas for provision parameters and credentials.
 *
 * A first, minimal catalog shared by the platform and the mock. The catalog issue splits it
 * into one typed module per service, with parameter types the SDK checks at compile time.
 */
import type { Schemas } from '@zhengwu/openapi';

type Service = Schemas['Service'];
type Plan = Schemas['Plan'];
type JsonSchema = Schemas['JsonSchema'];

const object = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  properties,
  ...(required.length > 0 && { required }),
});

const READ_ONLY_BINDING = object({
  readOnly: { type: 'boolean', default: false, description: '只读账号 · A read-only account' },
});

interface PlanSpec {
  id: string;
  zh: string;
  en: string;
  free?: boolean;
  limits: Schemas['PlanLimits'];
  /** CNY per hour. */
  hourly: number;
  /** 等保 level, backup days, 国密. */
  dengbao: 2 | 3;
  backupDays: number;
  gm?: boolean;
}

function plans(serviceId: string, schemas: Schemas['PlanSchemas'], specs: PlanSpec[]): Plan[] {
  return specs.map((p) => ({
    id: p.id,
    serviceId,
    displayName: { zh: p.zh, en: p.en },
    description: {
      zh: `${p.zh}${p.free ? '（免费，共享资源，无 SLA）' : ''}`,
      en: `${p.en}${p.free ? ' (free, shared resources, no SLA)' : ''}`,
    },
    free: p.free ?? false,
    limits: p.limits,
    price: { unit: 'hour', amount: p.hourly, currency: 'CNY' },
    compliance: {
      dengbaoLevel: p.dengbao,
      encryptedAtRest: true,
      backupRetentionDays: p.backupDays,
      dataResidency: 'CN',
      gmCrypto: p.gm ?? false,
      auditRetentionDays: 180,
    },
    schemas,
  }));
}

const CREDENTIALS_TLS: JsonSchema = {
  type: 'object',
  required: ['mode', 'gm'],
  properties: { mode: { type: 'string', enum: ['require'] }, gm: { type: 'boolean' } },
};

/** The JSON Schema of a database's credentials (PostgreSQL, MySQL). */
const databaseCredentials = (scheme: string): JsonSchema => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['uri', 'host', 'port', 'database', 'username', 'password', 'tls'],
  properties: {
    uri: { type: 'string', pattern: `^${scheme}://` },
    host: { type: 'string' },
    port: { type: 'integer' },
    database: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    tls: CREDENTIALS_TLS,
  },
});

function service(
  fields: Omit<Service, 'available' | 'unavailableReason' | 'plans' | 'documentationUrl'>,
  planList: (id: string) => Plan[],
): Service {
  return {
    ...fields,
    available: true,
    unavailableReason: null,
    documentationUrl: `https://zhengwu.gov.cn/docs/services/${fields.id}`,
    plans: planList(fields.id),
  };
}

const SERVICES: Service[] = [
  service(
    {
      id: 'mqtt',
      displayName: { zh: 'MQTT 消息服务', en: 'MQTT messaging' },
      description: {
        zh: '物联网设备接入的 MQTT 3.1.1/5.0 消息代理，按主题前缀隔离。',
        en: 'An MQTT 3.1.1/5.0 broker for IoT devices, isolated by topic prefix.',
      },
      category: 'middleware',
      tags: ['mqtt', 'iot', '物联网'],
      bindable: true,
      planUpdateable: true,
      engine: { name: 'EMQX', version: '5' },
      credentialsSchema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        required: ['uri', 'host', 'port', 'username', 'password', 'topicPrefix', 'tls'],
        properties: {
          uri: { type: 'string', pattern: '^mqtts://' },
          host: { type: 'string' },
          port: { type: 'integer' },
          username: { type: 'string' },
          password: { type: 'string' },
          topicPrefix: { type: 'string' },
          tls: CREDENTIALS_TLS,
        },
      },
    },
    (id) =>
      plans(
        id,
        {
          instanceCreate: object({ retainAvailable: { type: 'boolean', default: true } }),
          instanceUpdate: object({ retainAvailable: { type: 'boolean' } }),
          bindingCreate: object({
            topicPrefix: { type: 'string', pattern: '^[a-z0-9/_-]{1,64}$' },
          }),
        },
        [
          {
            id: 'dev',
            zh: '开发',
            en: 'Development',
            free: true,
            limits: { connections: 100, messagesPerSecond: 100 },
            hourly: 0,
            dengbao: 2,
            backupDays: 0,
          },
          {
            id: 's',
            zh: '标准',
            en: 'Standard',
            limits: { connections: 10000, messagesPerSecond: 5000, replicas: 2 },
            hourly: 0.6,
            dengbao: 3,
            backupDays: 7,
            gm: true,
          },
        ],
      ),
  ),
  service(
    {
      id: 'mysql',
      displayName: { zh: 'MySQL 兼容数据库', en: 'MySQL-compatible database' },
      description: {
        zh: '兼容 MySQL 8.0 协议的关系型数据库，适合迁移既有业务系统。',
        en: 'A relational database speaking the MySQL 8.0 protocol, for migrating existing systems.',
      },
      category: 'database',
      tags: ['sql', 'relational', 'mysql', '信创'],
      bindable: true,
      planUpdateable: true,
      engine: { name: 'MariaDB', version: '11' },
      credentialsSchema: databaseCredentials('mysql'),
    },
    (id) =>
      plans(
        id,
        {
          instanceCreate: object({
            version: { type: 'string', enum: ['8.0'], default: '8.0' },
            characterSet: { type: 'string', enum: ['utf8mb4', 'gbk'], default: 'utf8mb4' },
          }),
          instanceUpdate: object({}),
          bindingCreate: READ_ONLY_BINDING,
        },
        [
          {
            id: 'dev',
            zh: '开发',
            en: 'Development',
            free: true,
            limits: { connections: 20, storageMb: 1024, memoryMb: 512, replicas: 1 },
            hourly: 0,
            dengbao: 2,
            backupDays: 0,
          },
          {
            id: 's',
            zh: '小型',
            en: 'Small',
            limits: { connections: 100, storageMb: 10240, memoryMb: 1024, replicas: 1 },
            hourly: 0.3,
            dengbao: 2,
            backupDays: 7,
          },
          {
            id: 'm-ha',
            zh: '中型高可用',
            en: 'Medium, highly available',
            limits: { connections: 400, storageMb: 102400, memoryMb: 4096, replicas: 2 },
            hourly: 1.1,
            dengbao: 3,
            backupDays: 14,
            gm: true,
          },
        ],
      ),
  ),
  service(
    {
      id: 'object-storage',
      displayName: { zh: '对象存储', en: 'Object storage' },
      description: {
        zh: 'S3 兼容的对象存储桶，用于附件、影像和归档文件。',
        en: 'S3-compatible buckets for attachments, scans and archives.',
      },
      category: 'storage',
      tags: ['s3', 'files', '归档'],
      bindable: true,
      planUpdateable: true,
      engine: { name: 'MinIO', version: '2024' },
      credentialsSchema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        required: ['endpoint', 'region', 'bucket', 'accessKeyId', 'secretAccessKey'],
        properties: {
          endpoint: { type: 'string', pattern: '^https://' },
          region: { type: 'string' },
          bucket: { type: 'string' },
          accessKeyId: { type: 'string' },
          secretAccessKey: { type: 'string' },
        },
      },
    },
    (id) =>
      plans(
        id,
        {
          instanceCreate: object({ versioning: { type: 'boolean', default: false } }),
          instanceUpdate: object({ versioning: { type: 'boolean' } }),
          bindingCreate: READ_ONLY_BINDING,
        },
        [
          {
            id: 'dev',
            zh: '开发',
            en: 'Development',
            free: true,
            limits: { storageMb: 1024, bandwidthMbps: 10 },
            hourly: 0,
            dengbao: 2,
            backupDays: 0,
          },
          {
            id: 'standard',
            zh: '标准存储',
            en: 'Standard storage',
            limits: { storageMb: 512000, bandwidthMbps: 100 },
            hourly: 0.25,
            dengbao: 3,
            backupDays: 30,
            gm: true,
          },
        ],
      ),
  ),
  service(
    {
      id: 'postgresql',
      displayName: { zh: 'PostgreSQL 数据库', en: 'PostgreSQL database' },
      description: {
        zh: '托管的 PostgreSQL 关系型数据库，支持常用扩展、自动备份和高可用。',
        en: 'Managed PostgreSQL with common extensions, automatic backups and high availability.',
      },
      category: 'database',
      tags: ['sql', 'relational', 'postgresql', '信创'],
      bindable: true,
      planUpdateable: true,
      engine: { name: 'PostgreSQL', version: '16' },
      credentialsSchema: databaseCredentials('postgresql'),
    },
    (id) =>
      plans(
        id,
        {
          instanceCreate: object({
            version: { type: 'string', enum: ['15', '16'], default: '16' },
            extensions: {
              type: 'array',
              uniqueItems: true,
              items: { type: 'string', enum: ['pg_trgm', 'postgis', 'pgcrypto'] },
            },
          }),
          instanceUpdate: object({
            extensions: {
              type: 'array',
              uniqueItems: true,
              items: { type: 'string', enum: ['pg_trgm', 'postgis', 'pgcrypto'] },
            },
          }),
          bindingCreate: READ_ONLY_BINDING,
        },
        [
          {
            id: 'dev',
            zh: '开发',
            en: 'Development',
            free: true,
            limits: { connections: 20, storageMb: 1024, memoryMb: 512, replicas: 1 },
            hourly: 0,
            dengbao: 2,
            backupDays: 0,
          },
          {
            id: 's',
            zh: '小型',
            en: 'Small',
            limits: { connections: 100, storageMb: 10240, memoryMb: 1024, replicas: 1 },
            hourly: 0.35,
            dengbao: 2,
            backupDays: 7,
          },
          {
            id: 'm-ha',
            zh: '中型高可用',
            en: 'Medium, highly available',
            limits: { connections: 400, storageMb: 102400, memoryMb: 4096, replicas: 2 },
            hourly: 1.25,
            dengbao: 3,
            backupDays: 14,
            gm: true,
          },
        ],
      ),
  ),
  service(
    {
      id: 'rabbitmq',
      displayName: { zh: 'RabbitMQ 消息队列', en: 'RabbitMQ message queue' },
      description: {
        zh: 'AMQP 0-9-1 消息队列，每个实例一个独立的虚拟主机。',
        en: 'An AMQP 0-9-1 message queue; each instance is its own virtual host.',
      },
      category: 'middleware',
      tags: ['amqp', 'queue', '消息'],
      bindable: true,
      planUpdateable: false,
      engine: { name: 'RabbitMQ', version: '3.13' },
      credentialsSchema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        required: ['uri', 'host', 'port', 'vhost', 'username', 'password', 'tls'],
        properties: {
          uri: { type: 'string', pattern: '^amqps://' },
          host: { type: 'string' },
          port: { type: 'integer' },
          vhost: { type: 'string' },
          username: { type: 'string' },
          password: { type: 'string' },
          tls: CREDENTIALS_TLS,
        },
      },
    },
    (id) =>
      plans(
        id,
        {
          instanceCreate: object({}),
          instanceUpdate: object({}),
          bindingCreate: object({}),
        },
        [
          {
            id: 'dev',
            zh: '开发',
            en: 'Development',
            free: true,
            limits: { messagesPerSecond: 100, storageMb: 512, memoryMb: 256 },
            hourly: 0,
            dengbao: 2,
            backupDays: 0,
          },
          {
            id: 's',
            zh: '标准',
            en: 'Standard',
            limits: { messagesPerSecond: 5000, storageMb: 10240, memoryMb: 1024, replicas: 3 },
            hourly: 0.5,
            dengbao: 3,
            backupDays: 7,
          },
        ],
      ),
  ),
  service(
    {
      id: 'redis',
      displayName: { zh: 'Redis 缓存', en: 'Redis cache' },
      description: {
        zh: '内存键值缓存，用于会话、限流和热点数据。',
        en: 'An in-memory key-value cache for sessions, rate limits and hot data.',
      },
      category: 'middleware',
      tags: ['cache', 'key-value', '缓存'],
      bindable: true,
      planUpdateable: true,
      engine: { name: 'Redis', version: '7.2' },
      credentialsSchema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        required: ['uri', 'host', 'port', 'username', 'password', 'tls'],
        properties: {
          uri: { type: 'string', pattern: '^rediss://' },
          host: { type: 'string' },
          port: { type: 'integer' },
          username: { type: 'string' },
          password: { type: 'string' },
          tls: CREDENTIALS_TLS,
        },
      },
    },
    (id) =>
      plans(
        id,
        {
          instanceCreate: object({
            maxmemoryPolicy: {
              type: 'string',
              enum: ['allkeys-lru', 'volatile-lru', 'noeviction'],
              default: 'allkeys-lru',
            },
          }),
          instanceUpdate: object({
            maxmemoryPolicy: {
              type: 'string',
              enum: ['allkeys-lru', 'volatile-lru', 'noeviction'],
            },
          }),
          bindingCreate: object({}),
        },
        [
          {
            id: 'dev',
            zh: '开发',
            en: 'Development',
            free: true,
            limits: { connections: 50, memoryMb: 256 },
            hourly: 0,
            dengbao: 2,
            backupDays: 0,
          },
          {
            id: 's',
            zh: '小型',
            en: 'Small',
            limits: { connections: 1000, memoryMb: 1024, replicas: 1 },
            hourly: 0.2,
            dengbao: 2,
            backupDays: 1,
          },
          {
            id: 'm-ha',
            zh: '中型高可用',
            en: 'Medium, highly available',
            limits: { connections: 10000, memoryMb: 4096, replicas: 2 },
            hourly: 0.8,
            dengbao: 3,
            backupDays: 7,
            gm: true,
          },
        ],
      ),
  ),
];

/** Every service of the catalog, in ascending `id` order (as `listServices` lists them). A fresh copy. */
export function builtInCatalog(): Service[] {
  return structuredClone(SERVICES);
}

/** One service by id, or `undefined`. A fresh copy. */
export function findService(serviceId: string): Service | undefined {
  const found = SERVICES.find((s) => s.id === serviceId);
  return found && structuredClone(found);
}

/** One plan of a service, or `undefined`. A fresh copy. */
export function findPlan(serviceId: string, planId: string): Plan | undefined {
  const found = SERVICES.find((s) => s.id === serviceId)?.plans.find((p) => p.id === planId);
  return found && structuredClone(found);
}
