/**
 * Schema nodes shared by the services' credentials: what every broker hands out for a
 * network endpoint (host, port, a user of its own, transport security).
 */
import type { JsonSchemaNode } from './json-schema';

/** Transport security of the connection the credentials describe. */
export const TLS = {
  type: 'object',
  description: '传输加密 · Transport security',
  additionalProperties: false,
  required: ['mode', 'gm'],
  properties: {
    mode: {
      type: 'string',
      enum: ['disable', 'require', 'verify-full'],
      description:
        'disable：不加密（仅本机回环的开发引擎池）；require：TLS；verify-full：TLS 并校验证书和主机名 · disable: no encryption (loopback dev pools only); require: TLS; verify-full: TLS with the certificate and host name verified',
    },
    gm: {
      type: 'boolean',
      description: '使用国密 TLCP（SM2/SM3/SM4）· Uses 国密 TLCP (SM2/SM3/SM4)',
    },
  },
} as const satisfies JsonSchemaNode;

export const HOST = {
  type: 'string',
  minLength: 1,
  description: '主机名或 IP 地址 · Host name or IP address',
} as const satisfies JsonSchemaNode;

export const PORT = {
  type: 'integer',
  minimum: 1,
  maximum: 65535,
  description: 'TCP 端口 · TCP port',
} as const satisfies JsonSchemaNode;

export const USERNAME = {
  type: 'string',
  minLength: 1,
  description: '本绑定专用的用户名 · A user name of this binding only',
} as const satisfies JsonSchemaNode;

export const PASSWORD = {
  type: 'string',
  minLength: 1,
  description: '密码；轮换后旧密码失效 · Password; rotation retires the old one',
} as const satisfies JsonSchemaNode;

/** A connection URI whose scheme matches `pattern` (user, password, host and port included). */
export const uri = <const P extends string>(pattern: P, schemes: string) =>
  ({
    type: 'string',
    pattern,
    description: `连接 URI（${schemes}），含用户名和密码 · Connection URI (${schemes}) with user name and password`,
  }) as const satisfies JsonSchemaNode;
