#!/usr/bin/env node
/**
 * `pnpm start` / `zhengwu-platform`: runs the control plane until SIGTERM or SIGINT, then
 * stops gracefully (in-flight requests finish, embedded engines stop).
 * `zhengwu-platform rotate-master-key` re-wraps the tenants' data keys with a new master key.
 */
import { rotateMasterKey } from './commands/rotate-master-key';
import { ConfigError, loadConfig, type PlatformConfig } from './config';
import { startPlatform } from './platform';
import { checkPortsFree, explainStartError } from './start-errors';

let config: PlatformConfig | undefined;
try {
  config = loadConfig();
  const command = process.argv[2];
  if (command === 'rotate-master-key') process.exit(await rotateMasterKey(config));
  if (command !== undefined) {
    console.error(
      `未知命令 · Unknown command "${command}". Usage: zhengwu-platform [rotate-master-key]`,
    );
    process.exit(2);
  }
  await checkPortsFree(config);
  const platform = await startPlatform(config);
  console.log(`政务云平台已启动 · Zhengwu platform is running at ${platform.url}`);
  console.log(
    `  数据目录 · data dir: ${config.dataDir}${config.databaseUrl ? ' (external PostgreSQL)' : ' (embedded PostgreSQL)'}`,
  );
  if (platform.adminToken) {
    console.log(
      '\n平台管理员令牌（仅显示一次）· Platform-admin token (shown once, also in <data dir>/admin-token):',
    );
    console.log(`  ${platform.adminToken}\n`);
    console.log(`  export ZHENGWU_URL=${platform.url} ZHENGWU_TOKEN=${platform.adminToken}\n`);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`收到 ${signal}，正在停止 · ${signal}: stopping`);
    await platform.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`配置错误 · Configuration error: ${error.message}`);
    process.exit(2);
  }
  const known = config && explainStartError(error, config);
  if (known) console.error(`启动失败 · Failed to start: ${known}`);
  else console.error('启动失败 · Failed to start:', error);
  process.exit(1);
}
