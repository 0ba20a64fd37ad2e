import { tmpdir } from 'node:os';
import { expect, it } from 'vitest';
import { runCommand } from '../../src/apps/command.js';
import { MAX_LINE } from '../../src/runtime/lines.js';

it('cuts an endless output line into bounded pieces and keeps a short tail', async () => {
  const pieces: number[] = [];
  // 8 MiB without a newline, then two ordinary lines on stderr.
  const result = await runCommand(
    `head -c ${8 * 1024 * 1024} /dev/zero | tr '\\0' x; printf 'done\\n第二行\\n' >&2`,
    {
      cwd: tmpdir(),
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      timeoutMs: 30_000,
      onLine: (_stream, line) => pieces.push(line.length),
    },
  );
  expect(result.code).toBe(0);
  expect(Math.max(...pieces)).toBe(MAX_LINE);
  expect(pieces.reduce((sum, n) => sum + n, 0)).toBe(8 * 1024 * 1024 + 'done'.length + 3);
  // The two pipes are read independently: the stderr lines are among the last, in order.
  expect(result.tail.filter((line) => line.length < 100)).toEqual(['done', '第二行']);
  expect(result.tail.length).toBeLessThanOrEqual(20);
});
