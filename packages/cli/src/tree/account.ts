/** The command definitions of login, logout, whoami and the marketplace: arguments, options, bilingual help. */
import type { Command } from 'commander';
import type { Leaf } from './shared';

export function define(program: Command, leaf: Leaf): void {
  const auth = () => import('../commands/auth');
  const market = () => import('../commands/marketplace');

  // ---- login ----
  leaf(
    program
      .command('login')
      .description(
        '登录平台：校验令牌并保存到本机（仅本人可读）· log in: verify a token and store it for this user (mode 600)',
      )
      .option(
        '--url <url>',
        '平台地址 · platform URL (default: ZHENGWU_URL, the stored one, http://127.0.0.1:7070)',
      )
      .option(
        '--token <token>',
        '令牌；省略时在终端中隐藏输入，否则用 ZHENGWU_TOKEN · token; prompted (hidden) on a terminal, else ZHENGWU_TOKEN',
      )
      .option('--with-token', '从标准输入读取令牌 · read the token from standard input'),
    auth,
    'login',
  );
  leaf(
    program.command('logout').description('删除本机保存的令牌 · forget the stored token'),
    auth,
    'logout',
  );
  leaf(
    program
      .command('whoami')
      .description('显示当前身份、租户和角色 · show who you are: principal, tenant, roles'),
    auth,
    'whoami',
  );

  // ---- marketplace ----
  leaf(
    program
      .command('marketplace')
      .alias('market')
      .description(
        '服务市场：服务、规格、容量、价格与合规标识（等保、国密、加密）· the catalog: services, plans, limits, prices and compliance marks',
      )
      .argument('[service]', "只看这个服务的规格详情 · show this service's plans in detail"),
    market,
    'marketplace',
  );
}
