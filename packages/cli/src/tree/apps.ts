/** The command definitions of `zw apps …`: arguments, options, bilingual help. */
import { type Command, Option } from 'commander';
import { integer, type Leaf } from './shared';

export function define(program: Command, leaf: Leaf): void {
  const apps = () => import('../commands/apps');

  // ---- apps ----
  const app = program
    .command('apps')
    .alias('app')
    .description(
      '应用：状态、日志、配置、伸缩、回滚、重启、删除 · apps: status, logs, config, scale, rollback, restart, delete',
    );
  leaf(
    app
      .command('list')
      .alias('ls')
      .description('列出应用 · list apps')
      .option('--tenant <tenant>', '只列该租户 · only this tenant (id or name)'),
    apps,
    'list',
  );
  leaf(
    app
      .command('show')
      .description('应用详情：进程、地址、最近发布 · an app: processes, URL, recent releases')
      .argument('<app>', '应用名称或 ID · app name or id'),
    apps,
    'show',
  );
  leaf(
    app
      .command('logs')
      .description(
        '查看日志，-f 持续跟踪（Ctrl+C 结束）· print logs; -f keeps following (Ctrl+C stops)',
      )
      .argument('<app>', '应用名称或 ID · app name or id')
      .option('-f, --follow', '持续输出新日志 · keep printing new entries')
      .option('--tail <n>', '最近多少条 · how many recent entries', integer(0, 10_000), 100)
      .option('--process <type>', '只看该进程类型 · only this process type (web, worker…)')
      .addOption(
        new Option('--source <source>', '只看该来源 · only this source').choices([
          'app',
          'build',
          'release',
          'router',
          'platform',
        ]),
      )
      .option(
        '--since <time>',
        '只看此后的日志（ISO 时间或 10m、2h、1d）· only entries after this (ISO time, or 10m, 2h, 1d)',
      ),
    apps,
    'logs',
  );
  leaf(
    app
      .command('scale')
      .description(
        "设置进程副本数或每副本内存 · set a process type's replicas or memory per replica",
      )
      .argument('<app>', '应用名称或 ID · app name or id')
      .option(
        '--replicas <n>',
        '副本数（缺省不变）· replicas (unchanged if left out)',
        integer(0, 100),
      )
      .option('--process <type>', '进程类型 · process type', 'web')
      .option(
        '--memory <mb>',
        '每个副本的内存（MiB）· memory per replica (MiB)',
        integer(64, 65_536),
      ),
    apps,
    'scale',
  );
  leaf(
    app
      .command('rollback')
      .description(
        '回滚到之前成功的发布（默认上一个）· roll back to an earlier successful release (the previous one by default)',
      )
      .argument('<app>', '应用名称或 ID · app name or id')
      .option(
        '--to <version>',
        '目标版本号（如 3 或 v3）或发布 ID · target version (3 or v3) or release id',
      )
      .option('--wait', '等待回滚完成 · wait until rolled back'),
    apps,
    'rollback',
  );
  leaf(
    app
      .command('env')
      .description(
        '查看或修改配置变量（覆盖清单中的同名变量），下次发布或重启时生效 · show or change config vars (they override the manifest), in force at the next release or restart',
      )
      .argument('<app>', '应用名称或 ID · app name or id')
      .argument('[assignments...]', 'KEY=VALUE，设置变量 · KEY=VALUE pairs to set')
      .option('--unset <key...>', '删除变量 · remove these variables')
      .option('--restart', '修改后滚动重启并等待 · rolling-restart after the change and wait'),
    apps,
    'env',
  );
  leaf(
    app
      .command('restart')
      .description('滚动重启 · rolling restart')
      .argument('<app>', '应用名称或 ID · app name or id')
      .option('--process <type>', '只重启该进程类型 · only this process type')
      .option('--wait', '等待重启完成 · wait until restarted'),
    apps,
    'restart',
  );
  leaf(
    app
      .command('delete')
      .alias('rm')
      .description(
        '删除应用（停止所有副本并移除路由）· delete an app (stops its replicas, removes its routes)',
      )
      .argument('<app>', '应用名称或 ID · app name or id')
      .option('-y, --yes', '不再确认 · do not ask for confirmation')
      .option('--wait', '等待删除完成 · wait until deleted'),
    apps,
    'delete',
  );
}
