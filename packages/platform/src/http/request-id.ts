import { randomFillSync } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Random bytes drawn from the CSPRNG 4 KiB at a time: a `randomBytes` call costs several
 * microseconds whatever its size, too much once per request; slicing a pool costs almost
 * nothing (the same reason Node pools the bytes of `randomUUID`).
 */
const pool = Buffer.alloc(4096);
let next = pool.length;

function randomByte(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++]!;
}

/**
 * A request id in the shape of the contract's ids: `req_` + 20 uniformly random base62
 * characters (bytes ≥ 248 are skipped, so `byte % 62` has no bias), as `newId('req')` makes
 * them, without a CSPRNG call per request.
 */
export function newRequestId(): string {
  let out = 'req_';
  while (out.length < 24) {
    const byte = randomByte();
    if (byte < 248) out += BASE62[byte % 62];
  }
  return out;
}
