import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';

/**
 * A value the platform makes once and keeps in the data dir (a generated password or key, a
 * port chosen at first start): read back when the file exists, else made by `create` and
 * written with mode 600 (never over an existing file).
 */
export async function keptValue(
  file: string,
  create: () => string | Promise<string>,
): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const value = await create();
  await writeFile(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return value;
}

/** Whether a process exists (EPERM: it does, under another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
