/**
 * MQTT messaging for IoT devices: each instance is a topic prefix, each binding a user
 * allowed on that prefix only. Embedded default: an in-process Aedes broker (MQTT 3.1.1);
 * external pools run Mosquitto 2 with its dynamic-security plugin. Clients should speak
 * MQTT 3.1.1, which both serve.
 */
import { defineService } from '../define';
import { HOST, PASSWORD, PORT, TLS, USERNAME, uri } from '../shared/credentials';
import { DRAFT_2020_12 } from '../shared/json-schema';
import { readOnlyBinding } from '../shared/parameters';
import { plan } from '../shared/plans';

const EXAMPLE_PASSWORD = 'example-only-Mz6cF3yHn8Dv';

const retainAvailable = {
  type: 'boolean',
  description:
    '是否接受保留消息（retain）；关闭后带 retain 标志的发布被拒绝 · Whether retained messages are accepted; when off, a publish with the retain flag is refused',
} as const;

export const mqtt = defineService({
  id: 'mqtt',
  displayName: { zh: 'MQTT 物联网消息', en: 'MQTT IoT messaging' },
  description: {
    zh: '物联网设备接入的 MQTT 3.1.1 消息服务，每个实例一个独立的主题前缀。',
    en: 'MQTT 3.1.1 messaging for IoT devices; each instance is a topic prefix of its own.',
  },
  category: 'middleware',
  tags: ['mqtt', 'iot', 'pub-sub', '物联网'],
  bindable: true,
  planUpdateable: true,
  engines: {
    embedded: { name: 'Aedes', version: '1' },
    external: { name: 'Mosquitto', version: '2' },
  },
  plans: [
    plan('dev', { connections: 50, messagesPerSecond: 100 }, 0),
    plan('s', { connections: 1000, messagesPerSecond: 1000 }, 0.25),
    plan('m', { connections: 10000, messagesPerSecond: 5000 }, 0.8),
    plan('l', { connections: 50000, messagesPerSecond: 20000 }, 2.3),
  ],
  schemas: {
    instanceCreate: {
      $schema: DRAFT_2020_12,
      type: 'object',
      additionalProperties: false,
      properties: { retainAvailable: { ...retainAvailable, default: true } },
      examples: [{}, { retainAvailable: false }],
    },
    instanceUpdate: {
      $schema: DRAFT_2020_12,
      type: 'object',
      additionalProperties: false,
      properties: { retainAvailable },
      examples: [{ retainAvailable: true }],
    },
    bindingCreate: readOnlyBinding(
      '只读用户：只能订阅，不能发布 · A read-only user: subscribes, cannot publish',
    ),
    credentials: {
      $schema: DRAFT_2020_12,
      type: 'object',
      additionalProperties: false,
      required: ['uri', 'host', 'port', 'username', 'password', 'topicPrefix', 'tls'],
      properties: {
        uri: uri('^mqtts?://', 'mqtt:// 或 mqtts://'),
        host: HOST,
        port: PORT,
        username: USERNAME,
        password: PASSWORD,
        topicPrefix: {
          type: 'string',
          pattern: '^[^#+]+/$',
          description:
            '主题前缀：只能在以它开头的主题上发布和订阅 · Topic prefix: publish and subscribe only on topics starting with it',
        },
        tls: TLS,
      },
      examples: [
        {
          uri: `mqtt://zw_b_01hq3x9k2m4n5p6q7r8s_v1:${EXAMPLE_PASSWORD}@127.0.0.1:1883`,
          host: '127.0.0.1',
          port: 1883,
          username: 'zw_b_01hq3x9k2m4n5p6q7r8s_v1',
          password: EXAMPLE_PASSWORD,
          topicPrefix: 'zw_i_01hq3x9k2m4n5p6q7r8s/',
          tls: { mode: 'disable', gm: false },
        },
      ],
    },
  },
});
