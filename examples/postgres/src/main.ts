/**
 * `pnpm --filter @zhengwu/example-postgres start`: runs the PostgreSQL example against the
 * platform at ZHENGWU_URL with the token in ZHENGWU_TOKEN, then removes what it made (pass
 * `--keep` to keep the instance and its binding).
 */
import { Zhengwu } from '@zhengwu/sdk';
import { cleanUp, postgres } from './postgres';

if (!process.env.ZHENGWU_URL || !process.env.ZHENGWU_TOKEN) {
  console.error(
    '请设置 ZHENGWU_URL 和 ZHENGWU_TOKEN · Set ZHENGWU_URL and ZHENGWU_TOKEN.\n' +
      '  pnpm start   # at the repository root: starts a platform and prints both',
  );
  process.exit(2);
}

const client = new Zhengwu();
try {
  const result = await postgres(client);
  if (process.argv.includes('--keep')) {
    console.log(`⑤ 保留 · Kept ${result.instanceId} and its binding ${result.bindingId}`);
  } else {
    await cleanUp(client, result);
    console.log('⑤ 清理 · Cleaned up: binding and instance deleted');
  }
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
