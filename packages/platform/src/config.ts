import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isTrustEntry, trustsLoopback } from './http/client-address';

/** Everything the platform reads from its environment (`ZW_*`), validated once at start. */
export interface PlatformConfig {
  /** Listen address; loopback by default. */
  host: string;
  port: number;
  /** Where the embedded database, keys and the admin token live. */
  dataDir: string;
  /** External PostgreSQL for the platform's own state; unset = embedded PostgreSQL in `dataDir`. */
  databaseUrl: string | undefined;
  tls: { cert: string; key: string } | undefined;
  /** Largest accepted request body in bytes (JSON bodies; source uploads have their own limit). */
  bodyLimit: number;
  /** Days audit events are kept; never below 180 (网络安全法 network-log retention). */
  auditRetentionDays: number;
  /** HMAC-SM3 key of the audit chain (hex or text); unset = generated once into `dataDir`. */
  auditKey: string | undefined;
  oidc: { issuer: string; audience: string; jwksUrl: string | undefined } | undefined;
  /** Failed authentications allowed per source IP per minute before 429. */
  authFailuresPerMinute: number;
  /**
   * Proxies whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed (`ZW_TRUST_PROXY`:
   * addresses, CIDRs, `loopback`, `linklocal`, `uniquelocal`); empty = none, the socket's
   * peer is the client.
   */
  trustedProxies: string[];
  /** How long an authenticated token is trusted without a database lookup (ms; 0 = never). */
  authCacheMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Validate every response against the contract (tests and development). */
  validateResponses: boolean;
  /** Durable operations this process runs at once (`ZW_OPERATION_WORKERS`); 0 runs none. */
  operationWorkers: number;
  /** Effective quota of a root tenant that sets no limit of its own (`ZW_DEFAULT_QUOTA_*`). */
  defaultQuota: DefaultQuota;
  /** Engine pools of the catalog's services. */
  engines: EngineConfig;
  /** Credentials at rest: AES-256-GCM (`aes`, default) or 国密 SM4 + HMAC-SM3 (`gm`). */
  crypto: 'aes' | 'gm';
  /** Master key (hex or base64, 256 bits); unset = generated once into `dataDir`. */
  masterKey: string | undefined;
  /**
   * HTTP Basic credentials of the Open Service Broker API at `/v2` (`ZW_OSB_USERNAME`,
   * `ZW_OSB_PASSWORD`); unset = the API is off and `/v2` answers 404.
   */
  osb: { username: string; password: string } | undefined;
  /**
   * Where apps run (`ZW_APP_RUNTIME`): `local` supervises them as child processes of this
   * platform process; `none` serves the API only (another replica runs the apps).
   */
  appRuntime: 'local' | 'none';
  /**
   * Where apps are reached (`ZW_APPS_PUBLIC_URL`, e.g. `https://apps.zhengwu.gov.cn`): app URLs
   * are `<scheme>://<app>.<tenant>.<host>[:port]/` and the router matches that host suffix.
   * Unset: `<app>.<tenant>.localhost` on the platform's own port.
   */
  appsPublicUrl: URL | undefined;
  /** How often the autoscaler looks at every scaled process (`ZW_AUTOSCALE_INTERVAL_MS`). */
  autoscaleIntervalMs: number;
}

/** Engines the platform can run itself (`ZW_EMBEDDED_ENGINES`). */
export const EMBEDDED_ENGINES = ['postgresql', 'mqtt', 'object-storage', 'redis'] as const;
export type EmbeddedEngine = (typeof EMBEDDED_ENGINES)[number];

/** Which engine pools back the catalog; a service with none is listed as unavailable. */
export interface EngineConfig {
  /** Embedded engines to run in-process or from npm binaries (`ZW_EMBEDDED_ENGINES`). */
  embedded: Set<EmbeddedEngine>;
  /** External admin URLs; each set one replaces the embedded engine of its service. */
  postgresUrl: string | undefined;
  mysqlUrl: string | undefined;
  redisUrl: string | undefined;
  rabbitmqUrl: string | undefined;
  rabbitmqManagementUrl: string | undefined;
  mqttUrl: string | undefined;
  /** Where apps reach the external MQTT pool, when not `mqttUrl`'s host and port. */
  mqttPublicUrl: string | undefined;
  /** Host put into credentials for embedded engines (they listen on loopback). */
  host: string;
  /** Fixed ports of embedded engines that apps connect to (0 = any free port). */
  mqttPort: number;
  objectStoragePort: number;
  /** Port of the embedded Redis at its first start (0 = any free one); kept after. */
  redisPort: number;
  /** The `redis-server` the embedded Redis runs (`ZW_REDIS_SERVER`; default: from PATH). */
  redisServer: string | undefined;
  /** Instances one pool may hold (`ZW_POOL_CAPACITY`). */
  poolCapacity: number;
}

/** Platform-wide quota defaults: what a province without limits of its own may use in all. */
export interface DefaultQuota {
  instances: number;
  apps: number;
  memoryMb: number;
  storageMb: number;
  replicas: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `${name} 无效 · ${name} must be an integer from ${min} to ${max}, got "${raw}"`,
    );
  }
  return value;
}

/** A PEM variable: the PEM text itself, or the path of a file holding it. */
function pem(name: string, value: string): string {
  if (value.trimStart().startsWith('-----BEGIN ')) return value;
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `${name} 无法读取 · ${name} is neither PEM text nor a readable file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (${value})`,
    );
  }
  if (!text.includes('-----BEGIN ')) {
    throw new ConfigError(
      `${name} 不是 PEM 文件 · ${name} names a file without PEM in it: ${value}`,
    );
  }
  return text;
}

/** `ZW_APPS_PUBLIC_URL`: an http(s) origin with a DNS name (its subdomains name the apps). */
function appsUrl(value: string | undefined): URL | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    url = new URL('invalid:');
  }
  const origin = /^https?:$/.test(url.protocol) && url.pathname === '/' && !url.search;
  if (!origin || !/^[a-z0-9.-]+$/.test(url.hostname) || /^[\d.]+$/.test(url.hostname)) {
    throw new ConfigError(
      `ZW_APPS_PUBLIC_URL 无效 · ZW_APPS_PUBLIC_URL must be an http:// or https:// origin with a domain name (apps get its subdomains), like https://apps.zhengwu.gov.cn; got "${value}"`,
    );
  }
  return url;
}

/** Reads and checks the configuration; throws `ConfigError` saying which variable is wrong. */
export function loadConfig(env: Env = process.env): PlatformConfig {
  if (Boolean(env.ZW_TLS_CERT) !== Boolean(env.ZW_TLS_KEY)) {
    throw new ConfigError(
      'ZW_TLS_CERT 与 ZW_TLS_KEY 须同时设置 · Set both ZW_TLS_CERT and ZW_TLS_KEY, or neither',
    );
  }
  const cert = env.ZW_TLS_CERT && pem('ZW_TLS_CERT', env.ZW_TLS_CERT);
  const key = env.ZW_TLS_KEY && pem('ZW_TLS_KEY', env.ZW_TLS_KEY);
  const databaseUrl = env.ZW_DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(
      'ZW_DATABASE_URL 须为 postgres:// URL · ZW_DATABASE_URL must be a postgres:// URL',
    );
  }
  const issuer = env.ZW_OIDC_ISSUER || undefined;
  const audience = env.ZW_OIDC_AUDIENCE || undefined;
  if (Boolean(issuer) !== Boolean(audience)) {
    throw new ConfigError(
      'ZW_OIDC_ISSUER 与 ZW_OIDC_AUDIENCE 须同时设置 · Set both ZW_OIDC_ISSUER and ZW_OIDC_AUDIENCE',
    );
  }
  const embeddedNames = (env.ZW_EMBEDDED_ENGINES ?? EMBEDDED_ENGINES.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s !== 'none');
  for (const name of embeddedNames) {
    if (!(EMBEDDED_ENGINES as readonly string[]).includes(name)) {
      throw new ConfigError(
        `ZW_EMBEDDED_ENGINES 无效 · ZW_EMBEDDED_ENGINES lists ${EMBEDDED_ENGINES.join(', ')} or none; got "${name}"`,
      );
    }
  }
  const appRuntime = (env.ZW_APP_RUNTIME || 'local') as PlatformConfig['appRuntime'];
  if (appRuntime !== 'local' && appRuntime !== 'none') {
    throw new ConfigError('ZW_APP_RUNTIME 无效 · ZW_APP_RUNTIME must be local or none');
  }
  const crypto = (env.ZW_CRYPTO || 'aes') as PlatformConfig['crypto'];
  if (crypto !== 'aes' && crypto !== 'gm') {
    throw new ConfigError('ZW_CRYPTO 无效 · ZW_CRYPTO must be aes or gm');
  }
  const url = (name: string, schemes: string[]) => {
    const value = env[name] || undefined;
    if (value && !schemes.some((s) => value.startsWith(`${s}://`))) {
      throw new ConfigError(
        `${name} 无效 · ${name} must be a ${schemes.map((s) => `${s}://`).join(' or ')} URL`,
      );
    }
    return value;
  };
  const osb = osbCredentials(env);
  const trustedProxies = (env.ZW_TRUST_PROXY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of trustedProxies) {
    if (!isTrustEntry(entry)) {
      throw new ConfigError(
        `ZW_TRUST_PROXY 无效 · ZW_TRUST_PROXY lists addresses, CIDRs (10.0.0.0/8), loopback, linklocal or uniquelocal; got "${entry}"`,
      );
    }
  }
  if (appRuntime === 'local' && trustsLoopback(trustedProxies)) {
    throw new ConfigError(
      'ZW_TRUST_PROXY 不能信任本机回环地址：本机运行的应用可借此伪造客户端地址 · ZW_TRUST_PROXY must not trust loopback while apps run on this machine (ZW_APP_RUNTIME=local): they reach the API over loopback and could claim any client address. Put the proxy on another address, or run apps elsewhere (ZW_APP_RUNTIME=none)',
    );
  }
  const appsPublicUrl = appsUrl(env.ZW_APPS_PUBLIC_URL);
  const logLevel = (env.ZW_LOG_LEVEL || 'info') as PlatformConfig['logLevel'];
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(
      `ZW_LOG_LEVEL 无效 · ZW_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent`,
    );
  }
  return {
    host: env.ZW_HOST || '127.0.0.1',
    port: int(env, 'ZW_PORT', 7070, 0, 65535),
    // Relative to where the command was typed (pnpm runs scripts in the package folder).
    dataDir: resolve(env.INIT_CWD || process.cwd(), env.ZW_DATA_DIR || '.zhengwu'),
    databaseUrl,
    tls: cert && key ? { cert, key } : undefined,
    bodyLimit: int(env, 'ZW_BODY_LIMIT', 1024 * 1024, 1024, 64 * 1024 * 1024),
    auditRetentionDays: int(env, 'ZW_AUDIT_RETENTION_DAYS', 180, 180, 36500),
    auditKey: env.ZW_AUDIT_KEY || undefined,
    oidc:
      issuer && audience
        ? { issuer, audience, jwksUrl: env.ZW_OIDC_JWKS_URL || undefined }
        : undefined,
    authFailuresPerMinute: int(env, 'ZW_AUTH_FAILURES_PER_MINUTE', 20, 1, 100000),
    trustedProxies,
    authCacheMs: int(env, 'ZW_AUTH_CACHE_MS', 5000, 0, 60000),
    logLevel,
    validateResponses: env.ZW_VALIDATE_RESPONSES === '1' || env.ZW_VALIDATE_RESPONSES === 'true',
    operationWorkers: int(env, 'ZW_OPERATION_WORKERS', 4, 0, 256),
    defaultQuota: {
      instances: int(env, 'ZW_DEFAULT_QUOTA_INSTANCES', 50, 0, Number.MAX_SAFE_INTEGER),
      apps: int(env, 'ZW_DEFAULT_QUOTA_APPS', 50, 0, Number.MAX_SAFE_INTEGER),
      memoryMb: int(env, 'ZW_DEFAULT_QUOTA_MEMORY_MB', 65536, 0, Number.MAX_SAFE_INTEGER),
      storageMb: int(env, 'ZW_DEFAULT_QUOTA_STORAGE_MB', 1048576, 0, Number.MAX_SAFE_INTEGER),
      replicas: int(env, 'ZW_DEFAULT_QUOTA_REPLICAS', 200, 0, Number.MAX_SAFE_INTEGER),
    },
    engines: {
      embedded: new Set(embeddedNames as EmbeddedEngine[]),
      postgresUrl: url('ZW_POSTGRES_URL', ['postgres', 'postgresql']),
      mysqlUrl: url('ZW_MYSQL_URL', ['mysql', 'mariadb']),
      redisUrl: url('ZW_REDIS_URL', ['redis', 'rediss']),
      rabbitmqUrl: url('ZW_RABBITMQ_URL', ['amqp', 'amqps']),
      rabbitmqManagementUrl: url('ZW_RABBITMQ_MANAGEMENT_URL', ['http', 'https']),
      mqttUrl: url('ZW_MQTT_URL', ['mqtt', 'mqtts']),
      mqttPublicUrl: url('ZW_MQTT_PUBLIC_URL', ['mqtt', 'mqtts']),
      host: env.ZW_ENGINE_HOST || '127.0.0.1',
      mqttPort: int(env, 'ZW_MQTT_PORT', 1884, 0, 65535),
      objectStoragePort: int(env, 'ZW_OBJECT_STORAGE_PORT', 7072, 0, 65535),
      redisPort: int(env, 'ZW_REDIS_PORT', 0, 0, 65535),
      redisServer: env.ZW_REDIS_SERVER || undefined,
      poolCapacity: int(env, 'ZW_POOL_CAPACITY', 1000, 1, 1_000_000),
    },
    crypto,
    appRuntime,
    appsPublicUrl,
    autoscaleIntervalMs: int(env, 'ZW_AUTOSCALE_INTERVAL_MS', 15_000, 100, 3_600_000),
    masterKey: env.ZW_MASTER_KEY || undefined,
    osb,
  };
}

/** Both OSB variables or neither; a username Basic auth can carry and a long password. */
function osbCredentials(env: Env): PlatformConfig['osb'] {
  const username = env.ZW_OSB_USERNAME || undefined;
  const password = env.ZW_OSB_PASSWORD || undefined;
  if (Boolean(username) !== Boolean(password)) {
    throw new ConfigError(
      'ZW_OSB_USERNAME 与 ZW_OSB_PASSWORD 须同时设置 · Set both ZW_OSB_USERNAME and ZW_OSB_PASSWORD, or neither',
    );
  }
  if (!username || !password) return undefined;
  if (username.includes(':') || [...username].some((c) => c.charCodeAt(0) < 0x20)) {
    throw new ConfigError(
      'ZW_OSB_USERNAME 无效 · ZW_OSB_USERNAME must not contain ":" or control characters (HTTP Basic auth)',
    );
  }
  if (password.length < 16) {
    throw new ConfigError('ZW_OSB_PASSWORD 过短 · ZW_OSB_PASSWORD must be at least 16 characters');
  }
  return { username, password };
}

/** The ports this configuration listens on, with the variable that moves each. */
export function listenPorts(config: PlatformConfig): { port: number; host: string; env: string }[] {
  const { engines } = config;
  const ports = [{ port: config.port, host: config.host, env: 'ZW_PORT' }];
  if (!engines.mqttUrl && engines.embedded.has('mqtt')) {
    ports.push({ port: engines.mqttPort, host: engines.host, env: 'ZW_MQTT_PORT' });
  }
  if (engines.embedded.has('object-storage')) {
    ports.push({
      port: engines.objectStoragePort,
      host: engines.host,
      env: 'ZW_OBJECT_STORAGE_PORT',
    });
  }
  return ports.filter((p) => p.port !== 0);
}
