import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildRelease } from '../../src/apps/build.js';

let work: string;
let path: string | undefined;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'zw-build-'));
  // An `npm` that fails like a stale cache (ETARGET) unless asked to check the registry.
  const bin = join(work, 'bin');
  await mkdir(bin);
  await writeFile(
    join(bin, 'npm'),
    `#!/bin/sh
echo "npm $*" >> "${join(work, 'npm-calls')}"
case "$*" in
  *--prefer-online*) mkdir -p node_modules/left-pad; exit 0 ;;
  *) echo "npm error code ETARGET" >&2; echo "npm error notarget No matching version found for @aws-sdk/core@^3.981.2." >&2; exit 1 ;;
esac
`,
  );
  await chmod(join(bin, 'npm'), 0o755);
  path = process.env.PATH;
  process.env.PATH = `${bin}:${path}`;
});
afterAll(async () => {
  process.env.PATH = path;
  await rm(work, { recursive: true, force: true });
});

it('installs again online when the cached package index is stale (ETARGET)', async () => {
  const source = join(work, 'src');
  await mkdir(source);
  await writeFile(join(source, 'package.json'), '{"name":"x","dependencies":{"left-pad":"1"}}');
  await tar.c({ gzip: true, file: join(work, 'source.tar.gz'), cwd: source }, ['package.json']);
  const lines: string[] = [];
  await buildRelease({
    dataDir: join(work, 'data'),
    dir: join(work, 'release'),
    sourceFile: join(work, 'source.tar.gz'),
    buildCommand: undefined,
    out: (_stream, line) => lines.push(line),
  });
  const calls = (await readFile(join(work, 'npm-calls'), 'utf8')).trim().split('\n');
  expect(calls).toHaveLength(2);
  expect(calls[0]).toMatch(/^npm install --prefer-offline /);
  expect(calls[1]).toMatch(/^npm install --prefer-online /);
  expect(lines).toContain(
    '缓存的包索引已过期，联网重试 · the cached package index is stale: retrying online',
  );
});
