/**
 * `zw-mock`: runs the mock platform as a local HTTP server.
 *
 *   zw-mock serve --port 7070 [--host 127.0.0.1] [--token X] [--operation-steps N]
 */
import { parseArgs } from 'node:util';
import { VERSION } from '../version';
import { startMockServer } from './server';

const HELP = `zw-mock ${VERSION} — 政务云平台离线模拟服务 · the Zhengwu platform, simulated offline

用法 · Usage
  zw-mock serve [选项 · options]
  zw-mock --help | --version

zw-mock serve 在本机启动一个模拟平台：内存中的租户、服务目录、实例、绑定、应用和审计日志，
与 @zhengwu/sdk 使用同一份 API 契约。数据不会持久化，停止即清空。凭据是假的，无法连接。

zw-mock serve starts a mock platform on this machine: tenants, the service catalog,
instances, bindings, apps and the audit log, in memory, on the same API contract as
@zhengwu/sdk. Nothing is persisted; stopping it forgets everything. Credentials are fake.

选项 · Options
  -p, --port <端口 port>           监听端口，0 表示任选空闲端口 · port to listen on, 0 for any free port (default 7070)
      --host <地址 address>        监听地址，默认只监听本机 · address to listen on, loopback by default (default 127.0.0.1)
      --token <令牌 token>         平台管理员令牌 · the platform administrator's token (default: MOCK_TOKEN)
      --operation-steps <次数 n>   异步操作完成前需要轮询的次数 · polls before an operation finishes (default 1; 0 = at once)
  -h, --help                       显示本帮助 · show this help
  -v, --version                    显示版本 · show the version

示例 · Example
  zw-mock serve --port 7070
  export ZHENGWU_URL=http://127.0.0.1:7070 ZHENGWU_TOKEN=<启动时打印的令牌 · the token it prints>
`;

function fail(message: string): never {
  process.stderr.write(
    `zw-mock: ${message}\n运行 zw-mock --help 查看用法 · Run zw-mock --help for usage.\n`,
  );
  process.exit(2);
}

function integer(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    fail(
      `--${name} 须为 ${min}–${max} 的整数 · --${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

async function main(argv: string[]): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === 'help') {
    process.stdout.write(HELP);
    return;
  }
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  if (positionals[0] !== 'serve' || positionals.length > 1) {
    if (positionals.length === 0) {
      process.stderr.write(HELP);
      process.exit(2);
    }
    fail(`未知命令 · unknown command: ${positionals.join(' ')}`);
  }
  const port = integer('port', values.port, 0, 65535) ?? 7070;
  const operationSteps = integer('operation-steps', values['operation-steps'], 0, 1000);
  let mock: Awaited<ReturnType<typeof startMockServer>>;
  try {
    mock = await startMockServer({
      port,
      host: values.host ?? '127.0.0.1',
      ...(values.token !== undefined && { token: values.token }),
      ...(operationSteps !== undefined && { operationSteps }),
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    process.stderr.write(
      e.code === 'EADDRINUSE'
        ? `zw-mock: 端口 ${port} 已被占用 · port ${port} is already in use (try --port 0)\n`
        : `zw-mock: 无法启动 · could not start: ${e.message}\n`,
    );
    process.exit(1);
  }
  process.stdout.write(
    [
      '政务云模拟平台已启动 · Zhengwu mock platform is running',
      `  URL    ${mock.url}`,
      `  Token  ${mock.platform.token}`,
      '',
      `  export ZHENGWU_URL=${mock.url} ZHENGWU_TOKEN=${mock.platform.token}`,
      '',
      '按 Ctrl+C 停止 · Press Ctrl+C to stop',
      '',
    ].join('\n'),
  );
  const stop = (signal: string) => {
    process.stdout.write(`\n收到 ${signal}，正在停止 · ${signal} received, stopping\n`);
    mock.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      token: { type: 'string' },
      'operation-steps': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`zw-mock: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
