/** The command definitions of `zw tenants`, `zw tokens`, `zw audit`: arguments, options, bilingual help. */
import { type Command, Option } from 'commander';
import { integer, type Leaf, limit } from './shared';

export function define(program: Command, leaf: Leaf): void {
  const tenants = () => import('../commands/tenants');
  const tokens = () => import('../commands/tokens');
  const audit = () => import('../commands/audit');

  // ---- tenants ----
  const ten = program
    .command('tenants')
    .alias('tenant')
    .description(
      '租户（部门）：列表、详情、配额、新建、删除 · tenants (departments): list, details, quota, create, delete',
    );
  leaf(
    ten
      .command('list')
      .alias('ls')
      .description('列出可见的租户 · list the tenants you can see')
      .option('--parent <tenant>', '只列其直接下级 · only direct children of this tenant')
      .addOption(
        new Option('--level <level>', '只列该层级 · only this level').choices([
          'province',
          'city',
          'district',
          'township',
        ]),
      ),
    tenants,
    'list',
  );
  leaf(
    ten
      .command('show')
      .description('租户详情、配额与用量 · a tenant with its quota and usage')
      .argument(
        '[tenant]',
        '租户名称或 ID；默认为当前身份的租户 · tenant name or id; yours by default',
      ),
    tenants,
    'show',
  );
  leaf(
    ten
      .command('quota')
      .description(
        "查看或设置租户配额；不加选项时显示配额与用量 · show or set a tenant's quota; without options, shows quota and usage",
      )
      .argument('<tenant>', '租户名称或 ID · tenant name or id')
      .option('--instances <n>', '服务实例数 · service instances', limit)
      .option('--apps <n>', '应用数 · apps', limit)
      .option(
        '--memory-mb <n>',
        '应用副本和实例的内存总和（MiB）· memory of app replicas and instances together (MiB)',
        limit,
      )
      .option('--storage-mb <n>', '实例存储总和（MiB）· storage of instances together (MiB)', limit)
      .option('--replicas <n>', '应用副本总数 · app replicas in total', limit)
      .addHelpText(
        'after',
        "\n每个值为非负整数，或 inherit（继承上级的限额）；未给出的限额保持不变。需要上级租户的 tenant-admin 或 platform-admin。\nEach value is a whole number from 0, or inherit (take the parent's limit); limits not given keep their values. Takes tenant-admin on an ancestor, or platform-admin.\n\n示例 · Example\n  zw tenants quota hangzhou --instances 20 --memory-mb 65536 --replicas inherit\n",
      ),
    tenants,
    'quota',
  );
  leaf(
    ten
      .command('create')
      .description('新建下级租户 · create a child tenant')
      .argument('<name>', '名称（同级唯一）· name (unique among siblings)')
      .requiredOption('--zh <text>', '中文显示名 · Chinese display name')
      .requiredOption('--en <text>', '英文显示名 · English display name')
      .addOption(
        new Option('--level <level>', '行政层级 · administrative level')
          .choices(['province', 'city', 'district', 'township'])
          .makeOptionMandatory(),
      )
      .option(
        '--parent <tenant>',
        '上级租户；默认为当前身份的租户 · parent tenant; yours by default',
      )
      .option(
        '--root',
        '新建省级根租户（仅系统管理员）· create a province root (platform-admin only)',
      )
      .option('--region <code>', '行政区划代码（6 位）· region code (GB/T 2260, 6 digits)'),
    tenants,
    'create',
  );
  leaf(
    ten
      .command('delete')
      .alias('rm')
      .description(
        '删除没有下级、实例和应用的租户 · delete a tenant with no child tenants, instances or apps',
      )
      .argument('<tenant>', '租户名称或 ID · tenant name or id')
      .option('-y, --yes', '不再确认 · do not ask for confirmation'),
    tenants,
    'delete',
  );

  // ---- tokens ----
  const tok = program
    .command('tokens')
    .alias('token')
    .description('API 令牌：列表、新建、吊销 · API tokens: list, create, revoke');
  leaf(
    tok
      .command('list')
      .alias('ls')
      .description('列出令牌（不含密钥）· list tokens (never their secrets)')
      .option('--tenant <tenant>', '只列该租户 · only this tenant')
      .option('--include-revoked', '包括已吊销的 · include revoked tokens'),
    tokens,
    'list',
  );
  leaf(
    tok
      .command('create')
      .description('新建令牌；密钥只显示这一次 · create a token; its secret is shown this once')
      .argument('<name>', '用途说明 · what it is for')
      .addOption(
        new Option('--role <role>', '角色 · role')
          .choices(['tenant-admin', 'developer', 'auditor'])
          .default('developer'),
      )
      .option('--tenant <tenant>', '所属租户；默认为当前身份的租户 · tenant; yours by default')
      .option('--days <n>', '有效天数 · days of validity', integer(1, 366)),
    tokens,
    'create',
  );
  leaf(
    tok
      .command('revoke')
      .description('吊销令牌 · revoke a token')
      .argument('<token>', '令牌 ID（tok_…）或名称 · token id (tok_…) or name')
      .option('-y, --yes', '不再确认 · do not ask for confirmation'),
    tokens,
    'revoke',
  );

  // ---- audit ----
  leaf(
    program
      .command('audit')
      .description(
        '审计日志（HMAC-SM3 哈希链），--verify 校验链 · the audit log (HMAC-SM3 chain); --verify checks the chain',
      )
      .option(
        '--since <time>',
        '起始时间（ISO 时间或 24h、7d）· from this time (ISO time, or 24h, 7d)',
      )
      .option('--until <time>', '截止时间 · until this time')
      .option('--action <action>', '动作，如 instance.create · action, e.g. instance.create')
      .addOption(
        new Option('--outcome <outcome>', '结果 · outcome').choices([
          'success',
          'failure',
          'denied',
        ]),
      )
      .option('--principal <id>', '主体 ID · principal id')
      .option('--target <id>', '作用对象 ID · target id')
      .option('--limit <n>', '最多条数 · at most this many', integer(1, 10_000), 50)
      .option('--verify', '校验哈希链 · verify the hash chain'),
    audit,
    'audit',
  );
}
