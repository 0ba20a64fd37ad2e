import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { DataDirLockedError, lockDataDir } from '../src/data-dir-lock';
import { startPlatform } from '../src/platform';

// A second platform on a data dir in use would stop the first one's embedded clusters.
let dir: string;
let other: ChildProcess;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zw-lock-'));
  // Another live process stands in for the platform that owns the data dir.
  other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  await new Promise((resolve) => other.once('spawn', resolve));
});
afterEach(async () => {
  other.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

it('refuses a data dir a live process holds, and takes over one whose process is gone', async () => {
  await writeFile(join(dir, 'platform.pid'), `${other.pid}\n`);
  await expect(lockDataDir(dir)).rejects.toThrow(DataDirLockedError);
  await expect(lockDataDir(dir)).rejects.toThrow(`pid ${other.pid}`);

  other.kill('SIGKILL');
  await new Promise((resolve) => other.once('exit', resolve));
  const unlock = await lockDataDir(dir);
  expect((await readFile(join(dir, 'platform.pid'), 'utf8')).trim()).toBe(String(process.pid));
  await unlock();
  expect(existsSync(join(dir, 'platform.pid'))).toBe(false);
});

it('does not start a platform on a data dir another platform uses, touching nothing', async () => {
  await writeFile(join(dir, 'platform.pid'), `${other.pid}\n`);
  const config = loadConfig({ ZW_DATA_DIR: dir, ZW_PORT: '0', ZW_EMBEDDED_ENGINES: 'none' });
  await expect(startPlatform(config)).rejects.toThrow(/in use by another platform process/);
  // Neither cluster was started (or stopped) by the refused start.
  expect(existsSync(join(dir, 'postgres'))).toBe(false);
  expect((await readFile(join(dir, 'platform.pid'), 'utf8')).trim()).toBe(String(other.pid));
});
