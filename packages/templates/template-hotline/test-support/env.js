/**
 * Tests that need real services read them from env (DATABASE_URL, MQ_URL, …). When one is
 * missing: with CI=true the test file fails (a CI run must test for real), otherwise its
 * tests are skipped with the reason printed.
 * @param {string[]} names
 * @returns {string | false} a skip reason, or false when everything is set
 */
export function needEnv(names) {
  return skipWhenMissing(names.filter((name) => !process.env[name]));
}

/**
 * The same decision for settings found missing otherwise (e.g. by the app's own check).
 * @param {string[]} missing
 * @returns {string | false}
 */
export function skipWhenMissing(missing) {
  if (missing.length === 0) return false;
  const reason = `缺少环境变量 · missing env: ${missing.join(', ')}`;
  if (process.env.CI) throw new Error(`${reason} (CI=true: these tests must run)`);
  console.log(`# skipping: ${reason}`);
  return reason;
}

/** Waits until `check` returns something truthy, polling; fails after `timeoutMs`. */
export async function eventually(/** @type {() => Promise<any>} */ check, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error('条件未在时限内满足 · condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
