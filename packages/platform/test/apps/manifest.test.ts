import { DEFAULT_MEMORY_MB as libraryDefault } from '@zhengwu/manifest';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMORY_MB, desiredScale, durationMs } from '../../src/apps/manifest';

describe('the runtime’s reading of a manifest', () => {
  it('runs a process without memoryMb at the manifest library’s default', () => {
    expect(DEFAULT_MEMORY_MB).toBe(libraryDefault);
  });

  it('keeps the current scale within the manifest’s min and max, else starts at min', () => {
    const manifest = {
      apiVersion: 'zhengwu.gov.cn/v1',
      kind: 'App',
      metadata: { name: 'a' },
      processes: { web: { command: 'x', scaling: { min: 2, max: 4 } }, worker: { command: 'y' } },
    } as const;
    const row = (type: string, replicas: number) => ({
      app_id: 'app_x',
      type,
      replicas,
      memory_mb: 128,
      updated_at: new Date(),
    });
    expect(desiredScale(manifest as never, [])).toEqual([
      { type: 'web', replicas: 2, memoryMb: 512 },
      { type: 'worker', replicas: 1, memoryMb: 512 },
    ]);
    expect(desiredScale(manifest as never, [row('web', 9), row('worker', 3)])).toEqual([
      { type: 'web', replicas: 4, memoryMb: 512 },
      { type: 'worker', replicas: 3, memoryMb: 512 },
    ]);
  });

  it('reads durations', () => {
    expect(durationMs('60s', 1)).toBe(60_000);
    expect(durationMs('2m', 1)).toBe(120_000);
    expect(durationMs('250ms', 1)).toBe(250);
    expect(durationMs(undefined, 7)).toBe(7);
  });
});
