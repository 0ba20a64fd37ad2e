import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { alive, eventually, fixtureDir } from './fixtures';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

describe('replicas never outlive the platform', () => {
  it('kills the replica group when the platform process is SIGKILLed', async () => {
    const fixture = await fixtureDir();
    const runDir = await mkdtemp(join(tmpdir(), 'zw-run-'));
    const platform = spawn(
      process.execPath,
      ['--import', tsx, join(here, 'orphan-child.ts'), fixture.dir, runDir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const ready = await new Promise<{ pid: number; grandchild: number }>((resolve, reject) => {
        let out = '';
        platform.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const line = out.split('\n').find((l) => l.startsWith('ZW_CHILD_READY '));
          if (line) resolve(JSON.parse(line.slice('ZW_CHILD_READY '.length)));
        });
        platform.once('exit', (code) => reject(new Error(`platform exited early (${code})`)));
      });
      expect(alive(ready.pid)).toBe(true);
      expect(alive(ready.grandchild)).toBe(true);
      // No chance to clean up: only the watchdog can act.
      platform.kill('SIGKILL');
      await eventually(
        () => !alive(ready.pid) && !alive(ready.grandchild),
        5_000,
        'replica and grandchild gone',
      );
    } finally {
      platform.kill('SIGKILL');
      await fixture.cleanup();
      await rm(runDir, { recursive: true, force: true });
    }
  });
});
