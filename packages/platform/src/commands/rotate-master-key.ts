import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlatformConfig } from '../config';
import { connect, migrate } from '../db/database';
import { startEmbeddedDatabase } from '../db/embedded';
import { addMasterKeyToFile, Keyring, loadOrCreateMasterKey } from '../secrets';

/** Whether the embedded state cluster of `dataDir` is running (a platform holds it). */
function embeddedRunning(dataDir: string): boolean {
  const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    return Number.isInteger(pid) && pid > 0 && process.kill(pid, 0);
  } catch {
    return false;
  }
}

/**
 * `zhengwu-platform rotate-master-key`: re-wraps every tenant's data key with a new master
 * key, in batches, while the platform keeps serving (each replica still unwraps with the old
 * key until it is gone from its configuration).
 *
 * - Key file (no `ZW_MASTER_KEY`): adds a new key in front of `<data dir>/master-key`, then
 *   re-wraps. Running replicas re-read the file when they meet the new key.
 * - `ZW_MASTER_KEY`: put the new key first on every replica (`mk2:<new>,mk1:<old>`) and
 *   restart them, then run this; remove the old key once it reports none left.
 *
 * With the embedded state database the platform must be stopped (the cluster has one owner).
 */
export async function rotateMasterKey(config: PlatformConfig): Promise<number> {
  if (!config.databaseUrl && embeddedRunning(config.dataDir)) {
    console.error(
      '平台正在运行：请先停止平台，或使用外部数据库 · The platform is running on the embedded database: stop it first (or run this against ZW_DATABASE_URL).',
    );
    return 1;
  }
  const embedded = config.databaseUrl ? undefined : await startEmbeddedDatabase(config.dataDir);
  const db = connect(config.databaseUrl ?? embedded!.url, 2);
  try {
    await migrate(db);
    const masterKeys = config.masterKey
      ? await loadOrCreateMasterKey(config.dataDir, config.masterKey)
      : await addMasterKeyToFile(config.dataDir);
    const keyring = new Keyring(db, { masterKeys, mode: config.crypto });
    const result = await keyring.rotateMasterKey();
    keyring.close();
    console.log(
      `主密钥已轮换 · Master key rotated: ${result.rewrapped} data key(s) now wrapped by ${result.masterKeyId}; ${result.remaining} still under another key.`,
    );
    console.log(JSON.stringify(await keyring.masterKeysInUse()));
    return result.remaining === 0 ? 0 : 3;
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}
