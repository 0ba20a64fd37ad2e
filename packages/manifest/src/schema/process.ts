/** Schema of one entry of `processes` (Procfile model): command, port, memory, health, scaling. */
import type { SchemaNode } from './node';
import { DURATION, PROBE_PATH } from './patterns';
import { scalingSchema } from './scaling';

/** Memory a replica gets when `memoryMb` is left out (the platform's default). */
export const DEFAULT_MEMORY_MB = 512;

/** Port a process listens on when `port` is left out (`$PORT` is always set to it). */
export const DEFAULT_PORT = 8080;

const port = (description: string) =>
  ({ type: 'integer', minimum: 1, maximum: 65535, description }) as const satisfies SchemaNode;

const probe = (description: string) =>
  ({
    type: 'object',
    description,
    additionalProperties: false,
    required: ['httpGet'],
    properties: {
      httpGet: {
        type: 'object',
        description: 'HTTP GET 探测，2xx/3xx 为通过 · HTTP GET probe; 2xx/3xx passes',
        additionalProperties: false,
        required: ['path'],
        properties: {
          path: {
            type: 'string',
            pattern: PROBE_PATH.pattern,
            description: '请求的路径 · Path to request',
            examples: ['/healthz'],
          },
          port: port('探测的端口；默认为进程端口 · Port to probe; the process port by default'),
        },
      },
    },
  }) as const satisfies SchemaNode;

export const processSchema = {
  type: 'object',
  description:
    '一个进程类型（Procfile 模型），各自独立伸缩；有路由的进程接收 HTTP 流量 · A process type (Procfile model) that scales on its own; processes with routes receive HTTP traffic',
  additionalProperties: false,
  required: ['command'],
  properties: {
    command: {
      type: 'string',
      minLength: 1,
      description: '启动命令（由 shell 执行）· Start command (run by a shell)',
      examples: ['node server.js'],
    },
    port: {
      ...port(
        '进程监听的端口；平台总会设置 $PORT，应用须监听 $PORT · Port the process listens on; the platform always sets $PORT and the app must listen on it',
      ),
      default: DEFAULT_PORT,
    },
    memoryMb: {
      type: 'integer',
      minimum: 64,
      maximum: 65536,
      default: DEFAULT_MEMORY_MB,
      description: '每个副本的内存（MiB）· Memory per replica (MiB)',
      examples: [256],
    },
    health: {
      type: 'object',
      description: '健康检查 · Health checks',
      additionalProperties: false,
      properties: {
        readiness: probe(
          '就绪探测：通过后才接收流量（依赖可达）· Readiness probe: traffic only once it passes (dependencies reachable)',
        ),
        liveness: probe(
          '存活探测：连续失败时重启副本（应当廉价）· Liveness probe: the replica restarts when it keeps failing (keep it cheap)',
        ),
        startupTimeout: {
          type: 'string',
          pattern: DURATION.pattern,
          description:
            '启动后多久内必须首次通过探测 · How long after start the first probe must pass',
          examples: ['60s'],
        },
      },
    },
    scaling: scalingSchema,
  },
} as const satisfies SchemaNode;
