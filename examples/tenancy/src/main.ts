/**
 * `pnpm --filter @zhengwu/example-tenancy start`: runs the tenancy example against the
 * platform at ZHENGWU_URL with the platform-admin token in ZHENGWU_TOKEN, then removes what
 * it created (pass `--keep` to keep the tenants).
 */
import { Zhengwu } from '@zhengwu/sdk';
import { cleanUp, tenancy } from './tenancy';

if (!process.env.ZHENGWU_URL || !process.env.ZHENGWU_TOKEN) {
  console.error(
    '请设置 ZHENGWU_URL 和 ZHENGWU_TOKEN（平台管理员令牌）· Set ZHENGWU_URL and ZHENGWU_TOKEN (a platform-admin token).\n' +
      '  pnpm start   # at the repository root: starts a platform and prints both',
  );
  process.exit(2);
}

const admin = new Zhengwu();
try {
  const result = await tenancy(admin);
  if (process.argv.includes('--keep')) {
    console.log(`⑥ 保留 · Kept ${result.provinceId} and ${result.cityId}`);
  } else {
    await cleanUp(admin, result);
    console.log('⑥ 清理 · Cleaned up: city and province deleted, the token with them');
  }
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
