/**
 * commander's parse errors are English only: each known one gets its Chinese lead here
 * (the English stays, so the exact option or value is never lost in translation).
 */
const TRANSLATIONS: [RegExp, (...groups: string[]) => string][] = [
  [/^unknown command '([^']+)'/, (c) => `未知命令 ${c}`],
  [/^unknown option '([^']+)'/, (o) => `未知选项 ${o}`],
  [/^missing required argument '([^']+)'/, (a) => `缺少参数 ${a}`],
  [/^required option '([^']+)' not specified/, (o) => `缺少必需的选项 ${o}`],
  [/^option '([^']+)' argument missing/, (o) => `选项 ${o} 缺少值`],
  [/^too many arguments/, () => '参数过多'],
  [/^option '([^']+)' argument '([^']*)' is invalid/, (o, v) => `选项 ${o} 的值 ${v} 无效`],
  [/^command-argument value '([^']*)' is invalid/, (v) => `参数值 ${v} 无效`],
];

/** `unknown command 'servics'` → `未知命令 servics · unknown command 'servics'`. */
export function bilingualUsage(message: string): string {
  const text = message.replace(/^error: /, '').trimEnd();
  const lines = text.split('\n');
  const first = lines[0] ?? '';
  for (const [pattern, zh] of TRANSLATIONS) {
    const match = pattern.exec(first);
    if (match) {
      lines[0] = `${zh(...match.slice(1))} · ${first}`;
      break;
    }
  }
  return `${lines
    .map((line) =>
      line
        .replace(
          /\(Did you mean (one of )?(.+)\?\)/,
          (_, one: string | undefined, names: string) =>
            `（是否想输入${one ? '以下之一：' : ' '}${names}？· Did you mean ${one ?? ''}${names}?）`,
        )
        .replace(/Allowed choices are (.+)\.$/, '可选值 · Allowed choices are $1.'),
    )
    .join('\n')}\n`;
}
