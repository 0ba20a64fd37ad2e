/**
 * `pnpm --filter @zhengwu/example-deploy-template start`: deploys the approval template with
 * the SDK to the platform at ZHENGWU_URL (token in ZHENGWU_TOKEN), then deletes the app and
 * its instances again (pass `--keep` to keep them and open the URL yourself).
 */
import { Zhengwu } from '@zhengwu/sdk';
import { cleanUp, deployTemplate } from './deploy-template';

if (!process.env.ZHENGWU_URL || !process.env.ZHENGWU_TOKEN) {
  console.error(
    '请设置 ZHENGWU_URL 和 ZHENGWU_TOKEN · Set ZHENGWU_URL and ZHENGWU_TOKEN.\n' +
      '  pnpm start   # at the repository root: starts a platform and prints both',
  );
  process.exit(2);
}

const client = new Zhengwu();
try {
  const result = await deployTemplate(client);
  if (process.argv.includes('--keep')) {
    console.log(`⑥ 保留 · Kept ${result.appName}: ${result.url}`);
  } else {
    await cleanUp(client, result);
    console.log(
      `⑥ 清理 · Cleaned up: ${result.appName} and ${result.resources.join(', ')} deleted`,
    );
  }
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
