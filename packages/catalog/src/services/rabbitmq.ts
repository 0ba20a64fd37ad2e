/**
 * RabbitMQ 3.10 message queue: a virtual host per instance, a user per binding with
 * permissions on that vhost only. No embedded engine: it needs a configured RabbitMQ pool.
 */
import { defineService } from '../define';
import { HOST, PASSWORD, PORT, TLS, USERNAME, uri } from '../shared/credentials';
import { DRAFT_2020_12 } from '../shared/json-schema';
import { NO_PARAMETERS, readOnlyBinding } from '../shared/parameters';
import { plan } from '../shared/plans';

const EXAMPLE_PASSWORD = 'example-only-Rt4nB8vLx2Qs';

export const rabbitmq = defineService({
  id: 'rabbitmq',
  displayName: { zh: 'RabbitMQ 消息队列', en: 'RabbitMQ message queue' },
  description: {
    zh: 'AMQP 0-9-1 消息队列，用于异步任务和系统间解耦；每个实例一个独立的虚拟主机。',
    en: 'An AMQP 0-9-1 message queue for background jobs and decoupled systems; each instance is a virtual host of its own.',
  },
  category: 'middleware',
  tags: ['amqp', 'queue', 'rabbitmq', '消息队列'],
  bindable: true,
  planUpdateable: true,
  engines: { external: { name: 'RabbitMQ', version: '3.10' } },
  plans: [
    plan('dev', { connections: 20, messagesPerSecond: 100, storageMb: 512 }, 0),
    plan('s', { connections: 200, messagesPerSecond: 1000, storageMb: 5120 }, 0.3),
    plan('m', { connections: 1000, messagesPerSecond: 5000, storageMb: 20480 }, 0.9),
    plan('l', { connections: 5000, messagesPerSecond: 20000, storageMb: 102400 }, 2.5),
  ],
  schemas: {
    instanceCreate: NO_PARAMETERS,
    instanceUpdate: NO_PARAMETERS,
    bindingCreate: readOnlyBinding(
      '只读用户：只能从已有队列消费，不能发布或声明队列 · A read-only user: consumes from existing queues, cannot publish or declare',
    ),
    credentials: {
      $schema: DRAFT_2020_12,
      type: 'object',
      additionalProperties: false,
      required: ['uri', 'host', 'port', 'vhost', 'username', 'password', 'tls'],
      properties: {
        uri: uri('^amqps?://', 'amqp:// 或 amqps://'),
        host: HOST,
        port: PORT,
        vhost: {
          type: 'string',
          minLength: 1,
          description: '虚拟主机，本实例专用 · Virtual host of this instance',
        },
        username: USERNAME,
        password: PASSWORD,
        tls: TLS,
      },
      examples: [
        {
          uri: `amqp://zw_b_01hq3x9k2m4n5p6q7r8s_v1:${EXAMPLE_PASSWORD}@127.0.0.1:5672/zw_i_01hq3x9k2m4n5p6q7r8s`,
          host: '127.0.0.1',
          port: 5672,
          vhost: 'zw_i_01hq3x9k2m4n5p6q7r8s',
          username: 'zw_b_01hq3x9k2m4n5p6q7r8s_v1',
          password: EXAMPLE_PASSWORD,
          tls: { mode: 'disable', gm: false },
        },
      ],
    },
  },
});
