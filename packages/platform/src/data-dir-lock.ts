import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive } from './kept-file';

/**
 * One platform process per data dir. A second one would take over the embedded clusters
 * (a start stops the postmaster a crashed platform left behind) under the first one's
 * feet; it refuses instead, naming the owner. A lock whose process is gone (kill -9) is
 * taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = join(dataDir, 'platform.pid');
  for (;;) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    // Our own pid: a platform of this process that stopped uncleanly (tests restart in-process).
    if (owner && owner !== process.pid && isAlive(owner)) {
      throw new DataDirLockedError(
        `数据目录 ${dataDir} 正被另一个平台进程（pid ${owner}）使用 · Data dir ${dataDir} is in use by another platform process (pid ${owner}); stop it first or set another ZW_DATA_DIR`,
      );
    }
    await rm(file, { force: true }); // stale: its process is gone
  }
}

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}
