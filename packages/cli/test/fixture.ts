/** A copy of the fixture app in a temp folder, with the clutter a real checkout has. */
import { cp, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('./fixtures/approval', import.meta.url));

/** Files the archive must leave out: dependencies, VCS data, local state, secrets, ignored output. */
export const CLUTTER = [
  'node_modules/left-pad/index.js',
  '.git/HEAD',
  '.zhengwu/state.json',
  '.env',
  '.env.local',
  'dist/bundle.js',
  'debug.log',
  'src/node_modules/nested/index.js',
];

const made: string[] = [];

/** Removes every folder `fixtureApp` made. */
export async function removeFixtures(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export async function fixtureApp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zw-deploy-'));
  made.push(dir);
  await cp(FIXTURE, dir, { recursive: true });
  await rename(join(dir, '_gitignore'), join(dir, '.gitignore'));
  for (const file of [...CLUTTER, '.env.example', 'src/lib.js']) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), `// ${file}\n`);
  }
  return dir;
}
