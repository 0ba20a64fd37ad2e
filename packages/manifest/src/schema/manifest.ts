/**
 * The JSON Schema of `zhengwu.yaml` (apiVersion `zhengwu.gov.cn/v1`, kind `App`): the source
 * of truth. `schema/zhengwu.v1.json` is generated from it (`pnpm run generate`) for editors
 * and SchemaStore-style `$schema` references.
 */
import type { SchemaNode } from './node';
import {
  DURATION,
  ENV_NAME,
  HOST,
  LABEL_KEY,
  NAME,
  PLAN_ID,
  PROCESS,
  ROUTE_PATH,
  SERVICE_ID,
} from './patterns';
import { processSchema } from './process';

/** Where the schema is published; also its `$id`. */
export const MANIFEST_SCHEMA_ID = 'https://zhengwu.gov.cn/schemas/zhengwu.v1.json';

/** The `apiVersion` this package reads and writes. */
export const MANIFEST_API_VERSION = 'zhengwu.gov.cn/v1';

const command = (description: string, example: string) =>
  ({
    type: 'object',
    description,
    additionalProperties: false,
    required: ['command'],
    properties: {
      command: {
        type: 'string',
        minLength: 1,
        description: '由 shell 执行的命令 · Command run by a shell',
        examples: [example],
      },
    },
  }) as const satisfies SchemaNode;

const metadata = {
  type: 'object',
  description: '应用的名称和标签 · The app’s name and labels',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      pattern: NAME.pattern,
      description:
        '应用名：2–63 个字符，小写字母开头，小写字母、数字和连字符（DNS 标签）· App name: 2–63 characters, lowercase letters, digits and hyphens, starting with a letter (a DNS label)',
      examples: ['approval'],
    },
    labels: {
      type: 'object',
      description:
        '标签，如数据分级 classification（public、internal、sensitive、core）· Labels, such as the data grade classification (public, internal, sensitive, core)',
      maxProperties: 64,
      propertyNames: { pattern: LABEL_KEY.pattern },
      additionalProperties: {
        type: 'string',
        maxLength: 255,
        description: '标签值 · Label value',
      },
      examples: [{ classification: 'internal' }],
    },
  },
} as const satisfies SchemaNode;

const envValue = {
  type: ['string', 'object'],
  description:
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder syntax, for editors.
    '字面值，可含占位符 ${resources.<资源名>.<凭据键>}（$${ 转义为 ${），或 { generate: secret } 由平台生成一次并保存的随机密钥 · A literal that may hold ${resources.<name>.<key>} placeholders ($${ escapes ${), or { generate: secret } for a random secret the platform generates once and keeps',
  additionalProperties: false,
  required: ['generate'],
  properties: {
    generate: {
      const: 'secret',
      description: '生成随机密钥 · Generate a random secret',
    },
  },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an example placeholder.
  examples: ['info', '${resources.db.uri}', { generate: 'secret' }],
} as const satisfies SchemaNode;

const resource = {
  type: 'object',
  description:
    '应用依赖的服务实例（Score 语义）· A service instance the app depends on (Score semantics)',
  additionalProperties: false,
  required: ['type', 'class'],
  properties: {
    type: {
      type: 'string',
      pattern: SERVICE_ID.pattern,
      description:
        '目录服务 ID：postgresql、mysql、redis、rabbitmq、mqtt、object-storage · Catalog service id: postgresql, mysql, redis, rabbitmq, mqtt, object-storage',
      examples: ['postgresql'],
    },
    class: {
      type: 'string',
      pattern: PLAN_ID.pattern,
      description: '规格 ID，如 dev、s、m、l · Plan id such as dev, s, m or l',
      examples: ['dev'],
    },
    id: {
      type: 'string',
      pattern: NAME.pattern,
      description:
        '共享实例名：同一租户内 type、class、id 相同的资源是同一个实例，不存在时创建 · Shared instance name: resources with the same type, class and id in a tenant are one instance, created when missing',
      examples: ['shared-permit-docs'],
    },
    params: {
      type: 'object',
      description:
        '开通参数，按该规格的 instanceCreate 结构校验 · Provisioning parameters, checked against the plan’s instanceCreate schema',
    },
  },
} as const satisfies SchemaNode;

const route = {
  type: 'object',
  description: '把 HTTP 请求路由到一个进程 · Routes HTTP requests to a process',
  additionalProperties: false,
  required: ['path', 'process'],
  properties: {
    host: {
      type: 'string',
      pattern: HOST.pattern,
      description:
        '主机名；省略时为平台分配的 <应用>.<租户> 主机 · Host name; the platform-assigned <app>.<tenant> host when left out',
      examples: ['approval.example.gov.cn'],
    },
    path: {
      type: 'string',
      pattern: ROUTE_PATH.pattern,
      description: '路径前缀 · Path prefix',
      examples: ['/'],
    },
    process: {
      type: 'string',
      pattern: PROCESS.pattern,
      description: '接收请求的进程 · Process that receives the requests',
      examples: ['web'],
    },
  },
} as const satisfies SchemaNode;

const deploy = {
  type: 'object',
  description: '发布的滚动方式 · How a release rolls out',
  additionalProperties: false,
  properties: {
    strategy: {
      enum: ['rolling'],
      default: 'rolling',
      description: '滚动发布：逐批替换副本 · Rolling: replace replicas batch by batch',
    },
    maxInFlight: {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 1,
      description: '同时替换的副本数 · Replicas replaced at a time',
    },
    autoRollback: {
      type: 'boolean',
      default: true,
      description:
        '健康检查失败时自动回滚到上一个发布 · Roll back to the previous release when health checks fail',
    },
    healthTimeout: {
      type: 'string',
      pattern: DURATION.pattern,
      description:
        '新副本须在多久内通过健康检查，否则发布失败 · How long new replicas have to pass health checks before the release fails',
      examples: ['5m'],
    },
  },
} as const satisfies SchemaNode;

/** The manifest schema (draft 2020-12). Read-only: share it, never change it. */
export const MANIFEST_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: MANIFEST_SCHEMA_ID,
  title: 'zhengwu.yaml',
  description:
    '政务云应用清单：进程、依赖的服务、环境变量、路由和伸缩 · Zhengwu app manifest: processes, services, environment, routes and scaling',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'processes'],
  properties: {
    $schema: {
      type: 'string',
      description: '本文件的 JSON Schema，供编辑器提示 · JSON Schema of this file, for editors',
      examples: [MANIFEST_SCHEMA_ID],
    },
    apiVersion: {
      const: MANIFEST_API_VERSION,
      description: '清单版本 · Manifest version',
    },
    kind: { const: 'App', description: '清单类型 · Manifest kind' },
    metadata,
    runtime: {
      enum: ['node@20', 'node@22'],
      description:
        '运行时；本地运行时使用平台自己的 Node · Runtime; the local runtime uses the platform’s own Node',
    },
    build: {
      type: 'object',
      description:
        '构建：总是先安装依赖（npm，共享缓存），再运行 command · Build: dependencies are always installed first (npm, shared cache), then command runs',
      additionalProperties: false,
      properties: {
        command: {
          type: 'string',
          minLength: 1,
          description: '构建命令 · Build command',
          examples: ['npm run build'],
        },
      },
    },
    release: command(
      '发布命令：每次发布在滚动之前运行一次（如数据库迁移），非零退出码中止发布 · Release command: runs once per release before the rollout (such as migrations); a non-zero exit aborts the rollout',
      'node migrate.js',
    ),
    processes: {
      type: 'object',
      description:
        '进程类型（Procfile 模型）；web 默认接收 / 的流量 · Process types (Procfile model); web receives / by default',
      minProperties: 1,
      maxProperties: 20,
      propertyNames: { pattern: PROCESS.pattern },
      additionalProperties: processSchema,
    },
    env: {
      type: 'object',
      description: '环境变量；每个键只有一个来源 · Environment variables; one source per key',
      propertyNames: { pattern: ENV_NAME.pattern },
      additionalProperties: envValue,
    },
    resources: {
      type: 'object',
      description:
        '依赖的服务实例，键为资源名（占位符中使用）· Service instances the app depends on, keyed by resource name (used in placeholders)',
      propertyNames: { pattern: NAME.pattern },
      additionalProperties: resource,
    },
    routes: {
      type: 'array',
      description:
        'HTTP 路由；省略时若有 web 进程则为 / → web · HTTP routes; / → web when left out and a web process exists',
      maxItems: 50,
      items: route,
    },
    deploy,
  },
} as const satisfies SchemaNode;
