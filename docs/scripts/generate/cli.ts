/**
 * `/reference/cli`: every `zw` command, walked from the commander tree `buildProgram` builds
 * (the same one `zw` runs). Building it defines commands only; no handler runs.
 */
import type { CliIo } from '../../../packages/cli/src/io';
import { buildProgram } from '../../../packages/cli/src/program';
import { cell, code, colon, fence, half, type Locale, page, prefix, t, table } from './markdown';

type Command = ReturnType<typeof buildProgram>;
type Option = Command['options'][number];
type Argument = Command['registeredArguments'][number];

/** What the program writes (only help, here: nothing is parsed or run). */
let written = '';
const sink = {
  write: (text: string) => {
    written += text;
    return true;
  },
};
const io: CliIo = { stdout: sink, stderr: sink, env: {} };

/** Help text is `中文 · English`, or a Chinese line and an English line. */
function localized(text: string, locale: Locale): string {
  const lines = text.split('\n');
  if (lines.length === 2) return lines[locale === 'zh' ? 0 : 1]!.trim();
  return half(text, locale);
}

/** `zw services create`: the names from the root down. */
function pathOf(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

const anchorOf = (command: Command) =>
  command.parent ? pathOf(command).split(' ').slice(1).join('-') : 'zw';

/**
 * Text added with `addHelpText('after', …)` (examples, exit codes, environment): what
 * `--help` prints after the generated part.
 */
function helpAfter(command: Command): string {
  written = '';
  command.outputHelp();
  const generated = command.helpInformation();
  const at = written.indexOf(generated);
  if (at < 0) throw new Error(`unexpected help output of ${pathOf(command)}`);
  return written.slice(at + generated.length).trim();
}

const value = (v: unknown) => code(Array.isArray(v) ? v.join(',') : String(v));

function argumentsTable(args: readonly Argument[], locale: Locale): string | undefined {
  if (args.length === 0) return undefined;
  return table(
    t(locale, '参数|必填|默认值|说明', 'Argument|Required|Default|Description').split('|'),
    args.map((arg) => {
      const choices = arg.argChoices
        ? `<br>${t(locale, '可选值', 'One of')}${colon(locale)}${arg.argChoices.map(code).join(', ')}`
        : '';
      return [
        code(`${arg.name()}${arg.variadic ? '...' : ''}`),
        arg.required ? t(locale, '是', 'yes') : '',
        arg.defaultValue === undefined ? '—' : value(arg.defaultValue),
        cell(localized(arg.description, locale)) + choices,
      ];
    }),
  );
}

function optionsTable(options: readonly Option[], locale: Locale): string | undefined {
  if (options.length === 0) return undefined;
  return table(
    t(locale, '选项|默认值|说明', 'Option|Default|Description').split('|'),
    options.map((option) => {
      const notes = [cell(localized(option.description, locale))];
      if (option.argChoices) {
        notes.push(
          `${t(locale, '可选值', 'One of')}${colon(locale)}${option.argChoices.map(code).join(', ')}`,
        );
      }
      if (option.mandatory) notes.push(t(locale, '必填', 'Required'));
      // `--no-x` options default to true; that is their meaning, not a value to show.
      const shown = option.defaultValue !== undefined && !option.negate;
      return [code(option.flags), shown ? value(option.defaultValue) : '—', notes.join('<br>')];
    }),
  );
}

function commandsTable(command: Command, locale: Locale): string | undefined {
  const subcommands = command.createHelp().visibleCommands(command);
  if (subcommands.length === 0) return undefined;
  return table(
    t(locale, '命令|别名|说明', 'Command|Aliases|Description').split('|'),
    subcommands.map((sub) => {
      const name = `${pathOf(command)} ${sub.name()}`;
      // The implicit `help` command has no section of its own.
      const documented = command.commands.includes(sub);
      return [
        documented ? `[${code(name)}](#${anchorOf(sub)})` : code(`${name} ${sub.usage()}`),
        sub.aliases().map(code).join(' ') || '—',
        cell(localized(sub.summary() || sub.description(), locale)),
      ];
    }),
  );
}

function commandSection(command: Command, depth: number, locale: Locale): string[] {
  const help = command.createHelp();
  const visible = help.visibleCommands(command);
  const heading = '#'.repeat(Math.min(depth, 4));
  const after = helpAfter(command);
  const args = argumentsTable(help.visibleArguments(command), locale);
  const options = optionsTable(help.visibleOptions(command), locale);
  const subcommands = commandsTable(command, locale);
  const section = [
    `${heading} ${code(pathOf(command))} {#${anchorOf(command)}}`,
    cell(localized(command.description(), locale).replace(/^zw \S+ — /, '')),
    fence('sh', `${pathOf(command)} ${command.usage()}`),
    ...(command.aliases().length > 0
      ? [`${t(locale, '别名', 'Aliases')}${colon(locale)}${command.aliases().map(code).join(' ')}`]
      : []),
    ...(args ? [`**${t(locale, '参数', 'Arguments')}**`, args] : []),
    ...(options ? [`**${t(locale, '选项', 'Options')}**`, options] : []),
    ...(subcommands ? [`**${t(locale, '子命令', 'Commands')}**`, subcommands] : []),
    ...(after ? [fence('text', after)] : []),
  ].join('\n\n');
  // Top-level commands are sections of their own, like the program; theirs nest below.
  const next = command.parent ? depth + 1 : depth;
  const children = command.commands
    .filter((sub) => visible.includes(sub))
    .flatMap((sub) => commandSection(sub, next, locale));
  return [section, ...children];
}

function cliPage(locale: Locale): string {
  const program = buildProgram(io);
  const p = prefix(locale);
  return page(
    [
      `# ${t(locale, '命令行参考', 'CLI reference')}`,
      t(
        locale,
        `${code('zw')} 的全部命令，由它的命令定义生成（与 ${code('zw <命令> --help')} 的内容一致）。安装：${code('npm install -g @zhengwu/cli')}（Node 20.19+）；在本仓库中用 ${code('pnpm zw <命令>')}。每个命令都支持 ${code('--json')}，供脚本使用。`,
        `Every command of ${code('zw')}, generated from its command definitions (what ${code('zw <command> --help')} prints). Install it with ${code('npm install -g @zhengwu/cli')} (Node 20.19+); in this repository run ${code('pnpm zw <command>')}. Every command takes ${code('--json')} for scripts.`,
      ),
      t(
        locale,
        `命令调用的接口见 [HTTP API 参考](${p}/reference/http/)，平台的配置见[配置参考](${p}/operator/configuration)。`,
        `The calls behind the commands are in the [HTTP API reference](${p}/reference/http/); the platform's settings in the [Configuration reference](${p}/operator/configuration).`,
      ),
      ...commandSection(program, 2, locale),
    ].join('\n\n'),
  );
}

export function cliPages(): Map<string, string> {
  return new Map([
    ['reference/cli.md', cliPage('zh')],
    ['en/reference/cli.md', cliPage('en')],
  ]);
}
