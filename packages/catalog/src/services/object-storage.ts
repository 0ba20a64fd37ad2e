/**
 * S3-compatible object storage: a bucket per instance, an access key per binding scoped to
 * that bucket. Embedded default: the platform's own S3 endpoint on local disk, verifying
 * AWS Signature V4 on every request; external pools run MinIO. Path-style addressing.
 */
import { defineService } from '../define';
import { TLS } from '../shared/credentials';
import { DRAFT_2020_12 } from '../shared/json-schema';
import { NO_PARAMETERS, readOnlyBinding } from '../shared/parameters';
import { plan } from '../shared/plans';

export const objectStorage = defineService({
  id: 'object-storage',
  displayName: { zh: '对象存储', en: 'Object storage' },
  description: {
    zh: 'S3 兼容的对象存储桶，用于附件、影像和归档文件；桶不对公网开放读取。',
    en: 'S3-compatible buckets for attachments, scans and archives; buckets are never publicly readable.',
  },
  category: 'storage',
  tags: ['s3', 'object-storage', 'files', '对象存储'],
  bindable: true,
  planUpdateable: true,
  engines: {
    embedded: { name: 'Zhengwu S3', version: '1' },
    external: { name: 'MinIO', version: '2024' },
  },
  plans: [
    plan('dev', { storageMb: 1024, bandwidthMbps: 10 }, 0, 'month'),
    plan('s', { storageMb: 102400, bandwidthMbps: 50 }, 12, 'month'),
    plan('m', { storageMb: 512000, bandwidthMbps: 100 }, 55, 'month'),
    plan('l', { storageMb: 2097152, bandwidthMbps: 200 }, 200, 'month'),
  ],
  schemas: {
    instanceCreate: {
      $schema: DRAFT_2020_12,
      type: 'object',
      additionalProperties: false,
      properties: {
        versioning: {
          const: false,
          default: false,
          description: '对象版本控制：暂不提供 · Object versioning: not offered yet',
        },
        publicRead: {
          const: false,
          default: false,
          description:
            '公开读：不提供。等保要求访问控制到用户，政务数据不得匿名访问；需要分享时用预签名 URL · Public read: not offered. MLPS (等保) requires access control per user and government data must not be reachable anonymously; share with presigned URLs instead',
        },
      },
      examples: [{}, { versioning: false, publicRead: false }],
    },
    instanceUpdate: NO_PARAMETERS,
    bindingCreate: readOnlyBinding(
      '只读访问密钥：只能 GET、HEAD 和列举，不能上传或删除 · A read-only access key: GET, HEAD and list only, no uploads or deletes',
    ),
    credentials: {
      $schema: DRAFT_2020_12,
      type: 'object',
      additionalProperties: false,
      required: [
        'endpoint',
        'region',
        'bucket',
        'accessKeyId',
        'secretAccessKey',
        'forcePathStyle',
        'tls',
      ],
      properties: {
        endpoint: {
          type: 'string',
          pattern: '^https?://',
          description: 'S3 端点 URL · S3 endpoint URL',
        },
        region: {
          type: 'string',
          minLength: 1,
          description: '签名（SigV4）所用的区域 · Region used in signatures (SigV4)',
        },
        bucket: {
          type: 'string',
          pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
          description: '本实例的桶 · The bucket of this instance',
        },
        accessKeyId: {
          type: 'string',
          minLength: 1,
          description: '访问密钥 ID · Access key id',
        },
        secretAccessKey: {
          type: 'string',
          minLength: 1,
          description:
            '访问密钥；轮换后旧密钥失效 · Secret access key; rotation retires the old one',
        },
        forcePathStyle: {
          const: true,
          description: '使用路径式地址（端点/桶/键）· Path-style addressing (endpoint/bucket/key)',
        },
        tls: TLS,
      },
      examples: [
        {
          endpoint: 'http://127.0.0.1:7480',
          region: 'cn-zhengwu-1',
          bucket: 'zw-i-01hq3x9k2m4n5p6q7r8s',
          accessKeyId: 'ZWEXAMPLEKEY01HQ3X9K',
          secretAccessKey: 'example-only-Wp2cN7vRk4Ty9Lq3Hs8Bd5Fg',
          forcePathStyle: true,
          tls: { mode: 'disable', gm: false },
        },
      ],
    },
  },
});
