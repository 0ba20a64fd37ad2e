/**
 * `pnpm --filter @zhengwu/example-rotate-credentials start`: runs the rotation example
 * against the platform at ZHENGWU_URL with the token in ZHENGWU_TOKEN, then removes what it
 * made (pass `--keep` to keep the instance and its binding).
 */
import { Zhengwu } from '@zhengwu/sdk';
import { cleanUp, rotateCredentials } from './rotate-credentials';

if (!process.env.ZHENGWU_URL || !process.env.ZHENGWU_TOKEN) {
  console.error(
    '请设置 ZHENGWU_URL 和 ZHENGWU_TOKEN · Set ZHENGWU_URL and ZHENGWU_TOKEN.\n' +
      '  pnpm start   # at the repository root: starts a platform and prints both',
  );
  process.exit(2);
}

const client = new Zhengwu();
try {
  const result = await rotateCredentials(client);
  if (process.argv.includes('--keep')) {
    console.log(`⑥ 保留 · Kept ${result.instanceId} and its binding ${result.bindingId}`);
  } else {
    await cleanUp(client, result);
    console.log('⑥ 清理 · Cleaned up: instance and binding deleted');
  }
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
