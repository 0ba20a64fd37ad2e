import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as tar from 'tar';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { receiveSource, unpackSource } from '../../src/apps/source-archive.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'zw-archive-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** A tar.gz of the folder `name` under `work` (its contents, links kept as links). */
async function tarball(name: string): Promise<Buffer> {
  const out = join(work, `${name}.tar.gz`);
  await tar.c({ gzip: true, file: out, cwd: join(work, name), portable: true }, ['.']);
  return readFile(out);
}

const receive = (body: Buffer, limits?: { bytes: number; entries: number }) =>
  receiveSource(Readable.from([body]), join(work, 'received', 'source.tar.gz'), undefined, limits);

it('refuses an archive that unpacks past the size or entry limit (a compression bomb)', async () => {
  await mkdir(join(work, 'bomb'));
  // 8 MiB of mostly zeros compress about 100 times (tar itself stops at 1000 times).
  const data = Buffer.alloc(8 * 1024 * 1024);
  for (let i = 0; i < data.length; i += 128) data[i] = Math.floor(Math.random() * 256);
  await writeFile(join(work, 'bomb', 'zeros.bin'), data);
  const bomb = await tarball('bomb');
  expect(bomb.length).toBeLessThan(256 * 1024);
  await expect(receive(bomb, { bytes: 4 * 1024 * 1024, entries: 100 })).rejects.toMatchObject({
    code: 'bad_request',
    detail: expect.stringMatching(/unpacks to more than 4194304 bytes/),
  });

  await mkdir(join(work, 'many'));
  for (let i = 0; i < 30; i++) await writeFile(join(work, 'many', `f${i}.txt`), `${i}`);
  await expect(receive(await tarball('many'), { bytes: 1024 ** 3, entries: 20 })).rejects.toThrow(
    /20 entries/,
  );
  // Within the limits, both are accepted.
  await expect(receive(bomb, { bytes: 16 * 1024 * 1024, entries: 100 })).resolves.toMatchObject({
    sizeBytes: bomb.length,
  });
});

it('refuses on unpacking a chain of links that leads outside, each harmless alone', async () => {
  const tree = join(work, 'chain');
  await mkdir(join(tree, 'a', 'b', 'c', 'd'), { recursive: true });
  await writeFile(join(work, 'secret.txt'), 'PLATFORM SECRET');
  // `y` is the archive's root; through it, `../` climbs above the folder it unpacks into.
  await symlink('../../../..', join(tree, 'a', 'b', 'c', 'd', 'y'));
  await symlink('a/b/c/d/y/../secret.txt', join(tree, 'package.json'));
  const archive = await tarball('chain');
  await receive(archive);
  const into = join(work, 'unpacked', 'deeper');
  await mkdir(into, { recursive: true });
  await writeFile(join(work, 'unpacked', 'secret.txt'), 'PLATFORM SECRET');
  await expect(unpackSource(join(work, 'received', 'source.tar.gz'), into)).rejects.toMatchObject({
    code: 'bad_request',
    detail: expect.stringContaining('package.json'),
  });

  // Links that stay inside are fine.
  const fine = join(work, 'fine');
  await mkdir(join(fine, 'lib'), { recursive: true });
  await writeFile(join(fine, 'lib', 'index.js'), 'module.exports = 1');
  await symlink('lib/index.js', join(fine, 'main.js'));
  await receive(await tarball('fine'));
  const ok = join(work, 'unpacked-fine');
  await unpackSource(join(work, 'received', 'source.tar.gz'), ok);
  expect(await readFile(join(ok, 'main.js'), 'utf8')).toBe('module.exports = 1');
});
