/**
 * Every `ZW_*` variable the platform reads, for people: its area, its default as users see
 * it and what it does, in Chinese and English. The docs site's configuration reference is
 * generated from this list, and a test fails when the code reads a variable missing here
 * (or this list names one the code never reads). `loadConfig` in `config.ts` stays the
 * source of truth for parsing and validation.
 */

/** Areas of the configuration reference, in the order the page shows them. */
export const CONFIG_GROUPS = [
  { id: 'server', zh: '服务', en: 'Server' },
  { id: 'state', zh: '状态存储', en: 'State' },
  { id: 'security', zh: '加密与审计', en: 'Encryption and audit' },
  { id: 'identity', zh: '认证', en: 'Authentication' },
  { id: 'engines', zh: '引擎池', en: 'Engine pools' },
  { id: 'runtime', zh: '应用运行时与异步操作', en: 'App runtime and operations' },
  { id: 'quotas', zh: '默认配额', en: 'Default quotas' },
  { id: 'osb', zh: 'Open Service Broker API', en: 'Open Service Broker API' },
] as const;

export type ConfigGroup = (typeof CONFIG_GROUPS)[number]['id'];

export interface ConfigVariable {
  name: `ZW_${string}`;
  group: ConfigGroup;
  /**
   * The value used when the variable is unset, exactly as one would write it. Setting the
   * variable to this value changes nothing (a test checks it against `loadConfig`).
   */
  default?: string;
  /** What happens when it is unset, when that is not a value one could write. */
  unset?: { zh: string; en: string };
  zh: string;
  en: string;
}

const GENERATED = {
  zh: '首次启动时生成到数据目录',
  en: 'generated into the data dir on first start',
};

const OFF = { zh: '不设置（关闭）', en: 'unset (off)' };

export const CONFIG_REFERENCE: readonly ConfigVariable[] = [
  // ---- server ----
  {
    name: 'ZW_HOST',
    group: 'server',
    default: '127.0.0.1',
    zh: '监听地址；默认只监听本机回环地址。',
    en: 'Listen address; loopback only by default.',
  },
  {
    name: 'ZW_PORT',
    group: 'server',
    default: '7070',
    zh: '监听端口（0–65535）。应用路由也在这个端口上。',
    en: 'Listen port (0–65535). The app router shares it.',
  },
  {
    name: 'ZW_TLS_CERT',
    group: 'server',
    unset: { zh: '不设置（HTTP）', en: 'unset (HTTP)' },
    zh: '证书：PEM 文件的路径，或 PEM 内容本身；须与 `ZW_TLS_KEY` 同时设置，设置后平台以 HTTPS 提供服务。',
    en: 'The certificate: the path of a PEM file, or the PEM text itself; set it together with `ZW_TLS_KEY` to serve HTTPS.',
  },
  {
    name: 'ZW_TLS_KEY',
    group: 'server',
    unset: { zh: '不设置（HTTP）', en: 'unset (HTTP)' },
    zh: '私钥：PEM 文件的路径（应仅平台用户可读），或 PEM 内容本身；须与 `ZW_TLS_CERT` 同时设置。',
    en: 'The private key: the path of a PEM file (readable by the platform user only), or the PEM text itself; set it together with `ZW_TLS_CERT`.',
  },
  {
    name: 'ZW_BODY_LIMIT',
    group: 'server',
    default: '1048576',
    zh: 'JSON 请求体的最大字节数（1024 – 64 MiB），超出返回 413；源码包上传另有限制。',
    en: 'Largest JSON request body in bytes (1024 to 64 MiB); larger bodies get 413. Source uploads have their own limit.',
  },
  {
    name: 'ZW_LOG_LEVEL',
    group: 'server',
    default: 'info',
    zh: '日志级别：`fatal`、`error`、`warn`、`info`、`debug`、`trace` 或 `silent`。',
    en: 'Log level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.',
  },
  {
    name: 'ZW_VALIDATE_RESPONSES',
    group: 'server',
    default: '0',
    zh: '设为 `1` 或 `true` 时按契约校验每个响应（用于测试和开发，生产环境不要开启）。',
    en: '`1` or `true` checks every response against the contract (for tests and development, not production).',
  },
  // ---- state ----
  {
    name: 'ZW_DATA_DIR',
    group: 'state',
    default: '.zhengwu',
    zh: '数据目录：嵌入式数据库、密钥文件和管理员令牌；相对路径按运行命令的目录解析。',
    en: 'Data dir: the embedded database, key files and the admin token; a relative path is resolved against the directory the command runs in.',
  },
  {
    name: 'ZW_DATABASE_URL',
    group: 'state',
    unset: {
      zh: '不设置（数据目录中的嵌入式 PostgreSQL）',
      en: 'unset (embedded PostgreSQL in the data dir)',
    },
    zh: '保存平台自身状态的外部 PostgreSQL（`postgres://` 或 `postgresql://`）；多个平台副本可以共用。',
    en: "An external PostgreSQL (`postgres://` or `postgresql://`) for the platform's own state; several replicas may share it.",
  },
  // ---- security ----
  {
    name: 'ZW_CRYPTO',
    group: 'security',
    default: 'aes',
    zh: '新写入的静态数据（凭据、生成的密钥、嵌入式对象存储的对象）所用算法：`aes`（AES-256-GCM）或 `gm`（国密 SM4-CTR + HMAC-SM3）；已有数据仍可解密。',
    en: 'Algorithm of data sealed from now on (credentials, generated secrets, objects in the embedded object storage): `aes` (AES-256-GCM) or `gm` (SM4-CTR + HMAC-SM3); existing data still decrypts.',
  },
  {
    name: 'ZW_MASTER_KEY',
    group: 'security',
    unset: GENERATED,
    zh: '主密钥（256 位，十六进制或 base64），或密钥环 `mk2:<新>,mk1:<旧>`（第一个为当前密钥）。生产环境应从密钥服务注入，使数据目录本身无法解密。',
    en: 'Master key (256 bits, hex or base64), or a keyring `mk2:<new>,mk1:<old>` whose first key is current. In production inject it from your key service so the data dir alone cannot decrypt.',
  },
  {
    name: 'ZW_AUDIT_KEY',
    group: 'security',
    unset: GENERATED,
    zh: '审计哈希链的 HMAC-SM3 密钥（十六进制或文本）。生产环境应从密钥服务注入，并在每个副本上相同。',
    en: 'HMAC-SM3 key of the audit chain (hex or text). In production inject it from your key service, the same on every replica.',
  },
  {
    name: 'ZW_AUDIT_RETENTION_DAYS',
    group: 'security',
    default: '180',
    zh: '审计事件保留天数，不得少于 180 天（网络安全法）。',
    en: 'Days audit events are kept; never below 180 (Cybersecurity Law).',
  },
  // ---- identity ----
  {
    name: 'ZW_OIDC_ISSUER',
    group: 'identity',
    unset: OFF,
    zh: '接受该 OIDC 签发方的访问令牌，须与令牌的 `iss` 完全一致；须与 `ZW_OIDC_AUDIENCE` 同时设置。',
    en: "Accept access tokens of this OIDC issuer, exactly as in the tokens' `iss`; set it together with `ZW_OIDC_AUDIENCE`.",
  },
  {
    name: 'ZW_OIDC_AUDIENCE',
    group: 'identity',
    unset: OFF,
    zh: '令牌的 `aud` 必须包含的受众。',
    en: 'The audience the tokens must name in `aud`.',
  },
  {
    name: 'ZW_OIDC_JWKS_URL',
    group: 'identity',
    unset: {
      zh: '签发方发现文档中的 `jwks_uri`',
      en: "`jwks_uri` of the issuer's discovery document",
    },
    zh: '验证令牌签名所用的 JWKS 地址。',
    en: 'The JWKS that verifies token signatures.',
  },
  {
    name: 'ZW_AUTH_FAILURES_PER_MINUTE',
    group: 'identity',
    default: '20',
    zh: '每个来源 IP 每分钟允许的认证失败次数，超过后返回 429。',
    en: 'Failed authentications allowed per source IP per minute before 429.',
  },
  {
    name: 'ZW_TRUST_PROXY',
    group: 'identity',
    unset: { zh: '不设置（不信任任何代理）', en: 'unset (no proxy trusted)' },
    zh: '可信的反向代理或负载均衡（逗号分隔的地址、CIDR，或 loopback、linklocal、uniquelocal）：只相信它们转发的 X-Forwarded-For 和 X-Forwarded-Proto，审计日志的来源 IP、登录失败限流和应用收到的 X-Forwarded-For 都据此取客户端地址。列出的每个地址都能声称任意客户端地址，只列代理本身；应用在本机运行（ZW_APP_RUNTIME=local）时不能信任回环地址。不设置时，连接的对端就是客户端。',
    en: 'Trusted reverse proxies or load balancers (comma-separated addresses, CIDRs, or loopback, linklocal, uniquelocal): only their X-Forwarded-For and X-Forwarded-Proto are believed, for the audit log’s source IP, the failed-login limiter and the X-Forwarded-For apps receive. Every listed peer can claim any client address: list the proxies only; loopback is refused while apps run on this machine (ZW_APP_RUNTIME=local). Unset: the connection’s peer is the client.',
  },
  {
    name: 'ZW_AUTH_CACHE_MS',
    group: 'identity',
    default: '5000',
    zh: '已认证的令牌在多长时间内（毫秒，0–60000）不再查询数据库；吊销令牌会立即清除每个副本上的缓存。',
    en: 'How long (ms, 0–60000) an authenticated token skips the database lookup; revoking a token clears it on every replica at once.',
  },
  // ---- engines ----
  {
    name: 'ZW_EMBEDDED_ENGINES',
    group: 'engines',
    default: 'postgresql,mqtt,object-storage,redis',
    zh: '没有配置外部引擎池时运行的嵌入式引擎（逗号分隔）；`none` 表示都不运行。嵌入式 Redis 运行本机的 `redis-server`（7.0 以上），找不到时 Redis 服务列为不可用并说明原因。',
    en: "Embedded engines to run where no external pool is configured (comma-separated); `none` runs none. The embedded Redis runs this machine's `redis-server` (7.0+); without one, the redis service is listed as unavailable with the reason.",
  },
  {
    name: 'ZW_POSTGRES_URL',
    group: 'engines',
    unset: { zh: '不设置（嵌入式 PostgreSQL）', en: 'unset (embedded PostgreSQL)' },
    zh: '外部 PostgreSQL 引擎池的超级用户 URL；设置后取代嵌入式 PostgreSQL。',
    en: 'Superuser URL of an external PostgreSQL pool; replaces the embedded PostgreSQL.',
  },
  {
    name: 'ZW_MYSQL_URL',
    group: 'engines',
    unset: { zh: '不设置（MySQL 服务不可开通）', en: 'unset (the mysql service is unavailable)' },
    zh: 'MariaDB/MySQL 引擎池的管理员 URL（`mysql://` 或 `mariadb://`），需要 CREATE USER 和 GRANT OPTION 权限。',
    en: 'Admin URL of a MariaDB/MySQL pool (`mysql://` or `mariadb://`) with CREATE USER and GRANT OPTION.',
  },
  {
    name: 'ZW_REDIS_URL',
    group: 'engines',
    unset: {
      zh: '不设置（嵌入式 Redis，需本机有 redis-server）',
      en: 'unset (embedded Redis, when this machine has redis-server)',
    },
    zh: 'Redis 7 引擎池的管理员 URL（`redis://` 或 `rediss://`）；其 `default` 用户应关闭或设置密码。设置后取代嵌入式 Redis。',
    en: 'Admin URL of a Redis 7 pool (`redis://` or `rediss://`); its `default` user should be off or password-protected. Replaces the embedded Redis.',
  },
  {
    name: 'ZW_REDIS_SERVER',
    group: 'engines',
    unset: { zh: 'PATH 中的 `redis-server`', en: '`redis-server` on PATH' },
    zh: '嵌入式 Redis 运行的 `redis-server` 可执行文件（7.0 以上）。',
    en: 'The `redis-server` executable (7.0+) the embedded Redis runs.',
  },
  {
    name: 'ZW_RABBITMQ_URL',
    group: 'engines',
    unset: {
      zh: '不设置（RabbitMQ 服务不可开通）',
      en: 'unset (the rabbitmq service is unavailable)',
    },
    zh: '应用连接 RabbitMQ 引擎池所用的 AMQP URL（`amqp://` 或 `amqps://`）。',
    en: 'The AMQP URL (`amqp://` or `amqps://`) apps connect to on the RabbitMQ pool.',
  },
  {
    name: 'ZW_RABBITMQ_MANAGEMENT_URL',
    group: 'engines',
    unset: {
      zh: '`ZW_RABBITMQ_URL` 所在主机的 15672 端口',
      en: 'port 15672 of the `ZW_RABBITMQ_URL` host',
    },
    zh: 'RabbitMQ 管理 API 的 URL（`http://` 或 `https://`），含管理员用户名和密码。',
    en: "URL of RabbitMQ's management API (`http://` or `https://`) with an administrator's user and password.",
  },
  {
    name: 'ZW_MQTT_URL',
    group: 'engines',
    unset: { zh: '不设置（嵌入式 MQTT）', en: 'unset (embedded MQTT)' },
    zh: '启用动态安全插件的 Mosquitto 2，以其管理员身份连接（`mqtt://` 或 `mqtts://`）；设置后取代嵌入式 MQTT。',
    en: 'Mosquitto 2 with the dynamic-security plugin, as its admin (`mqtt://` or `mqtts://`); replaces the embedded MQTT broker.',
  },
  {
    name: 'ZW_MQTT_PUBLIC_URL',
    group: 'engines',
    unset: { zh: '`ZW_MQTT_URL` 的主机和端口', en: 'the host and port of `ZW_MQTT_URL`' },
    zh: '应用连接外部 MQTT 引擎池的地址（`mqtt://` 或 `mqtts://`，如对外的 TLS 监听），写入绑定凭据；不含用户名和密码。',
    en: 'Where apps connect to the external MQTT pool (`mqtt://` or `mqtts://`, e.g. its public TLS listener), written into binding credentials; no user or password in it.',
  },
  {
    name: 'ZW_ENGINE_HOST',
    group: 'engines',
    default: '127.0.0.1',
    zh: '写入嵌入式引擎凭据的主机名（嵌入式引擎监听本机回环地址）。',
    en: 'Host written into the credentials of embedded engines (they listen on loopback).',
  },
  {
    name: 'ZW_MQTT_PORT',
    group: 'engines',
    default: '1884',
    zh: '嵌入式 MQTT 代理的端口；凭据中写明该端口，所以应固定（0 = 任一空闲端口）。',
    en: 'Port of the embedded MQTT broker; credentials name it, so keep it fixed (0 = any free port).',
  },
  {
    name: 'ZW_OBJECT_STORAGE_PORT',
    group: 'engines',
    default: '7072',
    zh: '嵌入式 S3 端点的端口；凭据中写明该端口，所以应固定（0 = 任一空闲端口）。',
    en: 'Port of the embedded S3 endpoint; credentials name it, so keep it fixed (0 = any free port).',
  },
  {
    name: 'ZW_REDIS_PORT',
    group: 'engines',
    default: '0',
    zh: '嵌入式 Redis 首次启动时的端口（0 = 任一空闲端口）；此后保持不变，因为凭据中写明该端口。',
    en: 'Port of the embedded Redis at its first start (0 = any free port); kept after, because credentials name it.',
  },
  {
    name: 'ZW_POOL_CAPACITY',
    group: 'engines',
    default: '1000',
    zh: '每个引擎池最多容纳的实例数；放置实例时跳过已满的池。',
    en: 'Instances one engine pool may hold; placement skips a full pool.',
  },
  // ---- runtime ----
  {
    name: 'ZW_APPS_PUBLIC_URL',
    group: 'runtime',
    unset: {
      zh: '`http://<应用>.<租户>.localhost:<ZW_PORT>/`',
      en: '`http://<app>.<tenant>.localhost:<ZW_PORT>/`',
    },
    zh: '应用的对外地址（如 `https://apps.zhengwu.gov.cn`，前面有负载均衡和泛域名 DNS `*.*.apps.zhengwu.gov.cn`）：应用的 URL 为 `https://<应用>.<租户>.apps.zhengwu.gov.cn/`，路由按这个域名后缀匹配。',
    en: 'Where apps are reached (e.g. `https://apps.zhengwu.gov.cn`, behind a load balancer and a wildcard DNS record `*.*.apps.zhengwu.gov.cn`): app URLs become `https://<app>.<tenant>.apps.zhengwu.gov.cn/` and the router matches that domain suffix.',
  },
  {
    name: 'ZW_APP_RUNTIME',
    group: 'runtime',
    default: 'local',
    zh: '`local`：应用作为本进程受监管的子进程运行；`none`：只提供 API（由另一个副本运行应用）。',
    en: '`local`: apps run as supervised child processes of this process; `none`: API only (another replica runs the apps).',
  },
  {
    name: 'ZW_AUTOSCALE_INTERVAL_MS',
    group: 'runtime',
    default: '15000',
    zh: '自动伸缩检查每个进程的间隔（毫秒）。',
    en: 'How often (ms) the autoscaler looks at every scaled process.',
  },
  {
    name: 'ZW_OPERATION_WORKERS',
    group: 'runtime',
    default: '4',
    zh: '本进程同时执行的异步操作数（0–256）；0 表示本进程不执行操作。',
    en: 'Asynchronous operations this process runs at once (0–256); 0 runs none.',
  },
  // ---- quotas ----
  {
    name: 'ZW_DEFAULT_QUOTA_INSTANCES',
    group: 'quotas',
    default: '50',
    zh: '未设置自身配额的根租户（省）最多可用的服务实例数。',
    en: 'Service instances a root tenant (province) without limits of its own may use.',
  },
  {
    name: 'ZW_DEFAULT_QUOTA_APPS',
    group: 'quotas',
    default: '50',
    zh: '未设置自身配额的根租户最多可用的应用数。',
    en: 'Apps a root tenant without limits of its own may use.',
  },
  {
    name: 'ZW_DEFAULT_QUOTA_MEMORY_MB',
    group: 'quotas',
    default: '65536',
    zh: '未设置自身配额的根租户的内存总量（MiB，应用副本与实例合计）。',
    en: 'Memory (MiB, app replicas and instances together) of a root tenant without limits of its own.',
  },
  {
    name: 'ZW_DEFAULT_QUOTA_STORAGE_MB',
    group: 'quotas',
    default: '1048576',
    zh: '未设置自身配额的根租户的实例存储总量（MiB）。',
    en: 'Instance storage (MiB) of a root tenant without limits of its own.',
  },
  {
    name: 'ZW_DEFAULT_QUOTA_REPLICAS',
    group: 'quotas',
    default: '200',
    zh: '未设置自身配额的根租户的应用副本总数。',
    en: 'App replicas in total of a root tenant without limits of its own.',
  },
  // ---- osb ----
  {
    name: 'ZW_OSB_USERNAME',
    group: 'osb',
    unset: { zh: '不设置（`/v2` 返回 404）', en: 'unset (`/v2` answers 404)' },
    zh: '`/v2` 上 Open Service Broker API 的 HTTP Basic 用户名（不能含 `:`）；须与 `ZW_OSB_PASSWORD` 同时设置。',
    en: 'HTTP Basic user name of the Open Service Broker API at `/v2` (no `:`); set it together with `ZW_OSB_PASSWORD`.',
  },
  {
    name: 'ZW_OSB_PASSWORD',
    group: 'osb',
    unset: { zh: '不设置（`/v2` 返回 404）', en: 'unset (`/v2` answers 404)' },
    zh: 'Open Service Broker API 的 HTTP Basic 密码，至少 16 个字符。',
    en: 'HTTP Basic password of the Open Service Broker API, at least 16 characters.',
  },
];
