/** The command definitions of `zw services …`: arguments, options, bilingual help. */
import type { Command } from 'commander';
import { collect, integer, type Leaf } from './shared';

export function define(program: Command, leaf: Leaf): void {
  const services = () => import('../commands/services');

  // ---- services ----
  const svc = program
    .command('services')
    .alias('service')
    .description(
      '服务实例：开通、变更、绑定、解绑、凭据、轮换、删除 · service instances: provision, update, bind, unbind, credentials, rotate, delete',
    );
  leaf(
    svc
      .command('create')
      .description('开通服务实例 · provision a service instance')
      .argument('<service>', '服务 ID，如 postgresql · service id, e.g. postgresql')
      .argument('<plan>', '规格 ID，如 dev、s · plan id, e.g. dev, s')
      .argument('<name>', '实例名称（租户内唯一）· instance name (unique in the tenant)')
      .option(
        '--param <key=value>',
        '开通参数，可重复；值按 JSON 解析 · a parameter, repeatable; the value is read as JSON when it parses',
        collect,
      )
      .option('--params <json>', '全部开通参数（JSON 对象）· all parameters as a JSON object')
      .option('--tenant <tenant>', '所属租户（ID 或名称）· owning tenant (id or name)')
      .option('--wait', '等待实例就绪 · wait until the instance is ready')
      .addHelpText(
        'after',
        '\n示例 · Example\n  zw services create postgresql s approval-db --param extensions=\'["pg_trgm"]\' --wait\n',
      ),
    services,
    'create',
  );
  leaf(
    svc
      .command('list')
      .alias('ls')
      .description('列出服务实例 · list service instances')
      .option('--service <service>', '只列该服务 · only this service')
      .option('--tenant <tenant>', '只列该租户 · only this tenant (id or name)'),
    services,
    'list',
  );
  leaf(
    svc
      .command('show')
      .description('实例详情及其绑定 · an instance and its bindings')
      .argument('<instance>', '实例名称或 ID · instance name or id'),
    services,
    'show',
  );
  leaf(
    svc
      .command('update')
      .description("变更服务实例的规格或参数 · change a service instance's plan or parameters")
      .argument('<instance>', '实例名称或 ID · instance name or id')
      .option('--plan <plan>', '新规格 ID，如 m · the new plan id, e.g. m')
      .option(
        '--param <key=value>',
        '要修改的参数，可重复；值按 JSON 解析 · a parameter to change, repeatable; the value is read as JSON when it parses',
        collect,
      )
      .option(
        '--params <json>',
        '要修改的参数（JSON 对象）· parameters to change, as a JSON object',
      )
      .option('--wait', '等待变更完成 · wait until the update is done')
      .addHelpText(
        'after',
        '\n至少给出 --plan 或 --param；未给出的参数保持不变。\nGive --plan or --param (or both); parameters not given keep their values.\n\n示例 · Example\n  zw services update approval-db --plan m --param extensions=\'["uuid-ossp"]\' --wait\n',
      ),
    services,
    'update',
  );
  leaf(
    svc
      .command('bind')
      .description(
        '创建绑定（一组凭据），可注入应用 · create a binding (a set of credentials), optionally for an app',
      )
      .argument('<instance>', '实例名称或 ID · instance name or id')
      .option('--app <app>', '注入凭据的应用 · the app that gets the credentials')
      .option('--as <name>', '绑定名称；默认为应用名 · binding name; the app name by default')
      .option(
        '--param <key=value>',
        '绑定参数，可重复 · a binding parameter, repeatable (e.g. readOnly=true)',
        collect,
      )
      .option('--wait', '等待绑定就绪 · wait until the binding is ready'),
    services,
    'bind',
  );
  leaf(
    svc
      .command('unbind')
      .description('删除绑定并吊销其凭据 · delete a binding and revoke its credentials')
      .argument('<binding>', '绑定 ID、名称，或 实例/绑定 · binding id, name, or instance/binding')
      .option('-y, --yes', '不再确认 · do not ask for confirmation')
      .option('--wait', '等待删除完成 · wait until deleted'),
    services,
    'unbind',
  );
  leaf(
    svc
      .command('keys')
      .description(
        "显示绑定凭据（机密，勿外传）· show a binding's credentials (secret: keep them out of logs)",
      )
      .argument('<binding>', '绑定 ID、名称，或 实例/绑定 · binding id, name, or instance/binding'),
    services,
    'keys',
  );
  leaf(
    svc
      .command('rotate')
      .description("轮换绑定凭据 · rotate a binding's credentials")
      .argument('<binding>', '绑定 ID、名称，或 实例/绑定 · binding id, name, or instance/binding')
      .option(
        '--grace <seconds>',
        '旧凭据继续有效的秒数 · seconds the old credentials stay valid',
        integer(0, 86_400),
      )
      .option('--wait', '等待轮换完成 · wait until rotated'),
    services,
    'rotate',
  );
  leaf(
    svc
      .command('delete')
      .alias('rm')
      .description('删除服务实例（数据将丢失）· delete a service instance (its data is lost)')
      .argument('<instance>', '实例名称或 ID · instance name or id')
      .option('--force', '连同绑定一起删除 · delete its bindings too')
      .option('-y, --yes', '不再确认 · do not ask for confirmation')
      .option('--wait', '等待删除完成 · wait until deleted'),
    services,
    'delete',
  );
}
