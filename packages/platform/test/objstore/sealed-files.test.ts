import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HEADER,
  openedRange,
  SEGMENT,
  sealedSize,
  sealingSink,
} from '../../src/objstore/store/sealed-files';
import type { Algorithm } from '../../src/secrets/ciphers';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zw-sealed-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const key = randomBytes(32);
let n = 0;

/** Seals `data` (fed in uneven chunks) into a new file; returns its path. */
async function seal(data: Buffer, algorithm: Algorithm, bucketKey = key): Promise<string> {
  const path = join(dir, `f${n++}`);
  const chunks: Buffer[] = [];
  for (let at = 0, size = 1; at < data.length; at += size, size = (size * 7) % 50_000 || 1) {
    chunks.push(data.subarray(at, at + size));
  }
  await pipeline(Readable.from(chunks), sealingSink(createWriteStream(path), bucketKey, algorithm));
  return path;
}

async function readRange(
  path: string,
  size: number,
  start: number,
  end: number,
  bucketKey = key,
): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of openedRange(await open(path, 'r'), bucketKey, size, start, end)) {
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}

describe.each<Algorithm>(['a256gcm', 'sm4ctr-hsm3'])('sealed object files (%s)', (algorithm) => {
  it('reads back every range of objects around segment boundaries, and never holds plaintext', async () => {
    for (const size of [0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT + 123]) {
      const data = Buffer.alloc(size, '机密公文 · classified ');
      const path = await seal(data, algorithm);
      const onDisk = await readFile(path);
      expect(onDisk.length).toBe(sealedSize(algorithm, size));
      expect(onDisk.subarray(0, 5)).toEqual(
        Buffer.from([...Buffer.from('ZWS1'), algorithm === 'a256gcm' ? 1 : 2]),
      );
      if (size > 0) expect(onDisk.includes(Buffer.from('classified'))).toBe(false);
      if (size === 0) continue;
      const ranges: [number, number][] = [
        [0, size - 1],
        [0, 0],
        [size - 1, size - 1],
        [Math.max(0, SEGMENT - 2), Math.min(size - 1, SEGMENT + 1)],
        [Math.floor(size / 3), Math.floor((2 * size) / 3)],
      ];
      for (const [start, end] of ranges) {
        expect(
          (await readRange(path, size, start, end)).equals(data.subarray(start, end + 1)),
        ).toBe(true);
      }
    }
  });

  it('refuses a flipped bit, a truncated file, swapped segments and a wrong key', async () => {
    const size = 3 * SEGMENT;
    const data = randomBytes(size);
    const path = await seal(data, algorithm);
    const original = await readFile(path);
    const whole = () => readRange(path, size, 0, size - 1);
    const segmentBytes = (original.length - HEADER) / 3;

    const flipped = Buffer.from(original);
    flipped[HEADER + segmentBytes + 100]! ^= 1;
    await writeFile(path, flipped);
    await expect(whole()).rejects.toMatchObject({ code: 'tampered' });
    // The segments a range does not cover are not read.
    expect((await readRange(path, size, 0, 10)).equals(data.subarray(0, 11))).toBe(true);

    // Without its last segment the file looks whole up to 2 segments: the last flag says no.
    await writeFile(path, original.subarray(0, HEADER + 2 * segmentBytes));
    await expect(readRange(path, 2 * SEGMENT, 0, 2 * SEGMENT - 1)).rejects.toMatchObject({
      code: 'tampered',
    });

    const first = original.subarray(HEADER, HEADER + segmentBytes);
    const second = original.subarray(HEADER + segmentBytes, HEADER + 2 * segmentBytes);
    await writeFile(
      path,
      Buffer.concat([
        original.subarray(0, HEADER),
        second,
        first,
        original.subarray(HEADER + 2 * segmentBytes),
      ]),
    );
    await expect(whole()).rejects.toMatchObject({ code: 'tampered' });

    await writeFile(path, original);
    expect((await whole()).equals(data)).toBe(true);
    await expect(readRange(path, size, 0, size - 1, randomBytes(32))).rejects.toMatchObject({
      code: 'tampered',
    });
    expect((await stat(path)).size).toBe(original.length);
  });
});
