/**
 * The command tree: names, arguments, options and bilingual help. Handlers live in
 * `commands/*` and are imported only when their command runs, so `zw --help` loads nothing
 * but commander.
 */
import { Command } from 'commander';
import { type Ctx, createContext } from './context';
import type { CliIo } from './io';
import { define as account } from './tree/account';
import { define as admin } from './tree/admin';
import { define as apps } from './tree/apps';
import { define as deploy } from './tree/deploy';
import { define as services } from './tree/services';
import type { Leaf } from './tree/shared';
import { bilingualUsage } from './usage-messages';
import { VERSION } from './version';

/** A command handler: the context, the positional arguments, the parsed options. */
// biome-ignore lint/suspicious/noExplicitAny: arguments and options are typed by each handler.
export type Handler = (ctx: Ctx, args: any, opts: any) => Promise<void>;

const TITLES: Record<string, string> = {
  'Usage:': '用法 · Usage:',
  'Arguments:': '参数 · Arguments:',
  'Options:': '选项 · Options:',
  'Commands:': '命令 · Commands:',
  'Global Options:': '全局选项 · Global options:',
};

const EXIT_HELP = `
退出码 · Exit codes
  0 成功 · ok          1 失败 · failure        2 用法错误 · usage error
  3 未登录或无权限 · not authenticated or not permitted (401/403)
  4 不存在 · not found (404)   5 冲突或状态不允许 · conflict or invalid state (409)
  6 被拒绝：校验或配额 · refused: validation or quota (400/422)   130 中断 · interrupted

环境变量 · Environment
  ZHENGWU_URL, ZHENGWU_TOKEN   覆盖 zw login 保存的地址和令牌 · override what zw login stored
  NO_COLOR                     不使用颜色 · no colours
`;

/** Builds a fresh program writing to `io`; `run()` parses argv with it. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('zw');
  program
    .description(
      `zw ${VERSION} — 政务云平台命令行：登录、服务市场、服务实例、部署与应用管理\nthe Zhengwu government cloud command line: log in, browse the marketplace, provision services, deploy and run apps`,
    )
    .version(VERSION, '-v, --version', '显示版本 · show the version')
    .helpOption('-h, --help', '显示帮助 · show help')
    .helpCommand('help [command]', '显示某个命令的帮助 · show help for a command')
    .configureHelp({ styleTitle: (title) => TITLES[title] ?? title, sortSubcommands: false })
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      outputError: (text, write) => write(`用法错误 · Usage error: ${bilingualUsage(text)}`),
    })
    .showHelpAfterError('运行 zw <命令> --help 查看用法 · run zw <command> --help for usage')
    .exitOverride()
    .addHelpText('after', EXIT_HELP);

  /** Wires a lazily imported handler; every leaf command gets `--json`. */
  const leaf: Leaf = (command, load, name) =>
    withTenantScope(command)
      .option('--json', '输出 JSON（供脚本使用）· print JSON for scripts')
      .action(async (...args: unknown[]) => {
        const self = args.at(-1) as Command;
        const opts = self.opts();
        const handler = (await load())[name] as Handler;
        await handler(createContext(io, Boolean(opts.json)), args.slice(0, -2), opts);
      });
  for (const define of [account, services, apps, deploy, admin]) define(program, leaf);
  return program;
}

/**
 * Commands that find an app or a service instance by name get `--tenant`: names are unique
 * within a tenant only, so an administrator who sees several needs to say whose.
 */
function withTenantScope(command: Command): Command {
  const namesOne = command.registeredArguments.some((a) => ['app', 'instance'].includes(a.name()));
  const hasTenant = command.options.some((o) => o.long === '--tenant');
  if (!namesOne || hasTenant) return command;
  return command.option(
    '--tenant <tenant>',
    '名称重复时指定租户（ID 或名称）· the tenant, when several have the name (id or name)',
  );
}
