/**
 * Bilingual messages for the JSON Schema keywords the manifest schema uses. Every message
 * is `中文 · English`, the wording a person reads next to the file position.
 */
import type { ErrorObject } from 'ajv';
import { PATTERN_WORDING } from './schema/patterns';

const TYPE_WORDS: Record<string, readonly [string, string]> = {
  string: ['字符串', 'a string'],
  integer: ['整数', 'an integer'],
  number: ['数字', 'a number'],
  boolean: ['布尔值（true 或 false）', 'a boolean (true or false)'],
  object: ['映射（键: 值）', 'a mapping (key: value)'],
  array: ['列表', 'a list'],
  null: ['空值', 'null'],
};

/** Splits `中文 · English` wording into its two halves. */
function halves(wording: string): [string, string] {
  const match = /\s?· /.exec(wording);
  return match
    ? [wording.slice(0, match.index), wording.slice(match.index + match[0].length)]
    : [wording, wording];
}

const bilingual = (zh: string, en: string) => `${zh} · ${en}`;

function typeMessage(types: string): string {
  const words = types.split(',').map((t) => TYPE_WORDS[t] ?? [t, t]);
  return bilingual(
    `必须是${words.map((w) => w[0]).join('或')}`,
    `must be ${words.map((w) => w[1]).join(' or ')}`,
  );
}

const list = (values: readonly unknown[], sep: string) =>
  values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(sep);

/** The message for one ajv error (keyword by keyword; ajv's English as the last resort). */
export function messageOf(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return typeMessage(String(p.type));
    case 'required':
      return bilingual('缺少必填项', 'is required');
    case 'additionalProperties': {
      const allowed = Object.keys(
        (error.parentSchema as { properties?: object } | undefined)?.properties ?? {},
      );
      return allowed.length > 0
        ? bilingual(
            `未知的键，可用的键：${allowed.join('、')}`,
            `unknown key; allowed: ${allowed.join(', ')}`,
          )
        : bilingual('未知的键', 'unknown key');
    }
    case 'pattern': {
      const wording = PATTERN_WORDING.get(String(p.pattern));
      if (!wording) return bilingual(`格式不对（${p.pattern}）`, `must match ${p.pattern}`);
      const [zh, en] = halves(wording);
      return bilingual(`应为${zh}`, `must be ${en}`);
    }
    case 'format':
      return p.format === 'date-time'
        ? bilingual(
            '应为带时区偏移的 RFC 3339 日期时间，如 2027-05-01T00:00:00+08:00',
            'must be an RFC 3339 date-time with offset such as 2027-05-01T00:00:00+08:00',
          )
        : bilingual(`格式应为 ${p.format}`, `must be a valid ${p.format}`);
    case 'minimum':
      return bilingual(`不能小于 ${p.limit}`, `must be >= ${p.limit}`);
    case 'maximum':
      return bilingual(`不能大于 ${p.limit}`, `must be <= ${p.limit}`);
    case 'minLength':
      return p.limit === 1
        ? bilingual('不能为空', 'must not be empty')
        : bilingual(`至少 ${p.limit} 个字符`, `must have at least ${p.limit} characters`);
    case 'maxLength':
      return bilingual(`最多 ${p.limit} 个字符`, `must have at most ${p.limit} characters`);
    case 'minProperties':
      return p.limit === 1 && error.instancePath.endsWith('/target')
        ? bilingual(
            '需要一项指标：cpu 或 requestsPerSecond',
            'needs one metric: cpu or requestsPerSecond',
          )
        : bilingual(`至少要有 ${p.limit} 项`, `must have at least ${p.limit} entries`);
    case 'maxProperties':
      return p.limit === 1 && error.instancePath.endsWith('/target')
        ? bilingual(
            '只能有一项指标：cpu 或 requestsPerSecond',
            'only one metric: cpu or requestsPerSecond',
          )
        : bilingual(`最多 ${p.limit} 项`, `must have at most ${p.limit} entries`);
    case 'minItems':
      return bilingual(`至少要有 ${p.limit} 项`, `must have at least ${p.limit} items`);
    case 'maxItems':
      return bilingual(`最多 ${p.limit} 项`, `must have at most ${p.limit} items`);
    case 'enum': {
      const values = (p.allowedValues as unknown[]) ?? [];
      return bilingual(`只能是 ${list(values, '、')}`, `must be one of: ${list(values, ', ')}`);
    }
    case 'const':
      return bilingual(
        `必须是 ${list([p.allowedValue], '')}`,
        `must be ${list([p.allowedValue], '')}`,
      );
    default:
      return bilingual('不符合清单结构', error.message ?? `fails ${error.keyword}`);
  }
}
