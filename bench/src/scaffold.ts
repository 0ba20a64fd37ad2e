/**
 * Scaffold time of `create-zhengwu` against `create-vite` in the same run: each scaffolds a
 * fresh folder non-interactively as a child process (what `npm create` runs after fetching
 * the package), alternating, medians compared. Target (issue: templates and scaffolder):
 * ≤ 2× create-vite.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const ROUNDS = Number(process.env.BENCH_SCAFFOLD_ROUNDS ?? 15);
const zhengwu = join(require.resolve('create-zhengwu/package.json'), '..', 'src', 'index.js');
const vite = join(require.resolve('create-vite/package.json'), '..', 'index.js');

const tools = {
  'create-vite (vanilla-ts)': (dir: string) => [
    vite,
    dir,
    '--template',
    'vanilla-ts',
    '--no-interactive',
  ],
  'create-zhengwu (approval)': (dir: string) => [
    zhengwu,
    dir,
    '--template',
    'approval',
    '--no-interactive',
  ],
  'create-zhengwu (hotline)': (dir: string) => [
    zhengwu,
    dir,
    '--template',
    'hotline',
    '--no-interactive',
  ],
} as const;

const root = await mkdtemp(join(tmpdir(), 'zw-scaffold-bench-'));
const times: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, args] of Object.entries(tools)) {
    // A name relative to the working folder, as users type it (create-vite takes no absolute path).
    const dir = `app${round}${name.replace(/\W+/g, '')}`.toLowerCase();
    const started = performance.now();
    const result = spawnSync(process.execPath, args(dir), {
      cwd: root,
      stdio: 'ignore',
      env: { ...process.env, CI: 'true' },
    });
    const ms = performance.now() - started;
    if (result.status !== 0) throw new Error(`${name} exited ${result.status}`);
    times[name] = [...(times[name] ?? []), ms];
  }
}
await rm(root, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const base = median(times['create-vite (vanilla-ts)'] ?? []);
console.log(`\nScaffold time, child process each (median of ${ROUNDS}, Node ${process.version})\n`);
for (const [name, xs] of Object.entries(times)) {
  const m = median(xs);
  console.log(
    `${name.padEnd(28)} ${m.toFixed(1).padStart(7)} ms  ${(m / base).toFixed(2)}× create-vite`,
  );
}
const worst = Math.max(
  median(times['create-zhengwu (approval)'] ?? []),
  median(times['create-zhengwu (hotline)'] ?? []),
);
console.log(
  `\ntarget ≤ 2× create-vite: ${worst / base <= 2 ? 'met' : 'NOT met'} (${(worst / base).toFixed(2)}×)`,
);
