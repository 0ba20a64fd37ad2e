import { tmpdir } from 'node:os';
import { expect, it } from 'vitest';
import { failureLines } from '../../src/apps/build.js';
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

it('a failure shows the first error line before the last eight (a Node stack trace)', () => {
  const output = [
    'node:internal/modules/cjs/loader:1228',
    '  throw err;',
    '  ^',
    '',
    "Error: Cannot find module '/app/nope.js'",
    '    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)',
    '    at Module._load (node:internal/modules/cjs/loader:1051:27)',
    '    at node:internal/main/run_main_module:28:49 {',
    "  code: 'MODULE_NOT_FOUND',",
    '  requireStack: []',
    '}',
    '',
    'Node.js v20.20.2',
    '',
  ];
  const lines = failureLines(output);
  expect(lines[0]).toBe("Error: Cannot find module '/app/nope.js'");
  expect(lines.slice(2)).toEqual(output.slice(-8));
  expect(failureLines(['step 1', 'exit 3'])).toEqual(['step 1', 'exit 3']);
});
