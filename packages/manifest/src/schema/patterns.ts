/**
 * The string patterns of the manifest, each with the bilingual wording an error message
 * uses when a value does not match (a raw regular expression helps nobody).
 */

interface NamedPattern {
  readonly pattern: string;
  /** What a matching value looks like: "中文 · English". */
  readonly expected: string;
}

const named = <const P extends string>(pattern: P, expected: string) =>
  ({ pattern, expected }) as const satisfies NamedPattern;

/** App, resource and shared-instance names: a DNS label of 2–63 characters (the contract's `ResourceName`). */
export const NAME = named(
  '^[a-z][a-z0-9-]{0,61}[a-z0-9]$',
  '2–63 个字符的名称：小写字母开头，小写字母、数字和连字符，不以连字符结尾 · a name of 2–63 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen',
);

/** Process types (the contract's `ProcessType`). */
export const PROCESS = named(
  '^[a-z](?:[a-z0-9-]{0,28}[a-z0-9])?$',
  '1–30 个字符的进程名：小写字母开头，小写字母、数字和连字符，不以连字符结尾 · a process name of 1–30 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen',
);

/** Catalog service ids (the contract's `ServiceId`). */
export const SERVICE_ID = named(
  '^[a-z][a-z0-9-]{1,62}$',
  '目录服务 ID，如 postgresql · a catalog service id such as postgresql',
);

/** Plan ids (the contract's `PlanId`). */
export const PLAN_ID = named(
  '^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$',
  '规格 ID，如 dev、s、m · a plan id such as dev, s or m',
);

/** Environment variable names. */
export const ENV_NAME = named(
  '^[A-Za-z_][A-Za-z0-9_]*$',
  '环境变量名：字母或下划线开头，字母、数字和下划线 · an environment variable name: letters, digits and underscores, not starting with a digit',
);

/** Durations: hours, minutes and seconds, e.g. `90s`, `2m`, `1h30m`. */
export const DURATION = named(
  '^(?=\\d)(?:\\d+h)?(?:\\d+m)?(?:\\d+s)?$',
  '时长，如 60s、2m、1h30m · a duration such as 60s, 2m or 1h30m',
);

/** 5-field cron (minute hour day month weekday), as the contract's `CronExpression`. */
export const CRON = named(
  '^\\S+( \\S+){4}$',
  '5 段 cron 表达式（分 时 日 月 周），如 "0 8 * * 1-5" · a 5-field cron expression (minute hour day month weekday) such as "0 8 * * 1-5"',
);

/** IANA time zone names, as the contract's `TimeZone`. */
export const TIMEZONE = named(
  '^[A-Za-z]+(?:/[A-Za-z0-9_+-]+)*$',
  'IANA 时区，如 Asia/Shanghai · an IANA time zone such as Asia/Shanghai',
);

/** Label keys, as the contract's `Labels`. */
export const LABEL_KEY = named(
  '^[a-z][a-z0-9._/-]{0,62}$',
  '标签键：小写字母开头，1–63 个字符（小写字母、数字、. _ / -）· a label key of 1–63 characters (lowercase letters, digits, . _ / -) starting with a letter',
);

/** A URL path of a route: starts with `/`, no query or fragment. */
export const ROUTE_PATH = named(
  '^/[^\\s?#]*$',
  '以 / 开头的路径，不含查询串和片段 · a path starting with /, without query or fragment',
);

/** A path an HTTP probe requests (a query is allowed). */
export const PROBE_PATH = named('^/\\S*$', '以 / 开头的路径 · a path starting with /');

/** A DNS host name, lowercase. */
export const HOST = named(
  '^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$',
  '小写的 DNS 主机名，如 approval.example.gov.cn · a lowercase DNS host name such as approval.example.gov.cn',
);

/** Every named pattern, for error messages (`pattern` → wording). */
export const PATTERN_WORDING: ReadonlyMap<string, string> = new Map(
  [
    NAME,
    PROCESS,
    SERVICE_ID,
    PLAN_ID,
    ENV_NAME,
    DURATION,
    CRON,
    TIMEZONE,
    LABEL_KEY,
    ROUTE_PATH,
    PROBE_PATH,
    HOST,
  ].map((p) => [p.pattern, p.expected]),
);
