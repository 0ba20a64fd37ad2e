/**
 * `pnpm --filter @zhengwu/example-app-logs start`: deploys a tiny app to the platform at
 * ZHENGWU_URL (token in ZHENGWU_TOKEN), shows a request's log line arriving on the app's log
 * stream, stops the stream with an AbortSignal, and deletes the app (`--keep` keeps it).
 */
import { Zhengwu } from '@zhengwu/sdk';
import { appLogs, cleanUp } from './app-logs';

if (!process.env.ZHENGWU_URL || !process.env.ZHENGWU_TOKEN) {
  console.error(
    '请设置 ZHENGWU_URL 和 ZHENGWU_TOKEN · Set ZHENGWU_URL and ZHENGWU_TOKEN.\n' +
      '  pnpm start   # at the repository root: starts a platform and prints both',
  );
  process.exit(2);
}

const client = new Zhengwu();
try {
  const result = await appLogs(client);
  if (process.argv.includes('--keep')) {
    console.log(`⑤ 保留 · Kept ${result.appName}: ${result.url}`);
  } else {
    await cleanUp(client, result);
    console.log(`⑤ 清理 · Cleaned up: ${result.appName} deleted`);
  }
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
