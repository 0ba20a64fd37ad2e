/**
 * Tests that need real services read them from env (DATABASE_URL, S3_*, …). When one is
 * missing: with CI=true the test file fails (a CI run must test for real), otherwise its
 * tests are skipped with the reason printed.
 * @param {string[]} names
 * @returns {string | false} a skip reason, or false when everything is set
 */
export function needEnv(names) {
  const missing = names.filter((name) => !process.env[name]);
  if (missing.length === 0) return false;
  const reason = `缺少环境变量 · missing env: ${missing.join(', ')}`;
  if (process.env.CI) throw new Error(`${reason} (CI=true: these tests must run)`);
  console.log(`# skipping: ${reason}`);
  return reason;
}

export const SERVICES_ENV = [
  'DATABASE_URL',
  'S3_ENDPOINT',
  'S3_BUCKET',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
];
